#!/usr/bin/env bash
# Runs the Prunewire stack on one machine without Docker, every part a real server on 127.0.0.1:
#   Kafka       `prunewire broker` (single-node KRaft broker from Apache Kafka's jars)
#   agent       `prunewire agent --bootstrap-servers ...`
#   Prometheus  Debian's /usr/bin/prometheus with dashboards/prometheus/prunewire-alerts.yml
#   trainer     deploy/local/simulated_trainer.py (a non-JVM trainer producing valid events)
#   jvm-trainer `prunewire train --bootstrap-servers ... --metrics-port $TRAINER_PORT` (a DL4J trainer
#               with a PruningListener; Prometheus scrapes its /metrics as job prunewire-trainer)
#
# Usage: deploy/local/stack.sh start | trainer [simulated_trainer.py options]
#                              | jvm-trainer [prunewire train options] | status | stop
#
# Environment (defaults in brackets):
#   PRUNEWIRE_STACK_DIR   logs, pids, data                [${TMPDIR:-/tmp}/prunewire-stack]
#   KAFKA_PORT            broker port                     [9092]
#   AGENT_PORT            agent /metrics /health /ready   [9404]
#   TRAINER_PORT          JVM trainer /metrics            [9405]
#   PROMETHEUS_PORT       Prometheus UI and API           [9090]
#   SCRAPE_INTERVAL       Prometheus scrape interval      [15s]
#   PRUNEWIRE_*           agent settings, passed through (e.g. PRUNEWIRE_BARRIER_TIMEOUT=30s)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="${PRUNEWIRE_STACK_DIR:-${TMPDIR:-/tmp}/prunewire-stack}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
AGENT_PORT="${AGENT_PORT:-9404}"
TRAINER_PORT="${TRAINER_PORT:-9405}"
PROMETHEUS_PORT="${PROMETHEUS_PORT:-9090}"
SCRAPE_INTERVAL="${SCRAPE_INTERVAL:-15s}"
PROMETHEUS="${PROMETHEUS:-/usr/bin/prometheus}"

log() { echo "stack: $*" >&2; }
die() { log "$*"; exit 1; }

# wait_for NAME SECONDS COMMAND...: polls COMMAND every 0.5 s; fails with NAME's log tail.
wait_for() {
  local name="$1" secs="$2"; shift 2
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if ! kill -0 "$(cat "$DIR/$name.pid")" 2>/dev/null; then
      tail -n 30 "$DIR/$name.log" >&2; die "$name exited during start-up (log: $DIR/$name.log)"
    fi
    if ((SECONDS > deadline)); then
      tail -n 30 "$DIR/$name.log" >&2; die "$name not up after ${secs}s (log: $DIR/$name.log)"
    fi
    sleep 0.5
  done
}

# launch NAME COMMAND...: starts COMMAND in the background with its own log and pid file.
launch() {
  local name="$1"; shift
  "$@" >"$DIR/$name.log" 2>&1 &
  echo $! >"$DIR/$name.pid"
  log "$name started (pid $!, log $DIR/$name.log)"
}

http_ok() { curl -fsS -o /dev/null "$1"; }

start() {
  [ -x "$PROMETHEUS" ] || die "$PROMETHEUS not found: apt-get install -y prometheus"
  for name in broker agent prometheus; do
    if [ -f "$DIR/$name.pid" ] && kill -0 "$(cat "$DIR/$name.pid")" 2>/dev/null; then
      die "$name already runs (pid $(cat "$DIR/$name.pid")); run '$0 stop' first"
    fi
  done
  mkdir -p "$DIR"
  # a failed start stops what it started
  trap 'rc=$?; if [ "$rc" -ne 0 ]; then stop; fi; exit "$rc"' EXIT
  "$ROOT/prunewire" --version >/dev/null   # builds the launcher once, before anything is timed
  "$ROOT/prunewire" agent --help >/dev/null 2>&1 \
    || die "this build of prunewire has no 'agent' command (it comes from agent/cli AgentCommand)"

  PRUNEWIRE_JAVA_OPTS="${BROKER_JAVA_OPTS:--Xmx768m}" launch broker \
    "$ROOT/prunewire" broker --port "$KAFKA_PORT" --data-dir "$DIR/kafka"
  wait_for broker 90 grep -q '^bootstrap.servers=' "$DIR/broker.log"
  local bootstrap
  bootstrap="$(sed -n 's/^bootstrap.servers=//p' "$DIR/broker.log" | head -n 1)"
  echo "$bootstrap" >"$DIR/bootstrap.servers"

  PRUNEWIRE_JAVA_OPTS="${AGENT_JAVA_OPTS:--Xmx1g}" launch agent \
    "$ROOT/prunewire" agent --bootstrap-servers "$bootstrap" --metrics-port "$AGENT_PORT" \
    --state-dir "$DIR/agent-state"
  wait_for agent 120 http_ok "http://127.0.0.1:$AGENT_PORT/ready"

  sed -e "s|@SCRAPE_INTERVAL@|$SCRAPE_INTERVAL|" -e "s|@AGENT_PORT@|$AGENT_PORT|" \
    -e "s|@TRAINER_PORT@|$TRAINER_PORT|" \
    -e "s|@RULES@|$ROOT/dashboards/prometheus/prunewire-alerts.yml|" \
    "$ROOT/deploy/local/prometheus.yml.in" >"$DIR/prometheus.yml"
  launch prometheus "$PROMETHEUS" --config.file="$DIR/prometheus.yml" \
    --storage.tsdb.path="$DIR/prometheus-data" \
    --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" --web.enable-lifecycle
  wait_for prometheus 60 http_ok "http://127.0.0.1:$PROMETHEUS_PORT/-/ready"

  trap - EXIT
  log "up: Kafka $bootstrap, agent http://127.0.0.1:$AGENT_PORT/metrics," \
    "Prometheus http://127.0.0.1:$PROMETHEUS_PORT"
}

trainer() {
  [ -f "$DIR/bootstrap.servers" ] || die "no broker: run '$0 start' first"
  /usr/bin/python3 "$ROOT/deploy/local/simulated_trainer.py" \
    --bootstrap-servers "$(cat "$DIR/bootstrap.servers")" "$@"
}

# One JVM trainer in the foreground on the stack's broker, /metrics on 127.0.0.1:$TRAINER_PORT;
# exec, so that a signal to this script reaches the JVM.
jvm_trainer() {
  [ -f "$DIR/bootstrap.servers" ] || die "no broker: run '$0 start' first"
  PRUNEWIRE_JAVA_OPTS="${TRAINER_JAVA_OPTS:--Xmx1g}" exec "$ROOT/prunewire" train \
    --bootstrap-servers "$(cat "$DIR/bootstrap.servers")" --metrics-port "$TRAINER_PORT" "$@"
}

status() {
  for name in broker agent prometheus; do
    if [ -f "$DIR/$name.pid" ] && kill -0 "$(cat "$DIR/$name.pid")" 2>/dev/null; then
      echo "$name: running (pid $(cat "$DIR/$name.pid"))"
    else
      echo "$name: stopped"
    fi
  done
}

# Stops in reverse order: SIGTERM (the agent leaves its consumer group), then SIGKILL after 30 s.
stop() {
  for name in prometheus agent broker; do
    local pidfile="$DIR/$name.pid"
    [ -f "$pidfile" ] || continue
    local pid; pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid"
      local deadline=$((SECONDS + 30))
      while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
      if kill -0 "$pid" 2>/dev/null; then
        log "$name (pid $pid) ignored SIGTERM for 30 s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
      fi
      log "$name stopped"
    fi
    rm -f "$pidfile"
  done
}

case "${1:-}" in
  start) start ;;
  trainer) shift; trainer "$@" ;;
  jvm-trainer) shift; jvm_trainer "$@" ;;
  status) status ;;
  stop) stop ;;
  *) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
