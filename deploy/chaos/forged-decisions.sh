#!/usr/bin/env bash
# Forged decisions written straight to prunewire.decisions with kcat while a real DL4J trainer
# (prunewire train --quick) runs against a signing agent: an all-pruned mask, a mask for a layer
# "bogus", and a plausible mask (neuron 0 of every layer pruned), each unsigned, for the trainer's
# first three checkpoints. Passes when the trainer refuses all three (log and /metrics), trains to
# the end and applies the agent's signed decisions.
#
#   deploy/chaos/forged-decisions.sh            (a few minutes: the quick profile trains 2 epochs)
#   KEYED=0 deploy/chaos/forged-decisions.sh    (trainer without --decision-key: the content checks
#                                                refuse the first two, the plausible one is applied)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
KEYED="${KEYED:-1}"
RUN="forged-$(date +%s)"
trap stop_all EXIT

"$PW" keygen --key-id chaos-agent --out "$DIR/keys" >/dev/null
start_broker
start_agent --instance-id chaos-forged --signing-key "$DIR/keys/chaos-agent.key" --signing-key-id chaos-agent
wait_until 180 agent_ready || die "agent not ready (log: $AGENT_LOG)"
TRAIN=("$PW" train --model hybrid --quick --bootstrap-servers "$BOOTSTRAP" --run-id "$RUN" --checkpoints 3
  --decision-timeout 120)
[ "$KEYED" = 1 ] && TRAIN+=(--decision-key "chaos-agent=$DIR/keys/chaos-agent.pub")
"${TRAIN[@]}" >"$DIR/trainer.log" 2>&1 &
echo $! >"$DIR/trainer.pid"
wait_until 600 grep -q 'checkpoints every' "$DIR/trainer.log" || die "trainer did not start (log: $DIR/trainer.log)"
every=$(log_value "$DIR/trainer.log" '.*checkpoints every \([0-9]*\) steps.*')
# --quick: hybrid layers of 64 + 64 neurons
LAYERS=(h1.snn:64 h1.rnn:64 h2.snn:64 h2.rnn:64)
k=1
for kind in all-pruned bogus-layer plausible; do
  "$PY" "$ROOT/deploy/chaos/chaos_records.py" decision "$RUN" "step-$((k * every))" "$kind" "${LAYERS[@]}" \
    >"$DIR/forged-$kind.bin"
  kcat -P -b "$BOOTSTRAP" -t prunewire.decisions -k "$RUN" "$DIR/forged-$kind.bin"  # one file, one record
  k=$((k + 1))
done
log "forged 3 decisions for step-$every, step-$((2 * every)), step-$((3 * every)); waiting for the trainer"
wait "$(cat "$DIR/trainer.pid")" || die "the trainer exited with an error (log: $DIR/trainer.log)"
refused=$(grep -c 'refused' "$DIR/trainer.log" || true)
grep 'refused\|pruning:' "$DIR/trainer.log" | sed 's/^/  /'
echo "trainer finished; refusals logged: $refused; dead letters: none expected; agent decisions:" \
  "$(metric 'prunewire_decisions_total{reason="complete"}')"
