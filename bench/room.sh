#!/usr/bin/env bash
# Deliveries per second and send-to-receive latency (p50/p99) for one chat room of MEMBERS sockets, on one node and
# on two nodes sharing one Redis (members split between them). Senders and members live in one Node.js process,
# so latency is measured on one clock.
#
#   bench/room.sh                MEMBERS=1000 SENDERS=5 RATE=100 (messages/s in total) DURATION=20
set -euo pipefail
cd "$(dirname "$0")/.."
. bin/java-env.sh
MEMBERS=${MEMBERS:-1000}
SENDERS=${SENDERS:-5}
RATE=${RATE:-100}
DURATION=${DURATION:-20}
ulimit -n "$(ulimit -Hn)"
mkdir -p target
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true' EXIT

start_node() { # port name
    GATEWAY_DEV_MODE=true PORT=$1 GATEWAY_NODE_ID=$2 OUTBOUND_QUEUE_FRAMES=${OUTBOUND_QUEUE_FRAMES:-4096} \
        RATE_LIMIT_PER_SECOND=1000 JAVA_OPTS="${JAVA_OPTS:--Xmx1g}" bin/gateway >"target/bench-room-$2.log" 2>&1 &
    PIDS+=($!)
    for _ in $(seq 1 100); do grep -q "gateway listening" "target/bench-room-$2.log" && return; sleep 0.2; done
    echo "node $2 did not start" >&2; exit 1
}

start_node 18101 bench-a
echo "one node:"
node bench/peer.js room --members "$MEMBERS" --ports 18101 --senders "$SENDERS" --rate "$RATE" --duration "$DURATION"
start_node 18102 bench-b
echo "two nodes:"
node bench/peer.js room --members "$MEMBERS" --ports 18101,18102 --senders "$SENDERS" --rate "$RATE" --duration "$DURATION"
