#!/usr/bin/env bash
# Spark's GPU discovery script: prints the GPUs of this machine as Spark's resource JSON,
#   {"name":"gpu","addresses":["0","1"]}
# from `nvidia-smi --query-gpu=index`. Spark runs it on each Worker (spark.worker.resource.gpu.discoveryScript)
# or executor (spark.executor.resource.gpu.discoveryScript on YARN and Kubernetes); docs/cluster.md.
# Without nvidia-smi it prints an empty address list (exit 0), so a Worker asked for GPUs fails at start with
# Spark's "less than what the user requested" message rather than a script error; when nvidia-smi is there but
# fails (driver not loaded), it exits 1 with nvidia-smi's message.
set -euo pipefail

if ! command -v nvidia-smi >/dev/null 2>&1; then
  echo "gpu-discovery: no nvidia-smi on PATH, so no GPUs to offer" >&2
  echo '{"name":"gpu","addresses":[]}'
  exit 0
fi
if ! out=$(nvidia-smi --query-gpu=index --format=csv,noheader 2>&1); then
  echo "gpu-discovery: nvidia-smi failed: $out" >&2
  exit 1
fi
addresses=""
while IFS= read -r line; do
  line=${line#"${line%%[![:space:]]*}"}
  line=${line%"${line##*[![:space:]]}"}
  [ -z "$line" ] && continue
  if ! [[ $line =~ ^[0-9]+$ ]]; then
    echo "gpu-discovery: unexpected nvidia-smi line '$line' (expected a GPU index)" >&2
    exit 1
  fi
  addresses+="${addresses:+,}\"$line\""
done <<<"$out"
echo "{\"name\":\"gpu\",\"addresses\":[$addresses]}"
