#!/usr/bin/env bash
# Restart after SIGKILL: how long until the agent is ready again and decides again.
#
#   deploy/chaos/restart-after-kill.sh [KILLS]        (default 3; the issue's figure is over 20)
#
# A broker and an agent (static group membership, --instance-id chaos-agent-0) run on 127.0.0.1.
# KILLS times: SIGKILL the agent at once, restart it with the same instance id and state
# directory, and measure from the kill to /ready answering 200 and to the decision of a fresh
# simulated trainer's checkpoint (deploy/local/simulated_trainer.py, 1 checkpoint, started right
# after the kill, so its own start is inside the figure). INSTANCE_ID= (empty) measures dynamic
# membership instead. Prints one line per kill and the worst; logs stay in the work directory.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
KILLS="${1:-3}"
INSTANCE_ID="${INSTANCE_ID-chaos-agent-0}"
trap stop_all EXIT
AGENT_FLAGS=()
[ -n "$INSTANCE_ID" ] && AGENT_FLAGS=(--instance-id "$INSTANCE_ID")

start_broker
start_agent "${AGENT_FLAGS[@]}"
wait_until 180 agent_ready || die "agent not ready (log: $AGENT_LOG)"
log "agent ready; warm-up run"
"$PY" "$ROOT/deploy/local/simulated_trainer.py" --bootstrap-servers "$BOOTSTRAP" --run warm-up --checkpoints 1 \
  --steps 1 >"$DIR/trainer-warm-up.log" 2>&1 || die "warm-up run failed (log: $DIR/trainer-warm-up.log)"

worst_ready=0; worst_decided=0
for i in $(seq 1 "$KILLS"); do
  kill -9 "$AGENT_PID"; wait "$AGENT_PID" 2>/dev/null || true
  t0=$(now_ms)
  start_agent "${AGENT_FLAGS[@]}"
  "$PY" "$ROOT/deploy/local/simulated_trainer.py" --bootstrap-servers "$BOOTSTRAP" --run "after-kill-$i" \
    --checkpoints 1 --steps 1 --decision-timeout 120 >"$DIR/trainer-$i.log" 2>&1 &
  trainer=$!
  wait_until 180 agent_ready || die "agent not ready after kill $i (log: $AGENT_LOG)"
  ready=$(( $(now_ms) - t0 ))
  wait "$trainer" || true
  grep -q ' decided, mask hash ' "$DIR/trainer-$i.log" || die "no decision after kill $i (log: $DIR/trainer-$i.log)"
  decided=$(( $(now_ms) - t0 ))
  ((ready > worst_ready)) && worst_ready=$ready
  ((decided > worst_decided)) && worst_decided=$decided
  printf 'kill %d: ready after %.1f s, decided after %.1f s\n' "$i" "$(echo "$ready/1000" | bc -l)" \
    "$(echo "$decided/1000" | bc -l)"
done
printf 'worst of %d kills (instance id "%s"): ready %.1f s, decided %.1f s\n' "$KILLS" "$INSTANCE_ID" \
  "$(echo "$worst_ready/1000" | bc -l)" "$(echo "$worst_decided/1000" | bc -l)"
