#!/usr/bin/env bash
# Builds gpu-bundle/ (ignored by git): everything scripts/gpu-check.sh needs on a GPU machine that has no Java
# and cannot download anything, within the 64 MiB that may travel there (docs/gpu.md):
#   gpu-bundle/jre/       a Java runtime made with jlink from the modules jdeps finds the check needs, compressed
#   gpu-bundle/lib/       ternsweep-core and ternsweep-engine, JavaCPP and JavaCPP's CUDA presets (classes and
#                         the linux-x86_64 JNI wrappers; the CUDA libraries themselves come from the GPU machine)
#   gpu-bundle/classes/   scripts/GpuCheck.java compiled against them
#
#   scripts/gpu-bundle.sh            # build it (Maven Central is needed once, for the CUDA presets)
#
# Environment: CUDA_PRESET (default 13.3-9.25-1.5.14), JAVACPP (default 1.5.14): the preset and the JavaCPP
# version it was built with; JAVA_HOME (default: the java on PATH), whose jmods jlink reads.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="$root/gpu-bundle"
preset=${CUDA_PRESET:-13.3-9.25-1.5.14}
javacpp=${JAVACPP:-1.5.14}
limit_mib=64

log() { printf 'gpu-bundle: %s\n' "$*" >&2; }

java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
if [ ! -d "$java_home/jmods" ]; then
  log "no $java_home/jmods: jlink needs a JDK's jmods (apt-get install openjdk-17-jmods)"
  exit 2
fi

cd "$root"
log "building ternsweep-core and ternsweep-engine (mvn package, no install) ..."
mvn -q -B -o -DskipTests -pl engine -am package >"$root/target-gpu-bundle.log" 2>&1 \
  || { cat "$root/target-gpu-bundle.log" >&2; log "build failed"; exit 2; }
rm -f "$root/target-gpu-bundle.log"
version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' engine/pom.xml | head -1)

rm -rf "$out"
mkdir -p "$out/lib" "$out/classes"
cp "core/target/ternsweep-core-$version.jar" "engine/target/ternsweep-engine-$version.jar" "$out/lib/"
for a in "org.bytedeco:javacpp:$javacpp" "org.bytedeco:javacpp:$javacpp:jar:linux-x86_64" \
         "org.bytedeco:cuda:$preset" "org.bytedeco:cuda:$preset:jar:linux-x86_64"; do
  mvn -q -B dependency:copy -Dartifact="$a" -DoutputDirectory="$out/lib" >/dev/null \
    || { log "cannot fetch $a from Maven Central"; exit 2; }
done

javac -d "$out/classes" -cp "$out/lib/*" scripts/GpuCheck.java
# (the JNI-wrapper jars hold no classes of their own; leaving them out spares jdeps' split-package warnings)
mods=$(jdeps --multi-release 17 --ignore-missing-deps --print-module-deps \
  -cp "$out/lib/javacpp-$javacpp.jar:$out/lib/cuda-$preset.jar:$out/lib/ternsweep-core-$version.jar" "$out/classes" \
  "$out"/lib/ternsweep-*.jar "$out/lib/javacpp-$javacpp.jar" "$out/lib/cuda-$preset.jar" | tail -1)
log "jdeps: the check needs the modules $mods"
jlink --module-path "$java_home/jmods" --add-modules "$mods" --strip-debug --no-man-pages --no-header-files \
  --compress=2 --output "$out/jre"

"$out/jre/bin/java" -version 2>&1 | head -1 | sed 's/^/gpu-bundle: runtime: /' >&2
total=$(du -sm "$out" | cut -f1)
log "$(du -sh "$out/jre" | cut -f1) runtime + $(du -sh "$out/lib" | cut -f1) jars = ${total} MiB in $out"
if [ "$total" -gt "$limit_mib" ]; then
  log "${total} MiB is over the ${limit_mib} MiB that may travel to the GPU machine"
  exit 1
fi
