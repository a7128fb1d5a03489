#!/usr/bin/env bash
# Failover between two agent instances: SIGKILL the one that owns a run while its checkpoint barrier
# is open, and measure how long until the other instance decides.
#
#   deploy/chaos/failover.sh [KILLS]        (default 3)
#
# A broker with one telemetry partition and two agents on it (static membership, instance ids
# chaos-a and chaos-b), both with session.timeout 6s, standby.replicas 1, a 1 s consumer heartbeat
# and a 5 s transaction timeout (docs/AGENT.md, "Running several instances"; SESSION_TIMEOUT,
# STANDBY, HEARTBEAT_MS and TXN_TIMEOUT_MS change them). Each round: trainer t0 of a fresh
# two-trainer run reports its checkpoint and waits (the barrier is open on the owner); the owner,
# the agent holding the run, is killed with SIGKILL; trainer t1 starts at once and reports the same
# checkpoint. The figure is the time from the kill to t1 receiving the decision, from the other
# instance. The killed agent is then restarted for the next round. Prints one line per kill and the worst.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
KILLS="${1:-3}"
export PRUNEWIRE_SESSION_TIMEOUT="${SESSION_TIMEOUT:-6s}" PRUNEWIRE_STANDBY_REPLICAS="${STANDBY:-1}"
CLIENT=(--kafka-property "main.consumer.heartbeat.interval.ms=${HEARTBEAT_MS:-1000}"
  --kafka-property "producer.transaction.timeout.ms=${TXN_TIMEOUT_MS:-5000}")
trap stop_all EXIT
PARTITIONS=1 start_broker

declare -A PID URL
start_instance() {  # start_instance NAME: an agent with its own state directory and instance id
  PHASE="-$1" start_agent --instance-id "chaos-$1" "${CLIENT[@]}"
  PID[$1]=$AGENT_PID; URL[$1]=$AGENT_URL
  echo "$AGENT_PID" >"$DIR/agent-$1.pid"
}
ready() { curl -fsS -o /dev/null "${URL[$1]}/ready"; }
sample() { curl -fsS "${URL[$1]}/metrics" | awk -v s="$2" 'index($0, s" ") == 1 { print $2 }'; }
owns_run() { [ -n "$(sample "$1" 'prunewire_active_runs{partition="0"}')" ]; }
either_owns() { owns_run a || owns_run b; }
checkpoints() { local v; v="$(sample "$1" 'prunewire_events_consumed_total{type="checkpoint"}')"; echo "${v:-0}"; }
merged_more() { awk -v a="$(checkpoints "$1")" -v b="$2" 'BEGIN { exit !(a > b) }'; }
trainer() {  # trainer RUN ID: one trainer of a two-trainer run, one checkpoint, in the background
  "$PY" "$ROOT/deploy/local/simulated_trainer.py" --bootstrap-servers "$BOOTSTRAP" --run "$1" --trainer "$2" \
    --fleet-size 2 --checkpoints 1 --steps 1 --decision-timeout 120 >"$DIR/trainer-$1-$2.log" 2>&1 &
}

start_instance a
start_instance b
wait_until 180 ready a || die "agent a not ready (log: $DIR/agent-1.log)"
wait_until 180 ready b || die "agent b not ready (log: $DIR/agent-2.log)"
log "both agents ready; warm-up run"
trainer warm-up t0; w0=$!; trainer warm-up t1; w1=$!
wait "$w0" "$w1" || true
grep -q ' decided, mask hash ' "$DIR/trainer-warm-up-t1.log" || die "warm-up run not decided"

worst=0
for i in $(seq 1 "$KILLS"); do
  wait_until 120 either_owns || die "no agent holds a run"
  owner=a; other=b
  owns_run a || { owner=b; other=a; }
  before="$(checkpoints "$owner")"
  trainer "kill-$i" t0
  t0_pid=$!
  wait_until 120 merged_more "$owner" "$before" || die "owner $owner did not merge t0's checkpoint"
  kill -9 "${PID[$owner]}"; wait "${PID[$owner]}" 2>/dev/null || true
  t_kill=$(now_ms)
  trainer "kill-$i" t1
  t1_pid=$!
  wait "$t1_pid" || true
  grep -q ' decided, mask hash ' "$DIR/trainer-kill-$i-t1.log" || die "no decision after kill $i (log: $DIR/trainer-kill-$i-t1.log)"
  decided=$(( $(now_ms) - t_kill ))
  wait "$t0_pid" || true
  ((decided > worst)) && worst=$decided
  printf 'kill %d of agent %s: agent %s decided after %.1f s\n' "$i" "$owner" "$other" "$(echo "$decided/1000" | bc -l)"
  start_instance "$owner"
  wait_until 180 ready "$owner" || die "agent $owner not ready after restart"
done
printf 'worst of %d kills (session.timeout %s, standby.replicas %s): decided %.1f s after the kill\n' "$KILLS" \
  "$PRUNEWIRE_SESSION_TIMEOUT" "$PRUNEWIRE_STANDBY_REPLICAS" "$(echo "$worst/1000" | bc -l)"
