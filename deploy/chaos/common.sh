# Shared by the chaos scripts: start/stop a broker and an agent through the ./prunewire launcher, all
# on 127.0.0.1 with ports the processes pick themselves (0) and report in their logs.
# Source it; it sets ROOT, DIR (a fresh work directory, CHAOS_DIR to choose) and PW.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PW="$ROOT/prunewire"
DIR="${CHAOS_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/prunewire-chaos.XXXXXX")}"
mkdir -p "$DIR"
PY=/usr/bin/python3

log() { echo "chaos: $*" >&2; }
die() { log "$*"; exit 1; }

# now_ms: wall clock in milliseconds.
now_ms() { date +%s%3N; }

# wait_until SECONDS COMMAND...: polls COMMAND every 0.1 s; fails after SECONDS.
wait_until() {
  local secs="$1"; shift
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS <= deadline)) || return 1
    sleep 0.1
  done
}

# log_value FILE PATTERN: the first match of a sed -n regex (group 1) in FILE, empty if none yet.
log_value() { sed -n "s/$2/\1/p" "$1" 2>/dev/null | head -n 1; }

# start_broker: an embedded broker with the Prunewire topics; sets BOOTSTRAP.
start_broker() {
  "$PW" broker --port "${BROKER_PORT:-0}" --partitions "${PARTITIONS:-2}" ${BROKER_DATA:+--data-dir "$BROKER_DATA"} \
    >"$DIR/broker.log" 2>&1 &
  echo $! >"$DIR/broker.pid"
  wait_until 180 grep -q '^bootstrap.servers=' "$DIR/broker.log" || die "broker not up (log: $DIR/broker.log)"
  BOOTSTRAP="$(log_value "$DIR/broker.log" '^bootstrap.servers=\(.*\)$')"
  log "broker at $BOOTSTRAP (pid $(cat "$DIR/broker.pid"))"
}

# start_agent [agent flags...]: an agent on the broker, its own log per start; sets AGENT_PID, AGENT_URL.
AGENT_STARTS=0
start_agent() {
  AGENT_STARTS=$((AGENT_STARTS + 1))
  AGENT_LOG="$DIR/agent-$AGENT_STARTS.log"
  "$PW" agent --bootstrap-servers "$BOOTSTRAP" --metrics-port 0 --state-dir "$DIR/agent-state${PHASE:-}" "$@" >"$AGENT_LOG" 2>&1 &
  AGENT_PID=$!
  echo "$AGENT_PID" >"$DIR/agent.pid"
  wait_until 180 grep -q 'metrics on http' "$AGENT_LOG" || die "agent printed no metrics address (log: $AGENT_LOG)"
  AGENT_URL="$(log_value "$AGENT_LOG" '.*metrics on \(http:\/\/[0-9.:]*\)\/metrics.*')"
}

agent_ready() { curl -fsS -o /dev/null "$AGENT_URL/ready"; }
agent_healthy() { curl -fsS -o /dev/null "$AGENT_URL/health"; }

# metric NAME_AND_LABELS: a sample's value from the agent's /metrics (empty if absent).
metric() { curl -fsS "$AGENT_URL/metrics" | awk -v s="$1" 'index($0, s" ") == 1 { print $2 }'; }

stop_all() {
  for f in "$DIR"/*.pid; do
    [ -f "$f" ] || continue
    kill "$(cat "$f")" 2>/dev/null || true
  done
  wait 2>/dev/null || true
}
