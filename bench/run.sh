#!/usr/bin/env bash
# Builds the benchmark jar and weft's CLI jar, then runs weft's benchmark set (machine limits, weft's stack, weft and
# js-libp2p as real programs, scale, JMH) and prints one Markdown table (bench/RESULTS.md holds the latest). Usage:
#   bench/run.sh            short settings (256 MiB per transfer, 3 runs; 10-20 minutes on a busy 2-core machine)
#   bench/run.sh --full     1 GiB per transfer, 5 runs of the in-process runners and 3 of the programs, the whole
#                           yamux grid, JMH's annotated iterations
#   add --no-build to reuse bench/target/benchmarks.jar and target/weft.jar
# Needs: a JDK >= 21, Maven, Node >= 20 with npm (the js-libp2p interop peer; installed here if missing).
# Output of every step and the table: bench/target/run-<UTC time>/ (table.md, *.txt, jmh.csv).
set -euo pipefail
cd "$(dirname "$0")"

mode=quick build=1
for arg in "$@"; do
  case "$arg" in
    --full) mode=full ;;
    --quick) mode=quick ;;
    --no-build) build=0 ;;
    *) echo "usage: $0 [--quick|--full] [--no-build]" >&2; exit 2 ;;
  esac
done

# A JDK >= 21 to run on (the newest found), as .ci/run looks for one: $JAVA_HOME, /usr/lib/jvm/*, /opt/...
jdk_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
jdk="" best=0
for home in ${JAVA_HOME:-} /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
  [ -x "$home/bin/java" ] || continue
  v=$(jdk_major "$home"); v=${v%%.*}
  if [ -n "$v" ] && [ "$v" -ge 21 ] && [ "$v" -gt "$best" ]; then jdk=$home best=$v; fi
done
if [ -z "$jdk" ]; then
  echo "bench: no JDK >= 21 found (looked at \$JAVA_HOME and /usr/lib/jvm/*)" >&2
  exit 1
fi
java="$jdk/bin/java"
jar=target/benchmarks.jar

if [ "$build" = 1 ]; then
  echo "bench: building $jar"
  mvn -B -q -f pom.xml package
  echo "bench: building ../target/weft.jar (the weft CLI)"
  mvn -B -q -f ../pom.xml -DskipTests package
fi
# The js-libp2p interop peer's packages (as .ci/install installs them); bench/js/latency.mjs uses the same ones.
if [ ! -d ../src/test/interop/js/node_modules ]; then
  echo "bench: npm ci --prefix src/test/interop/js"
  npm ci --prefix ../src/test/interop/js --no-audit --no-fund
fi
ln -sfn ../../src/test/interop/js/node_modules js/node_modules

if [ "$mode" = full ]; then
  bytes=$((1 << 30)) runs=5 handshakes=1000 e2e_bytes=$((1 << 30)) e2e_runs=3
  yamux_grid=(-p payload=1024,16384,65536,262144,1048576 -p streams=1,10,100,1000)
  jmh_opts=()
else
  bytes=$((256 << 20)) runs=3 handshakes=200 e2e_bytes=$((256 << 20)) e2e_runs=3
  yamux_grid=()
  jmh_opts=(-f 1 -wi 1 -i 3 -w 1 -r 1)
fi

out=target/run-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "mode: $mode"
  echo "jdk: $("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p') ($jdk)"
  echo "cpu: $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n 1), nproc $(nproc)"
  echo "cpu flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|avx512f|avx512ifma|sha_ni|adx)$' | tr '\n' ' ')"
  echo "memory: $(sed -n 's/^MemTotal:\s*//p' /proc/meminfo)"
  echo "kernel: $(uname -r)"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/env.md"

step() { # name, then the command; output to $out/<name>.txt
  local name=$1; shift
  echo; echo "bench: $name: $*"
  "$@" 2>&1 | grep --line-buffered -v -e '^SLF4J' -e '^WARNING: .*sun.misc.Unsafe' | tee "$out/$name.txt"
}

step limits "$java" -Xms1g -Xmx1g -cp "$jar" weft.bench.limits.TcpLimit "$bytes" "$runs"
step stack "$java" -Xms1g -Xmx1g -cp "$jar" weft.bench.stack.StackPerf "$bytes" "$runs"
step stack-jdkaead "$java" -Xms1g -Xmx1g -Dweft.noise.aead=jdk -cp "$jar" weft.bench.stack.StackPerf "$bytes" "$runs"
step noise "$java" -Xms1g -Xmx1g -cp "$jar" weft.bench.noise.NoisePerf "$bytes" 262144 "$runs" "$handshakes"
step e2e "$java" -cp "$jar" weft.bench.e2e.EndToEnd --root .. --bytes "$e2e_bytes" --runs "$e2e_runs" \
  --connections 100 --pings 1000 --logs "$out/e2e-logs"
step e2e-jdkaead "$java" -cp "$jar" weft.bench.e2e.EndToEnd --root .. --bytes "$e2e_bytes" --runs "$e2e_runs" \
  --only perf --pairs weft_weft --suffix _jdkaead --weft-jvm-arg -Dweft.noise.aead=jdk --logs "$out/e2e-logs"
# QUIC v1: the programs (weft CLI and the js-libp2p QUIC peer, all four pairs), again with weft on NIO UDP (the
# before: no GSO/GRO), then weft warm in one JVM (to js too) and the threads per QUIC connection.
if [ ! -d ../src/test/interop/js-quic/node_modules ]; then
  echo "bench: npm ci --prefix src/test/interop/js-quic"
  npm ci --prefix ../src/test/interop/js-quic --no-audit --no-fund
fi
step e2e-quic "$java" -cp "$jar" weft.bench.e2e.EndToEnd --root .. --transport quic --bytes "$e2e_bytes" \
  --runs "$e2e_runs" --logs "$out/e2e-logs"
step e2e-quic-nio "$java" -cp "$jar" weft.bench.e2e.EndToEnd --root .. --transport quic --bytes "$e2e_bytes" \
  --runs "$e2e_runs" --suffix _nio --weft-jvm-arg -Dweft.quic.udp=nio --logs "$out/e2e-logs"
step quic "$java" -Xms1g -Xmx1g -cp "$jar" weft.bench.quic.QuicPerf "$e2e_bytes" "$runs" ..
step scale "$java" -Xms1g -Xmx1g -cp "$jar" weft.bench.scale.YamuxScale 10000
step scale-connections "$java" -Xms1g -Xmx1g -cp "$jar" weft.bench.scale.ConnectionScale 1000
step jmh "$java" -jar "$jar" 'weft.bench.(noise.AeadBench|noise.HandshakeBench|multistream.MultistreamBench|mux.YamuxBench)' \
  "${jmh_opts[@]}" "${yamux_grid[@]}" -rf csv -rff "$out/jmh.csv"

echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$out/env.md"
"$java" -cp "$jar" weft.bench.Table "$out" > "$out/table.md"
echo
echo "bench: results in $out"
echo
cat "$out/env.md"
echo
cat "$out/table.md"
