#!/usr/bin/env bash
# Creates the SCRAM users and the ACLs of a Prunewire deployment on a running Kafka cluster whose
# brokers run the KRaft authorizer (server.properties here), as the administrator, with the launcher's
# `prunewire acls`; it waits until the broker reports them. Re-running is harmless.
#
#   deploy/kafka/setup-acls.sh BOOTSTRAP ADMIN_PROPERTIES [USERS_FILE]
#   deploy/kafka/setup-acls.sh kafka-1.example.org:9093 deploy/kafka/admin.properties users.properties
#
# USERS_FILE: name=password per line (users.properties.example); without it only the ACLs are made.
# AGENT_USER (default prunewire-agent) and TRAINER_USERS (space-separated, default prunewire-trainer)
# name the principals; AGENT_CONFIG, the agent's settings file (prunewire agent --config), supplies its
# application.id and topic names. KAFKA_CLI=1 prints the same as Kafka's own kafka-configs.sh and
# kafka-acls.sh commands instead (for a broker host without the launcher) and changes nothing.
# PRUNEWIRE chooses the launcher (default: this repository's ./prunewire).
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PW="${PRUNEWIRE:-$ROOT/prunewire}"
ARGS=(acls --bootstrap-servers "$1" --kafka-config "$2" --agent-user "${AGENT_USER:-prunewire-agent}")
for t in ${TRAINER_USERS:-prunewire-trainer}; do
  ARGS+=(--trainer-user "$t")
done
[ $# -ge 3 ] && ARGS+=(--users "$3")
[ -n "${AGENT_CONFIG:-}" ] && ARGS+=(--agent-config "$AGENT_CONFIG")
[ "${KAFKA_CLI:-0}" = 1 ] && ARGS+=(--dry-run)
exec "$PW" "${ARGS[@]}"
