#!/usr/bin/env bash
# Wrong credentials on a broker with SASL/SCRAM and Kafka's authorizer (prunewire broker
# --scram-users --super-user, ACLs by prunewire acls): a DL4J trainer (prunewire train --quick) with a
# wrong password, then one with the right password, against an agent that logs in correctly.
# Passes when the wrong-password trainer is refused by the broker without hanging or crashing its
# process (it reports the authentication failure and trains on unpruned, or stops with an error that
# names it), the agent keeps deciding, and the right-password trainer gets all its decisions.
#
#   deploy/chaos/wrong-credentials.sh          (several minutes: two quick trainings)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
RUN="creds-$(date +%s)"
trap stop_all EXIT

printf 'admin=admin-secret\nprunewire-agent=agent-secret\nprunewire-trainer=trainer-secret\n' >"$DIR/users.properties"
client() { # client USER PASSWORD > file
  printf 'security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\n'
  printf 'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="%s" password="%s";\n' "$1" "$2"
}
client admin admin-secret >"$DIR/admin.properties"
client prunewire-agent agent-secret >"$DIR/agent.properties"
client prunewire-trainer trainer-secret >"$DIR/trainer.properties"
client prunewire-trainer guess >"$DIR/wrong.properties"

"$PW" broker --port 0 --partitions 2 --scram-users "$DIR/users.properties" --super-user admin >"$DIR/broker.log" 2>&1 &
echo $! >"$DIR/broker.pid"
wait_until 180 grep -q '^sasl.bootstrap.servers=' "$DIR/broker.log" || die "broker not up (log: $DIR/broker.log)"
BOOTSTRAP="$(log_value "$DIR/broker.log" '^sasl.bootstrap.servers=\([^ ]*\).*$')"
log "SASL listener at $BOOTSTRAP"
"$PW" acls --bootstrap-servers "$BOOTSTRAP" --kafka-config "$DIR/admin.properties" >"$DIR/acls.log" 2>&1 \
  || die "prunewire acls failed (log: $DIR/acls.log)"
tail -n 1 "$DIR/acls.log" | sed 's/^/  /'
start_agent --kafka-config "$DIR/agent.properties"
wait_until 180 agent_ready || die "agent not ready (log: $AGENT_LOG)"

train() { # train NAME PROPERTIES: a quick training with 2 checkpoints; prints its exit code
  local rc=0
  timeout 900 "$PW" train --model hybrid --quick --bootstrap-servers "$BOOTSTRAP" --kafka-config "$2" \
    --run-id "$RUN-$1" --checkpoints 2 --decision-timeout 30 >"$DIR/trainer-$1.log" 2>&1 || rc=$?
  echo "$rc"
}

log "trainer with a wrong password ..."
wrong_rc=$(train wrong "$DIR/wrong.properties")
[ "$wrong_rc" != 124 ] || die "the wrong-password trainer hung (killed after 900 s; log: $DIR/trainer-wrong.log)"
grep -qi 'authentication' "$DIR/trainer-wrong.log" \
  || die "the wrong-password trainer did not name the authentication failure (log: $DIR/trainer-wrong.log)"
grep -i -m 3 'authentication' "$DIR/trainer-wrong.log" | cut -c1-240 | sed 's/^/  /'
if [ "$wrong_rc" = 0 ]; then
  grep -q '^pruning: 0 of' "$DIR/trainer-wrong.log" \
    || die "the wrong-password trainer finished but applied decisions it cannot have read (log: $DIR/trainer-wrong.log)"
fi
grep 'pruning:\|closed with' "$DIR/trainer-wrong.log" | cut -c1-200 | sed 's/^/  /'
log "wrong-password trainer exited with $wrong_rc"

log "trainer with the right password ..."
right_rc=$(train right "$DIR/trainer.properties")
[ "$right_rc" = 0 ] || die "the right-password trainer failed with $right_rc (log: $DIR/trainer-right.log)"
applied=$(grep -c 'pruning:' "$DIR/trainer-right.log" || true)
grep 'pruning:' "$DIR/trainer-right.log" | sed 's/^/  /'
agent_healthy || die "agent unhealthy after the wrong-password trainer (log: $AGENT_LOG)"
[ "$applied" -ge 2 ] || die "the right-password trainer applied $applied of 2 decisions (log: $DIR/trainer-right.log)"
echo "wrong password: trainer exit $wrong_rc, refused by the broker; right password: $applied decisions applied;" \
  "agent decisions: $(metric 'prunewire_decisions_total{reason="complete"}')"
