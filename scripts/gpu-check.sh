#!/usr/bin/env bash
# The device check for issue 13, run on the GPU machine from the folder scripts/gpu-bundle.sh built (that machine
# has no Java): finds the CUDA libraries, prints the GPU facts, and runs GpuCheck on the bundled runtime, which
# probes the machine as `engine: cuda` does and loads the CUDA runtime, cuDNN and cuBLAS through JavaCPP's CUDA
# presets (one cuBLAS sgemm checked against Java). Everything it prints also goes to $OUT/gpu-check.txt when OUT
# is set.
#
#   scripts/gpu-check.sh
#
# Where the CUDA libraries are looked for, in order: LD_LIBRARY_PATH as given, $CUDA_HOME/lib64, /usr/local/cuda,
# and the lib folders of the nvidia-* Python wheels (nvidia.cuda_runtime, nvidia.cublas, nvidia.cudnn, ...) of
# python3, which is where the GPU machine of docs/gpu.md has CUDA 13.
# Exit codes: 0 the presets load and run; 2 no bundle; 3 no GPU; 4 CUDA libraries missing or failing.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bundle=${GPU_BUNDLE:-$root/gpu-bundle}
report=${OUT:+$OUT/gpu-check.txt}
[ -n "$report" ] && : >"$report"

say() { printf '%s\n' "$*"; [ -n "$report" ] && printf '%s\n' "$*" >>"$report"; return 0; }

if [ ! -x "$bundle/jre/bin/java" ]; then
  say "gpu-check: no bundle at $bundle: run scripts/gpu-bundle.sh first (on a CPU machine) and carry gpu-bundle"
  exit 2
fi

if command -v nvidia-smi >/dev/null 2>&1 || [ -x /usr/local/nvidia/bin/nvidia-smi ]; then
  smi=$(command -v nvidia-smi || echo /usr/local/nvidia/bin/nvidia-smi)
  say "nvidia-smi: $("$smi" --query-gpu=index,name,compute_cap,driver_version,memory.total --format=csv,noheader \
    2>&1 | paste -sd';')"
else
  say "nvidia-smi: not on PATH or in /usr/local/nvidia/bin"
fi

libdirs=()
[ -n "${CUDA_HOME:-}" ] && libdirs+=("$CUDA_HOME/lib64")
[ -d /usr/local/cuda/lib64 ] && libdirs+=(/usr/local/cuda/lib64)
[ -d /usr/local/nvidia/lib64 ] && libdirs+=(/usr/local/nvidia/lib64)
if command -v python3 >/dev/null 2>&1; then
  # each nvidia-* wheel is a namespace package nvidia.<name> with its libraries in lib/
  while IFS= read -r d; do libdirs+=("$d"); done < <(python3 - <<'PY' 2>/dev/null
import os
try:
    import nvidia
except ImportError:
    raise SystemExit
for path in nvidia.__path__:
    for m in sorted(os.listdir(path)):
        lib = os.path.join(path, m, 'lib')
        if os.path.isdir(lib):
            print(lib)
PY
)
fi
ld=$(IFS=:; echo "${libdirs[*]:-}")
export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$ld"
say "library path: ${LD_LIBRARY_PATH:-(empty)}"
for lib in libcuda.so.1 libcudart.so.13 libcublas.so.13 libcudnn.so.9 libnvrtc.so.13; do
  found=""
  IFS=: read -r -a dirs <<<"$LD_LIBRARY_PATH"
  for d in "${dirs[@]}" /usr/lib/x86_64-linux-gnu /usr/lib64; do
    [ -n "$d" ] && [ -e "$d/$lib" ] && { found="$d/$lib"; break; }
  done
  say "  $lib: ${found:-not found}"
done

out=$("$bundle/jre/bin/java" -Xmx1g -Dorg.bytedeco.javacpp.cacheDir="${TMPDIR:-/tmp}/ternsweep-javacpp" \
  -cp "$bundle/classes:$bundle/lib/*" GpuCheck 2>&1)
rc=$?
say "$out"
case $rc in
  0) say "gpu-check: ok" ;;
  3) say "gpu-check: no GPU on this machine (exit 3)" ;;
  *) say "gpu-check: FAILED (exit $rc)" ;;
esac
exit $rc
