#!/usr/bin/env bash
# Memory per idle authenticated socket, authenticated connects per second, and Redis round trips per heartbeat,
# for N sockets on one gateway node (embedded Redis, development mode).
#
#   bench/connect.sh            N=10000 by default; needs `make build` and `npm install` in bench/
#
# Heap is measured after a full GC (jcmd GC.run, then GC.heap_info); RSS from /proc. Both are compared with the same
# node before any socket connected.
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/java-env.sh
N=${N:-10000}
PORT=${PORT:-18090}
ulimit -n "$(ulimit -Hn)"
mkdir -p target
LOG=target/bench-connect-gateway.log

GATEWAY_DEV_MODE=true PORT=$PORT HEARTBEAT_INTERVAL_SECONDS=10 JAVA_OPTS="${JAVA_OPTS:--Xmx2g}" bin/gateway >"$LOG" 2>&1 &
GW=$!
trap 'kill $GW 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q "gateway listening" "$LOG" && break; sleep 0.2; done

heap_kb() { "$JAVA_HOME/bin/jcmd" "$GW" GC.run >/dev/null; "$JAVA_HOME/bin/jcmd" "$GW" GC.heap_info | grep -oE 'used [0-9]+K' | head -1 | grep -oE '[0-9]+'; }
rss_kb() { grep VmRSS "/proc/$GW/status" | grep -oE '[0-9]+'; }
metric() { curl -s "http://127.0.0.1:$PORT/observe/metrics" | grep -E "^$1" | awk '{s+=$2} END {print s+0}'; }

sleep 2
HEAP0=$(heap_kb); RSS0=$(rss_kb)
node bench/peer.js connect --n "$N" --ports "$PORT" --hold 45 >target/bench-connect-peer.out 2>&1 &
PEER=$!
for _ in $(seq 1 600); do grep -q holding target/bench-connect-peer.out && break; sleep 0.5; done
head -1 target/bench-connect-peer.out
sleep 12
PINGS0=$(metric 'gateway_presence_ping_batch_sum'); FLUSH0=$(metric 'gateway_presence_ping_batch_count')
sleep 20
PINGS1=$(metric 'gateway_presence_ping_batch_sum'); FLUSH1=$(metric 'gateway_presence_ping_batch_count')
HEAP1=$(heap_kb); RSS1=$(rss_kb)
OPEN=$(metric 'gateway_connections_open')
echo "open sockets: $OPEN"
echo "heap after GC: ${HEAP0} KiB idle -> ${HEAP1} KiB; per socket: $(( (HEAP1 - HEAP0) * 1024 / N )) bytes"
echo "RSS: ${RSS0} KiB idle -> ${RSS1} KiB; per socket: $(( (RSS1 - RSS0) * 1024 / N )) bytes"
echo "presence pings in 20 s: $((PINGS1 - PINGS0)), Redis round trips for them: $((FLUSH1 - FLUSH0))" \
     "($(awk -v p=$((PINGS1 - PINGS0)) -v f=$((FLUSH1 - FLUSH0)) 'BEGIN { if (p > 0) printf "%.4f", f / p; else print "n/a" }') per ping)"
wait $PEER || true
