#!/usr/bin/env bash
# A real Spark standalone cluster on 127.0.0.1 from the project's own jars: one Master and N Workers
# (default 2), each a separate JVM, every port on loopback, logs and pid files under target/.
#
#   scripts/local-cluster.sh start     # prints the master URL (spark://127.0.0.1:PORT)
#   scripts/local-cluster.sh start --gpus N   # each Worker offers N GPUs found by scripts/gpu-discovery.sh
#   scripts/local-cluster.sh status    # which JVMs are alive
#   scripts/local-cluster.sh stop      # stops exactly the JVMs this script started (by their pids)
#   scripts/local-cluster.sh secret-file  # prints the path of the cluster's secret
#
# Authentication is on (docs/cluster.md, "Locking a cluster down"): each start writes a new random
# secret to <state dir>/secret (mode 600) and the daemons' settings, secret included, to
# <state dir>/spark-daemons.conf (mode 600), read with --properties-file so that the secret is on no
# command line. Drivers pass the secret file:
#   bin/ternsweep run    sweep.yaml --master spark://127.0.0.1:7077 --spark-secret-file <state dir>/secret
#   bin/ternsweep submit sweep.yaml --master spark://127.0.0.1:7077 --spark-secret-file <state dir>/secret
# A driver without it is refused by the Master. The REST submission server (port 6066) is off.
#
# Environment (all optional):
#   TERNSWEEP_CLUSTER_DIR   state, logs, SPARK_HOME (default <repo>/target/local-cluster)
#   TERNSWEEP_SPARK_CP      classpath holding the Spark jars (default: driver/target/ternsweep.classpath,
#                           written by bin/ternsweep's build; else built here with Maven)
#   MASTER_PORT (7077)  MASTER_UI_PORT (8080)  WORKER_UI_PORT (8081, +1 per worker)
#   WORKERS (2)  WORKER_CORES (1)  WORKER_MEMORY (1g, what executors may use)  DAEMON_HEAP (256m)
#
# Facts this relies on (docs/cluster.md): a Worker launches executors with the jars in
# $SPARK_HOME/jars, and needs SPARK_SCALA_VERSION=2.13 when SPARK_HOME is not a Spark distribution.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
dir=${TERNSWEEP_CLUSTER_DIR:-$root/target/local-cluster}
master_port=${MASTER_PORT:-7077}
master_ui=${MASTER_UI_PORT:-8080}
worker_ui=${WORKER_UI_PORT:-8081}
workers=${WORKERS:-2}
cores=${WORKER_CORES:-1}
memory=${WORKER_MEMORY:-1g}
heap=${DAEMON_HEAP:-256m}
gpus=0
url="spark://127.0.0.1:$master_port"

log() { printf 'local-cluster: %s\n' "$*" >&2; }

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

spark_classpath() {
  if [ -n "${TERNSWEEP_SPARK_CP:-}" ]; then
    printf '%s' "$TERNSWEEP_SPARK_CP"
    return
  fi
  local stamp="$root/driver/target/ternsweep.classpath"
  if [ ! -f "$stamp" ]; then
    log "building the classpath (mvn dependency:build-classpath) ..."
    mkdir -p "$root/driver/target"
    (cd "$root" && mvn -q -B -DskipTests -pl driver -am package dependency:build-classpath \
        -Dmdep.includeScope=compile -Dmdep.outputFile="$stamp" >"$root/driver/target/build.log" 2>&1) \
      || { cat "$root/driver/target/build.log" >&2; log "build failed"; exit 2; }
  fi
  cat "$stamp"
}

make_spark_home() {
  local home="$dir/spark-home"
  rm -rf "$home"
  mkdir -p "$home/jars"
  local n=0 entry
  IFS=':' read -r -a entries <<<"$(spark_classpath)"
  for entry in "${entries[@]}"; do
    case "$entry" in
      *.jar) [ -f "$entry" ] && ln -sf "$entry" "$home/jars/" && n=$((n + 1)) ;;
    esac
  done
  ls "$home/jars" | grep -q '^spark-core_2\.13-' \
    || { log "no spark-core_2.13 jar on the classpath: set TERNSWEEP_SPARK_CP or build with bin/ternsweep"; exit 2; }
  log "SPARK_HOME=$home ($n jars)"
}

# Spark on Java 17 needs these opens (the list spark-submit adds).
opens=(--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED)

launch() { # name class args...
  local name=$1
  shift
  SPARK_HOME="$dir/spark-home" SPARK_SCALA_VERSION=2.13 SPARK_LOCAL_IP=127.0.0.1 SPARK_LOCAL_HOSTNAME=127.0.0.1 \
    nohup java -Xmx"$heap" "${opens[@]}" -cp "$dir/spark-home/jars/*" "$@" >"$dir/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$dir/$name.pid"
}

wait_for() { # seconds description command...
  local limit=$1 what=$2
  shift 2
  local i
  for ((i = 0; i < limit * 5; i++)); do
    if "$@"; then return 0; fi
    sleep 0.2
  done
  log "timed out after ${limit}s waiting for $what (logs in $dir/logs)"
  return 1
}

# A new secret and the daemons' settings, both readable by this user only (umask 077 while writing,
# then an explicit chmod in case the files already existed with other bits).
write_secret() {
  local secret
  secret=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
  [ ${#secret} -eq 64 ] || { log "cannot read 32 random bytes from /dev/urandom"; exit 2; }
  (
    umask 077
    printf '%s\n' "$secret" >"$dir/secret"
    printf 'spark.authenticate true\nspark.authenticate.secret %s\nspark.master.rest.enabled false\n' \
      "$secret" >"$dir/spark-daemons.conf"
  )
  chmod 600 "$dir/secret" "$dir/spark-daemons.conf"
}

# a Worker that asked for GPUs its discovery did not find logs this and exits
gpu_failure() { grep -h -A1 'Failed to setup worker resources' "$dir"/logs/worker-*.log 2>/dev/null | tail -1; }

registered_or_failed() { registered || [ -n "$(gpu_failure)" ]; }

registered() { [ "$(grep -c 'Registering worker' "$dir/logs/master.log" 2>/dev/null || true)" -ge "$workers" ]; }

start() {
  if alive "$dir/master.pid"; then
    log "already running: $url"
    echo "$url"
    return 0
  fi
  command -v java >/dev/null || { log "java is needed"; exit 2; }
  if port_open "$master_port"; then
    log "port $master_port on 127.0.0.1 is taken; set MASTER_PORT"
    exit 2
  fi
  mkdir -p "$dir/logs"
  make_spark_home
  write_secret
  launch master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$master_port" \
    --webui-port "$master_ui" --properties-file "$dir/spark-daemons.conf"
  wait_for 60 "the master on port $master_port" port_open "$master_port" || { stop; exit 1; }
  local i gpu_opts=()
  if [ "$gpus" -gt 0 ]; then
    # a Worker whose discovery finds fewer GPUs than this stops at start (gpu_failure below says so)
    gpu_opts=(-Dspark.worker.resource.gpu.amount="$gpus"
      -Dspark.worker.resource.gpu.discoveryScript="$root/scripts/gpu-discovery.sh")
  fi
  for ((i = 1; i <= workers; i++)); do
    mkdir -p "$dir/work-$i"
    launch "worker-$i" "${gpu_opts[@]}" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores "$cores" \
      --memory "$memory" --webui-port $((worker_ui + i - 1)) --work-dir "$dir/work-$i" \
      --properties-file "$dir/spark-daemons.conf" "$url"
  done
  wait_for 90 "$workers workers to register" registered_or_failed || { stop; exit 1; }
  if [ -n "$(gpu_failure)" ]; then
    log "a Worker could not offer $gpus GPU(s): $(gpu_failure) (what scripts/gpu-discovery.sh found)"
    stop
    exit 1
  fi
  log "up: master $url (UI http://127.0.0.1:$master_ui), $workers workers x $cores core(s), $memory$(
    [ "$gpus" -gt 0 ] && printf ', %s GPU(s) each' "$gpus" || true);" \
    "authentication on: drivers need --spark-secret-file $dir/secret"
  echo "$url"
}

stop() {
  local f pid i
  for f in "$dir"/worker-*.pid "$dir/master.pid"; do
    [ -f "$f" ] || continue
    pid=$(cat "$f")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
      log "stopped $(basename "$f" .pid) (pid $pid)"
    fi
    rm -f "$f"
  done
}

status() {
  local f any=1
  for f in "$dir/master.pid" "$dir"/worker-*.pid; do
    [ -f "$f" ] || continue
    if alive "$f"; then echo "$(basename "$f" .pid) running (pid $(cat "$f"))"; any=0
    else echo "$(basename "$f" .pid) dead (pid $(cat "$f"))"; fi
  done
  [ $any -eq 0 ] && echo "master $url" || echo "not running"
  return $any
}

case "${1:-}" in
  start)
    if [ "${2:-}" = "--gpus" ]; then
      [[ "${3:-}" =~ ^[0-9]+$ ]] \
        || { echo "usage: $0 start [--gpus N]  (N a whole number of GPUs per Worker)" >&2; exit 2; }
      gpus=$3
    elif [ -n "${2:-}" ]; then
      echo "usage: $0 start [--gpus N]" >&2; exit 2
    fi
    start ;;
  stop) stop ;;
  status) status ;;
  secret-file) echo "$dir/secret" ;;
  *) echo "usage: $0 start|stop|status|secret-file" >&2; exit 2 ;;
esac
