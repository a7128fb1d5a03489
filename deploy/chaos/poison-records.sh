#!/usr/bin/env bash
# The records of issue 13 that used to stop the agent for good, sent with kcat: an 85-byte
# RunStarted declaring a layer of 2^31-1 neurons followed by a Checkpoint, a 200-million-neuron
# layer, 60,000 layers. Passes when each is dead-lettered (limit_exceeded, the checkpoint
# unknown_run), /health stays 200 throughout, and a simulated trainer's run sent afterwards is
# still decided.
#
#   deploy/chaos/poison-records.sh
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
trap stop_all EXIT

start_broker
start_agent --instance-id chaos-poison
wait_until 180 agent_ready || die "agent not ready (log: $AGENT_LOG)"
"$PY" "$ROOT/deploy/chaos/chaos_records.py" poison "$DIR"
for f in huge-layer huge-layer-checkpoint wide-layer many-layers; do
  key=$(case $f in huge-layer*) echo run-huge-layer;; wide-layer) echo run-200m;; *) echo run-60k;; esac)
  kcat -P -b "$BOOTSTRAP" -t prunewire.telemetry -k "$key" -X message.max.bytes=16000000 "$DIR/$f.bin"
  agent_healthy || die "agent unhealthy after $f (log: $AGENT_LOG)"
done
log "sent the poison records; now a normal run"
"$PY" "$ROOT/deploy/local/simulated_trainer.py" --bootstrap-servers "$BOOTSTRAP" --run after-poison --checkpoints 2 \
  --steps 2 --decision-timeout 120 >"$DIR/trainer.log" 2>&1 || true
agent_healthy || die "agent unhealthy (log: $AGENT_LOG)"
decided=$(grep -c ' decided, mask hash ' "$DIR/trainer.log" || true)
kcat -C -b "$BOOTSTRAP" -t prunewire.dead-letter -o beginning -e -q \
  -f '%k %h\n' >"$DIR/dead-letters.txt" 2>/dev/null
grep -o '^[^ ]* \|prunewire.reason=[a-z_]*' "$DIR/dead-letters.txt" | paste -d' ' - - | sort | uniq -c | sed 's/^/  /'
limit=$(grep -c 'prunewire.reason=limit_exceeded' "$DIR/dead-letters.txt" || true)
echo "dead-lettered as limit_exceeded: $limit of 3; decisions for the run after them: $decided of 2;" \
  "/health 200 throughout; processing failures: $(f=$(metric prunewire_processing_failures_total); echo "${f:-0}")"
[ "$limit" = 3 ] && [ "$decided" = 2 ]
