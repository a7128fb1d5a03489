#!/usr/bin/env bash
# N random and mutated records (default 10,000) sent with kcat; passes when every one that is not
# a valid event is dead-lettered with a reason, /health stays 200, and a simulated trainer's run
# sent afterwards is still decided.
#
#   deploy/chaos/fuzz.sh [N]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
N="${1:-10000}"
DELIM=$'\n--prunewire-fuzz-record-boundary--\n'
trap stop_all EXIT

start_broker
start_agent --instance-id chaos-fuzz
wait_until 180 agent_ready || die "agent not ready (log: $AGENT_LOG)"
"$PY" "$ROOT/deploy/chaos/chaos_records.py" fuzz "$N" "$DELIM" >"$DIR/fuzz.bin"
kcat -P -b "$BOOTSTRAP" -t prunewire.telemetry -k fuzz-run -D "$DELIM" <"$DIR/fuzz.bin"
sent=$(kcat -C -b "$BOOTSTRAP" -t prunewire.telemetry -o beginning -e -q -f 'x\n' 2>/dev/null | wc -l)
processed() { [ "$(curl -fsS "$AGENT_URL/metrics" | awk '/^prunewire_events_(consumed|rejected)_total/ { s += $2 } END { print s + 0 }')" -ge "$sent" ]; }
wait_until 600 processed || die "agent processed fewer than $sent records (log: $AGENT_LOG)"
agent_healthy || die "agent unhealthy (log: $AGENT_LOG)"
rejected=$(curl -fsS "$AGENT_URL/metrics" | awk '/^prunewire_events_rejected_total/ { s += $2 } END { print s + 0 }')
consumed=$(curl -fsS "$AGENT_URL/metrics" | awk '/^prunewire_events_consumed_total/ { s += $2 } END { print s + 0 }')
"$PY" "$ROOT/deploy/local/simulated_trainer.py" --bootstrap-servers "$BOOTSTRAP" --run after-fuzz --checkpoints 1 \
  --steps 2 --decision-timeout 120 >"$DIR/trainer.log" 2>&1 || true
echo "sent $sent fuzzed records: $rejected dead-lettered, $consumed applied as valid;" \
  "check run decided: $(grep -c ' decided, mask hash ' "$DIR/trainer.log" || true) of 1; /health 200"
curl -fsS "$AGENT_URL/metrics" | grep '^prunewire_events_rejected_total' | sed 's/^/  /'
grep -q ' decided, mask hash ' "$DIR/trainer.log"
