#!/usr/bin/env bash
# Broker down: the broker stops for DOWN seconds (default 60) in the middle of a simulated
# trainer's run and comes back on the same port and data directory. Passes when every checkpoint
# of the run is decided and the agent is healthy afterwards.
#
#   deploy/chaos/broker-down.sh [DOWN]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
DOWN="${1:-60}"
trap stop_all EXIT
BROKER_DATA="$DIR/broker-data"

start_broker
BROKER_PORT="${BOOTSTRAP##*:}"
start_agent --instance-id chaos-broker-down
wait_until 180 agent_ready || die "agent not ready (log: $AGENT_LOG)"
"$PY" "$ROOT/deploy/local/simulated_trainer.py" --bootstrap-servers "$BOOTSTRAP" --run broker-down --checkpoints 4 \
  --steps 3 --decision-timeout 600 >"$DIR/trainer.log" 2>&1 &
trainer=$!
wait_until 300 grep -q 'ckpt-1 decided' "$DIR/trainer.log" || die "no first decision (log: $DIR/trainer.log)"
kill "$(cat "$DIR/broker.pid")"; wait "$(cat "$DIR/broker.pid")" 2>/dev/null || true
log "broker stopped after the first decision; down for $DOWN s"
sleep "$DOWN"
mv "$DIR/broker.log" "$DIR/broker-before.log"
start_broker
t0=$(now_ms)
wait "$trainer" || true
decided=$(grep -c ' decided, mask hash ' "$DIR/trainer.log" || true)
agent_healthy || die "agent unhealthy after the outage (log: $AGENT_LOG)"
echo "broker down $DOWN s: $decided of 4 checkpoints decided, the last $(( ($(now_ms) - t0) / 1000 )) s after the" \
  "broker came back; agent /health 200"
[ "$decided" = 4 ]
