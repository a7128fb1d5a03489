#!/usr/bin/env bash
# Dashboards and alert rules against real servers, on 127.0.0.1 only, in a few minutes:
#   promtool check rules / test rules;
#   deploy/local/stack.sh starts a real Kafka broker, the agent and Debian's Prometheus (1 s scrape);
#   1. a clean run, no injected faults: one short JVM trainer (`stack.sh jvm-trainer`: prunewire
#      train, tiny widths, one epoch of the --quick slice, one checkpoint) whose /metrics Prometheus
#      scrapes as job prunewire-trainer, served until the end; check_live.py requires every panel
#      query to return data other than NaN right after the last decision and again 17 s later (past
#      the 15 s rate windows, which hold 15 samples at the 1 s scrape: the panels read gauges that
#      hold and histograms, not summaries that expire), the decision annotations to have samples,
#      and no alert to be active;
#   2. injected faults: two simulated trainers (deploy/local/simulated_trainer.py, valid protocol-v1
#      events, exact and quick) run one run whose barriers complete (plus a repeated checkpoint and
#      malformed records) and one whose barriers time out; check_live.py then requires every panel
#      query to return data and the timed-out barriers to raise PrunewireTrainerMissingAtBarrier,
#      while the agent is not down and the few invalid records (about 3 % of the traffic) stay below
#      the dead-letter alert.
# Everything started here is stopped on exit.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TEST="$ROOT/dashboards/test"
command -v promtool >/dev/null || { echo "promtool missing: apt-get install -y prometheus" >&2; exit 1; }
/usr/bin/python3 -c 'import confluent_kafka' 2>/dev/null \
  || { echo "python3-confluent-kafka missing: apt-get install -y python3-confluent-kafka" >&2; exit 1; }

echo "== promtool"
promtool check rules "$ROOT/dashboards/prometheus/prunewire-alerts.yml"
(cd "$ROOT/dashboards/prometheus" && promtool test rules prunewire-alerts_test.yml)
python3 -m unittest discover -s "$TEST" -p 'test_*.py' 2>&1 | tail -n 1

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
export PRUNEWIRE_STACK_DIR; PRUNEWIRE_STACK_DIR="$(mktemp -d "${TMPDIR:-/tmp}/prunewire-live.XXXXXX")"
export KAFKA_PORT AGENT_PORT PROMETHEUS_PORT TRAINER_PORT
KAFKA_PORT="$(free_port)"; AGENT_PORT="$(free_port)"; PROMETHEUS_PORT="$(free_port)"; TRAINER_PORT="$(free_port)"
export SCRAPE_INTERVAL=1s PRUNEWIRE_BARRIER_TIMEOUT=3s PRUNEWIRE_COMMIT_INTERVAL=200ms
export PRUNEWIRE_APPLICATION_ID="prunewire-live-$$"
jvm=
cleanup() {
  local rc=$?
  if [ -n "$jvm" ]; then kill "$jvm" 2>/dev/null || true; wait "$jvm" 2>/dev/null || true; fi
  "$ROOT/deploy/local/stack.sh" stop || true
  if [ "$rc" -ne 0 ]; then
    echo "logs kept in $PRUNEWIRE_STACK_DIR" >&2
  else
    rm -rf "$PRUNEWIRE_STACK_DIR"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== stack"
"$ROOT/deploy/local/stack.sh" start

echo "== clean run"
# bounded: 35 training windows at width 8, one checkpoint and three small evaluations, about a minute
# on a quiet machine (several on a busy one); it keeps serving /metrics until the checks are done
timeout 600 "$ROOT/deploy/local/stack.sh" jvm-trainer --run-id jvm-trainer --trainer-id t0 --quick --epochs 1 \
  --embedding 8 --rnn 8 --snn 8 --checkpoints 1 --decision-timeout 30 --metrics-linger 600 \
  >"$PRUNEWIRE_STACK_DIR/jvm-trainer.log" 2>&1 &
jvm=$!
deadline=$((SECONDS + 300))
until grep -q '^training done' "$PRUNEWIRE_STACK_DIR/jvm-trainer.log"; do
  if ! kill -0 "$jvm" 2>/dev/null || ((SECONDS > deadline)); then
    tail -n 30 "$PRUNEWIRE_STACK_DIR/jvm-trainer.log" >&2; echo "the JVM trainer did not finish training" >&2; exit 1
  fi
  sleep 1
done
python3 "$TEST/check_live.py" --prometheus "http://127.0.0.1:$PROMETHEUS_PORT" \
  --agent "http://127.0.0.1:$AGENT_PORT" --job prunewire-trainer --window 15s --timeout 90 \
  --no-alerts --again-after 17

echo "== injected faults"
"$ROOT/deploy/local/stack.sh" trainer --run sim-complete --trainer t0 --checkpoints 3 --ask-again --invalid 3 \
  --decision-timeout 30 &
complete=$!
"$ROOT/deploy/local/stack.sh" trainer --run sim-timeout --trainer t0 --fleet-size 2 --checkpoints 2 \
  --decision-timeout 30 &
timeout=$!
wait "$complete"
wait "$timeout"
python3 "$TEST/check_live.py" --prometheus "http://127.0.0.1:$PROMETHEUS_PORT" \
  --agent "http://127.0.0.1:$AGENT_PORT" --job prunewire-trainer --window 1m --timeout 60 \
  --expect-alert PrunewireTrainerMissingAtBarrier \
  --forbid-alert PrunewireAgentDown --forbid-alert PrunewireDeadLetterRate
