#!/usr/bin/env bash
# Issue 11's API load figures: one gateway node on 127.0.0.1 with a fresh Redis, then bench/ApiLoad.java measures
# requests/s for POST /api/v1/publish (to a user with one open socket) and for POST /api/v1/presence/query with
# 1,000 ids. Everything runs on this machine: generator, node and Redis share its cores, so the figures are a floor.
#
#   bench/api-load.sh                       # 10 s per phase, 16 concurrent requests
#   SECONDS_PER_PHASE=5 CONC=8 bench/api-load.sh
#
# Needs `make build`. Redis comes from PATH or from the embedded-redis jar in ~/.m2. Every process started here is
# killed on exit; every wait is bounded.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SECONDS_PER_PHASE=${SECONDS_PER_PHASE:-10}
CONC=${CONC:-16}
KEY=api-load-key-of-at-least-32-bytes-0123456789
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gateway-api-load-XXXXXX")
PIDS=()

say() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { say "error: $*"; exit 1; }
cleanup() {
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  say "logs in $WORK"
}
trap cleanup EXIT

[ -x "$ROOT/bin/gateway" ] && [ -f "$ROOT/server/target/gateway-server.jar" ] || die "run 'make build' first"
. "$ROOT/bin/java-env.sh"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

REDIS_SERVER=$(command -v redis-server || true)
if [ -z "$REDIS_SERVER" ]; then
  EMB=$(ls ~/.m2/repository/org/signal/embedded-redis/*/embedded-redis-*.jar 2>/dev/null | tail -1)
  [ -n "$EMB" ] || die "no redis-server on PATH and no embedded-redis jar in ~/.m2"
  (cd "$WORK" && unzip -o -q "$EMB" redis-server-7.0.15-linux-amd64 && chmod +x redis-server-7.0.15-linux-amd64)
  REDIS_SERVER=$WORK/redis-server-7.0.15-linux-amd64
fi
REDIS_PORT=$(free_port)
"$REDIS_SERVER" --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no >"$WORK/redis.log" 2>&1 &
PIDS+=($!)

PORT=$(free_port)
# development mode for /demo/token (the generator's socket); the key is the configured one, not the development key
GATEWAY_DEV_MODE=true GATEWAY_API_KEY=$KEY PORT=$PORT REDIS_URL="redis://127.0.0.1:$REDIS_PORT" GATEWAY_NODE_ID=api-load \
  "$ROOT/bin/gateway" >"$WORK/gateway.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 200); do
  grep -q "gateway listening on port" "$WORK/gateway.log" 2>/dev/null && break
  sleep 0.1
done
grep -q "gateway listening on port" "$WORK/gateway.log" || die "the gateway did not start: $(tail -5 "$WORK/gateway.log")"
say "gateway on :$PORT, Redis on :$REDIS_PORT, $(nproc) cores shared with whatever else runs here"

"$JAVA_HOME/bin/java" "$ROOT/bench/ApiLoad.java" "http://127.0.0.1:$PORT" "$KEY" "$SECONDS_PER_PHASE" "$CONC"
