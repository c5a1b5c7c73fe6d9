#!/usr/bin/env bash
# Issue 12's scale run: NODES gateway nodes x PER_NODE sockets on one Redis, driven by ../shared/bench/loadgen
# (idle scenario, every socket pinging at the announced interval), then one node killed (kill -9):
#   - all connected, presence right: presence:online holds every user once, `gatewayctl online --count` = total;
#   - RSS per node, Redis memory and CPU while idle;
#   - the killed node's users go offline `expired` within NODE_TTL plus two sweeps, nothing of it left in Redis.
#
#   bench/scale.sh                   # full size: 3 x 18,000 = 54,000 sockets (the lead runs this, on a quiet machine)
#   PER_NODE=1000 bench/scale.sh     # a small try: 3 x 1,000
#
# Needs `make build` (bin/gateway, bin/gatewayctl) and ../shared/bench/loadgen built (its build.sh). Redis comes
# from PATH or from the embedded-redis jar in ~/.m2. Every process started here runs in the background and is
# killed on exit; every wait is bounded.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOADGEN_DIR=${LOADGEN_DIR:-$ROOT/../shared/bench/loadgen}
NODES=${NODES:-3}
PER_NODE=${PER_NODE:-18000}
TOTAL=$((NODES * PER_NODE))
SECRET=${JWT_SECRET:-scale-run-secret-of-at-least-32-bytes!!}
NODE_HEARTBEAT_SECONDS=${NODE_HEARTBEAT_SECONDS:-5}
NODE_TTL_SECONDS=${NODE_TTL_SECONDS:-15}
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:--Xmx1g}
# handshakes in flight: three JVMs, Redis and the generator share the cores; at 500 (the generator's default) some
# registrations wait longer than REDIS_TIMEOUT_MILLIS for a pooled connection and those sockets are closed 1011
CONC=${CONC:-100}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gateway-scale-XXXXXX")
PIDS=()

say() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { say "error: $*"; exit 1; }
cleanup() {
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  say "logs in $WORK"
}
trap cleanup EXIT

[ -x "$ROOT/bin/gateway" ] && [ -f "$ROOT/server/target/gateway-server.jar" ] || die "run 'make build' first"
LOADGEN_JAR=$LOADGEN_DIR/target/loadgen-1.0.jar
[ -f "$LOADGEN_JAR" ] || die "build the load generator first: $LOADGEN_DIR/build.sh"
. "$ROOT/bin/java-env.sh"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# One Redis command over bash's /dev/tcp (inline protocol); prints the reply without its type byte.
redis() {
  exec 3<>"/dev/tcp/127.0.0.1/$REDIS_PORT"
  printf '%s\r\n' "$*" >&3
  local line
  IFS= read -r -t 5 line <&3 || { exec 3>&-; return 1; }
  line=${line%$'\r'}
  case $line in
    \$*) local n=${line#\$}; [ "$n" -lt 0 ] && { exec 3>&-; return 0; }
         head -c "$n" <&3; echo ;;
    *) echo "${line:1}" ;;
  esac
  exec 3>&-
}
info_field() { redis INFO "$1" | tr -d '\r' | sed -n "s/^$2://p"; }
ctl() { REDIS_URL="redis://127.0.0.1:$REDIS_PORT" JWT_SECRET=$SECRET "$ROOT/bin/gatewayctl" "$@"; }
rss_kib() { sed -n 's/^VmRSS:[[:space:]]*\([0-9]*\).*/\1/p' "/proc/$1/status" 2>/dev/null || echo 0; }
wait_for() { # seconds, description, command...
  local limit=$1 what=$2; shift 2
  local deadline=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || die "timed out after ${limit}s waiting for $what"
    sleep 1
  done
}

# --- Redis
REDIS_SERVER=$(command -v redis-server || true)
if [ -z "$REDIS_SERVER" ]; then
  EMB=$(ls ~/.m2/repository/org/signal/embedded-redis/*/embedded-redis-*.jar 2>/dev/null | tail -1)
  [ -n "$EMB" ] || die "no redis-server on PATH and no embedded-redis jar in ~/.m2"
  (cd "$WORK" && unzip -o -q "$EMB" redis-server-7.0.15-linux-amd64 && chmod +x redis-server-7.0.15-linux-amd64)
  REDIS_SERVER=$WORK/redis-server-7.0.15-linux-amd64
fi
REDIS_PORT=$(free_port)
"$REDIS_SERVER" --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --maxclients 1000 \
  --dir "$WORK" --logfile "$WORK/redis.log" &
PIDS+=($!); REDIS_PID=$!
wait_for 10 "Redis" redis PING
say "Redis on $REDIS_PORT"

# --- gateway nodes
PORTS=(); NODE_PIDS=()
for i in $(seq 1 "$NODES"); do
  PORT=0 REDIS_URL="redis://127.0.0.1:$REDIS_PORT" JWT_SECRET=$SECRET GATEWAY_NODE_ID="scale-$i" \
    NODE_HEARTBEAT_SECONDS=$NODE_HEARTBEAT_SECONDS NODE_TTL_SECONDS=$NODE_TTL_SECONDS JAVA_OPTS=$GATEWAY_JAVA_OPTS \
    setsid "$ROOT/bin/gateway" >"$WORK/node-$i.log" 2>&1 &
  PIDS+=($!); NODE_PIDS+=($!)
done
for i in $(seq 1 "$NODES"); do
  wait_for 60 "node $i to listen" grep -q 'gateway listening on port' "$WORK/node-$i.log"
  PORTS+=("$(sed -n 's/.*gateway listening on port \([0-9]*\).*/\1/p' "$WORK/node-$i.log" | head -1)")
done
say "nodes on ports ${PORTS[*]}"
RSS_BEFORE=(); for pid in "${NODE_PIDS[@]}"; do RSS_BEFORE+=("$(rss_kib "$pid")"); done

# --- sockets: the idle scenario holds them (pinging) long enough for the checks and the kill below
HOLD_MS=$(( (NODE_TTL_SECONDS + 2 * NODE_HEARTBEAT_SECONDS + 60) * 1000 ))
"$JAVA" -jar "$LOADGEN_JAR" idle --proto native --port "$(IFS=,; echo "${PORTS[*]}")" --secret "$SECRET" \
  --server-pid "$(IFS=,; echo "${NODE_PIDS[*]}")" --redis "127.0.0.1:$REDIS_PORT" --n "$TOTAL" \
  --conc "$CONC" --settle-ms 8000 --idle-cpu-ms "$HOLD_MS" --label scale --out "$WORK/loadgen.json" \
  >"$WORK/loadgen.out" 2>"$WORK/loadgen.err" &
PIDS+=($!); LOADGEN_PID=$!

connected() { [ "$(ctl online --count 2>/dev/null)" = "$TOTAL" ]; }
START=$SECONDS
wait_for $((120 + TOTAL / 200)) "$TOTAL users online (gatewayctl online --count)" connected
say "all $TOTAL online after $((SECONDS - START)) s"
sleep 10 # a few presence pings and heartbeats at rest

ONLINE_ZCARD=$(redis ZCARD presence:online)
CONNECTION_SETS=$(for i in $(seq 1 "$NODES"); do redis SCARD "ws:node:scale-$i:connections"; done | paste -sd' ')
CPU0=$(info_field cpu used_cpu_user); CPU0S=$(info_field cpu used_cpu_sys); T0=$(date +%s.%N)
sleep 10
CPU1=$(info_field cpu used_cpu_user); CPU1S=$(info_field cpu used_cpu_sys); T1=$(date +%s.%N)
REDIS_CPU=$(awk -v a="$CPU0" -v b="$CPU0S" -v c="$CPU1" -v d="$CPU1S" -v t0="$T0" -v t1="$T1" \
  'BEGIN { printf "%.1f", 100 * ((c + d) - (a + b)) / (t1 - t0) }')
REDIS_MEM=$(info_field memory used_memory_human)
RSS_AFTER=(); for pid in "${NODE_PIDS[@]}"; do RSS_AFTER+=("$(rss_kib "$pid")"); done

# --- one node killed
VICTIM=$NODES
VICTIM_SOCKETS=$(redis SCARD "ws:node:scale-$VICTIM:connections")
kill -9 "${NODE_PIDS[$((VICTIM - 1))]}"
KILLED_AT=$(date +%s.%N)
say "killed node scale-$VICTIM ($VICTIM_SOCKETS sockets)"
cleaned() {
  [ "$(redis SCARD "ws:node:scale-$VICTIM:connections")" = "0" ] &&
  [ "$(redis EXISTS "ws:node:scale-$VICTIM")" = "0" ] &&
  [ "$(redis ZCARD presence:online)" = "$((TOTAL - VICTIM_SOCKETS))" ]
}
wait_for $((NODE_TTL_SECONDS + 4 * NODE_HEARTBEAT_SECONDS + 60)) "node scale-$VICTIM cleaned up" cleaned
CLEANUP=$(awk -v a="$KILLED_AT" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
LEFT=$(ctl connections --node "scale-$VICTIM" -o json 2>/dev/null | tr -d "[:space:]" || true)
[ -z "$LEFT" ] || [ "$LEFT" = "[]" ] || die "records of scale-$VICTIM left: $LEFT"

# --- report
echo "## Scale run: $NODES nodes x $PER_NODE sockets = $TOTAL"
echo
echo "| figure | value |"
echo "|---|---|"
echo "| presence:online (ZCARD) / gatewayctl online --count | $ONLINE_ZCARD / $TOTAL |"
echo "| sockets per node (ws:node:*:connections) | $CONNECTION_SETS |"
for i in $(seq 1 "$NODES"); do
  echo "| node scale-$i RSS before / with sockets | $((RSS_BEFORE[i-1] / 1024)) MiB / $((RSS_AFTER[i-1] / 1024)) MiB |"
done
echo "| Redis used_memory | $REDIS_MEM |"
echo "| Redis CPU at rest (pings, heartbeats) | $REDIS_CPU % |"
echo "| node killed: sockets / cleanup (kill -9 to no record left) | $VICTIM_SOCKETS / $CLEANUP s (NODE_TTL ${NODE_TTL_SECONDS} s, sweep every ${NODE_HEARTBEAT_SECONDS} s) |"
kill "$LOADGEN_PID" 2>/dev/null || true
