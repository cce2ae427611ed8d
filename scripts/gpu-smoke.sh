#!/usr/bin/env bash
# GPU smoke test for the `cuda` Maven profile (nd4j-cuda-11.6, ND4J 1.0.0-M2.1).
#
#   scripts/gpu-smoke.sh            # check the GPU, build with -Pcuda, check the backend, time one evaluation
#   scripts/gpu-smoke.sh --check    # only check the GPU against what the backend supports (no build)
#
# What it checks, in order:
#  1. a CUDA GPU is visible (nvidia-smi) and its compute capability is one nd4j-cuda-11.6 has kernels
#     for: the 1.0.0-M2.1 build ships SASS up to sm_86 and no PTX, so it runs on Maxwell..Ampere
#     (5.0–8.6) and NOT on Ada (8.9) or Hopper (9.0: H100/H200) — it would fail at the first kernel.
#  2. the project builds with -Pcuda and ND4J reports the CUDA backend;
#  3. one float evaluation of cnn-small on 10 000 Fashion-MNIST test images, timed.
# Exit codes: 0 ok, 3 no GPU, 4 unsupported GPU, 5 build or backend failure.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
supported_max=86   # highest SASS target in nd4j-cuda-11.6 1.0.0-M2.1 (see docs/gpu.md)

if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "gpu-smoke: no nvidia-smi: no NVIDIA driver on this machine" >&2; exit 3
fi
mapfile -t gpus < <(nvidia-smi --query-gpu=name,compute_cap,driver_version,memory.total --format=csv,noheader 2>/dev/null)
if [ ${#gpus[@]} -eq 0 ]; then
  echo "gpu-smoke: nvidia-smi lists no GPU" >&2; exit 3
fi
verdict=0
for g in "${gpus[@]}"; do
  IFS=, read -r name cap driver mem <<<"$g"
  cap=$(echo "$cap" | tr -d ' '); cc=${cap/./}
  if [ "$cc" -le "$supported_max" ]; then
    echo "gpu-smoke: $name (sm_$cc, driver$driver,$mem): supported by nd4j-cuda-11.6"
  else
    echo "gpu-smoke: $name (sm_$cc, driver$driver,$mem): NOT supported — nd4j-cuda-11.6 1.0.0-M2.1 has kernels up to sm_$supported_max and no PTX to JIT; use the CPU backend (default) on this machine"
    verdict=4
  fi
done
[ "${1:-}" = "--check" ] && exit $verdict
[ $verdict -ne 0 ] && exit $verdict

cd "$root" || exit 5
mvn -q -B -Pcuda -DskipTests -pl bench -am -Pbench package || { echo "gpu-smoke: build with -Pcuda failed" >&2; exit 5; }
cp=$(mvn -q -B -Pcuda -Pbench -pl bench dependency:build-classpath -Dmdep.outputFile=/dev/stdout)
java -Xmx4g -Dorg.bytedeco.javacpp.maxbytes=8G -cp "bench/target/classes:$cp" org.ternsweep.bench.GpuSmoke \
  || { echo "gpu-smoke: backend check or evaluation failed" >&2; exit 5; }
