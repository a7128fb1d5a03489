#!/usr/bin/env bash
# SIGKILL loop: the agent is killed KILLS times (default 20) at random moments while a simulated
# trainer runs CHECKPOINTS checkpoints (default 80); passes when every decision's mask hash equals
# the one an uninterrupted run of the same trainer got (0 lost or changed decisions) and all KILLS
# kills fell while the trainer ran. The trainer only advances while an agent is up, between a kill
# every 20 s or so; 20 kills took about 45 checkpoints on a loaded 2-core machine. When the trainer
# finishes first the script says so and exits 2: give it more checkpoints.
#
#   deploy/chaos/kill-loop.sh [KILLS] [CHECKPOINTS]     (about 10 minutes with the defaults)
#
# Two phases on fresh brokers: the reference run without kills, then the same run (same run id,
# so the same telemetry) while a loop kills the agent with SIGKILL 0-4 s after each restart became
# ready and restarts it with the same instance id and state directory. The trainer waits up to
# 600 s per decision, so a decision can only be missing if it was lost.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
KILLS="${1:-20}"
CHECKPOINTS="${2:-80}"
trap stop_all EXIT
TRAINER=("$PY" "$ROOT/deploy/local/simulated_trainer.py" --run kill-loop --checkpoints "$CHECKPOINTS" --steps 3
  --neurons 32 --decision-timeout 600)
hashes() { sed -n 's/.*: \(ckpt-[0-9]*\) decided, mask hash \([0-9a-f]*\).*/\1 \2/p' "$1"; }

start_broker
start_agent --instance-id chaos-kill-0
wait_until 180 agent_ready || die "agent not ready (log: $AGENT_LOG)"
"${TRAINER[@]}" --bootstrap-servers "$BOOTSTRAP" >"$DIR/reference.log" 2>&1
hashes "$DIR/reference.log" >"$DIR/reference.hashes"
log "reference run: $(wc -l <"$DIR/reference.hashes") decisions"
stop_all

PHASE=-killed  # a fresh state directory: the old one belongs to the first broker
start_broker
start_agent --instance-id chaos-kill-0
wait_until 180 agent_ready || die "agent not ready (log: $AGENT_LOG)"
"${TRAINER[@]}" --bootstrap-servers "$BOOTSTRAP" >"$DIR/killed.log" 2>&1 &
trainer=$!
kills=0
while ((kills < KILLS)) && kill -0 "$trainer" 2>/dev/null; do
  sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.1f", r % 40 / 10 }')"
  kill -9 "$AGENT_PID"; wait "$AGENT_PID" 2>/dev/null || true
  kills=$((kills + 1))
  start_agent --instance-id chaos-kill-0
  wait_until 180 agent_ready || die "agent not ready after kill $kills (log: $AGENT_LOG)"
done
wait "$trainer" || true
hashes "$DIR/killed.log" >"$DIR/killed.hashes"
if diff "$DIR/reference.hashes" "$DIR/killed.hashes" >"$DIR/diff.txt"; then
  echo "$kills kills during the run: all $(wc -l <"$DIR/killed.hashes") decisions equal to the uninterrupted run's"
else
  echo "$kills kills: decisions differ from the uninterrupted run (reference < > killed):"; cat "$DIR/diff.txt"; exit 1
fi
if ((kills < KILLS)); then
  echo "only $kills of $KILLS kills: the trainer finished its $CHECKPOINTS checkpoints first; run more checkpoints"; exit 2
fi
