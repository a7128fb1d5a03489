#!/usr/bin/env bash
# Wrong credentials on a broker with SASL/SCRAM and Kafka's authorizer (prunewire broker
# --scram-users --super-user, ACLs by prunewire acls): a DL4J trainer (prunewire train --quick) with a
# wrong password, then one with the right password, against an agent that logs in correctly.
# Passes when the wrong-password trainer is refused by the broker without hanging or crashing its
# process (it reports the authentication failure and trains on unpruned, or stops with an error that
# names it), the agent keeps deciding, and the right-password trainer gets all its decisions.
#
# With --tls the broker also serves TLS (prunewire broker --tls: SASL_SSL with a CA made at start)
# and every client uses the files it writes; a third trainer has no truststore and must be refused
# with a message that names ssl.truststore.location, training on unpruned.
#
#   deploy/chaos/wrong-credentials.sh          (several minutes: two quick trainings)
#   deploy/chaos/wrong-credentials.sh --tls    (three quick trainings)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
TLS=""
[ "${1:-}" != --tls ] || TLS=1
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

"$PW" broker --port 0 --partitions 2 --scram-users "$DIR/users.properties" --super-user admin \
  ${TLS:+--tls --tls-dir "$DIR/tls"} >"$DIR/broker.log" 2>&1 &
echo $! >"$DIR/broker.pid"
wait_until 180 grep -q '^sasl.bootstrap.servers=' "$DIR/broker.log" || die "broker not up (log: $DIR/broker.log)"
BOOTSTRAP="$(log_value "$DIR/broker.log" '^sasl.bootstrap.servers=\([^ ]*\).*$')"
log "SASL listener at $BOOTSTRAP"
if [ -n "$TLS" ]; then
  # the files prunewire broker --tls wrote (SASL_SSL, the truststore of its CA)
  for u in admin prunewire-agent prunewire-trainer; do
    [ -f "$DIR/tls/client-$u.properties" ] || die "prunewire broker --tls wrote no client-$u.properties (log: $DIR/broker.log)"
  done
  cp "$DIR/tls/client-admin.properties" "$DIR/admin.properties"
  cp "$DIR/tls/client-prunewire-agent.properties" "$DIR/agent.properties"
  cp "$DIR/tls/client-prunewire-trainer.properties" "$DIR/trainer.properties"
  sed 's/password="trainer-secret"/password="guess"/' "$DIR/trainer.properties" >"$DIR/wrong.properties"
  # the right password, but no truststore: only the JDK's default CAs, which did not sign the broker
  grep -v '^ssl\.truststore\.' "$DIR/trainer.properties" >"$DIR/untrusted.properties"
  grep -q '^security.protocol=SASL_SSL' "$DIR/trainer.properties" || die "the trainer file is not SASL_SSL"
fi
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

grep -i -m 1 'sasl.jaas.config' "$DIR/trainer-wrong.log" >/dev/null \
  || die "the wrong-password trainer did not name sasl.jaas.config (log: $DIR/trainer-wrong.log)"

untrusted=""
if [ -n "$TLS" ]; then
  log "trainer without the broker's truststore ..."
  untrusted_rc=$(train untrusted "$DIR/untrusted.properties")
  [ "$untrusted_rc" != 124 ] || die "the trainer without a truststore hung (log: $DIR/trainer-untrusted.log)"
  grep -q 'ssl.truststore.location' "$DIR/trainer-untrusted.log" \
    || die "the trainer without a truststore did not name ssl.truststore.location (log: $DIR/trainer-untrusted.log)"
  grep -m 2 'ssl.truststore.location' "$DIR/trainer-untrusted.log" | cut -c1-300 | sed 's/^/  /'
  if [ "$untrusted_rc" = 0 ]; then
    grep -q '^pruning: 0 of' "$DIR/trainer-untrusted.log" \
      || die "the trainer without a truststore applied decisions it cannot have read (log: $DIR/trainer-untrusted.log)"
  fi
  log "trainer without a truststore exited with $untrusted_rc"
  untrusted=" no truststore: trainer exit $untrusted_rc, ssl.truststore.location named;"
fi

log "trainer with the right password ..."
right_rc=$(train right "$DIR/trainer.properties")
[ "$right_rc" = 0 ] || die "the right-password trainer failed with $right_rc (log: $DIR/trainer-right.log)"
applied=$(grep -c 'pruning:' "$DIR/trainer-right.log" || true)
grep 'pruning:' "$DIR/trainer-right.log" | sed 's/^/  /'
agent_healthy || die "agent unhealthy after the wrong-password trainer (log: $AGENT_LOG)"
[ "$applied" -ge 2 ] || die "the right-password trainer applied $applied of 2 decisions (log: $DIR/trainer-right.log)"
echo "${TLS:+TLS (SASL_SSL): }wrong password: trainer exit $wrong_rc, refused by the broker;$untrusted right password: $applied decisions applied;" \
  "agent decisions: $(metric 'prunewire_decisions_total{reason="complete"}')"
