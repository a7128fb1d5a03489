#!/usr/bin/env bash
# TLS key material for Kafka's SASL_SSL listeners, made with the JDK's keytool only (no openssl): a
# private certificate authority, one PKCS#12 keystore per broker (an EC P-256 key and a certificate
# signed by the CA, naming the broker's DNS names and IP addresses as subject alternative names, so
# that clients' default hostname verification passes), and one truststore with the CA certificate for
# brokers, the agent and trainers. SASL/SCRAM authenticates the clients; TLS encrypts the connection and
# proves the broker's identity, so clients need the truststore only.
#
#   TLS_PASSWORD=... deploy/kafka/tls-keys.sh OUT_DIR BROKER[=SAN] ...
#   TLS_PASSWORD=... deploy/kafka/tls-keys.sh /etc/kafka/tls \
#       kafka-1.example.org=dns:kafka-1.example.org,ip:10.0.0.11 kafka-2.example.org
#
# BROKER names the files and the certificate (CN); SAN is keytool's list (dns:NAME, ip:ADDRESS, comma-
# separated); without one it is dns:BROKER, or ip:BROKER for an IPv4 address. Writes:
#   OUT_DIR/ca.p12                   the CA's key (CA_PASSWORD, default TLS_PASSWORD): keep it offline; it
#                                    signs the certificates of brokers added later (run again with new names)
#   OUT_DIR/ca.crt                   the CA certificate (PEM)
#   OUT_DIR/truststore.p12           the CA certificate: every broker and client (ssl.truststore.location)
#   OUT_DIR/BROKER.keystore.p12      that broker's key and certificate chain (ssl.keystore.location)
# Existing files are kept, never overwritten. Passwords travel in environment variables, not arguments.
# VALIDITY_DAYS (default 825) sets the brokers' certificates; the CA's is valid ten years.
set -euo pipefail
[ $# -ge 2 ] || { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
: "${TLS_PASSWORD:?set TLS_PASSWORD (at least 6 characters): the password of the keystores and the truststore}"
export TLS_PASSWORD CA_PASSWORD="${CA_PASSWORD:-$TLS_PASSWORD}"
OUT="$1"; shift
DAYS="${VALIDITY_DAYS:-825}"
KEYTOOL="${KEYTOOL:-keytool}"
mkdir -p "$OUT"
umask 077

# kt ARGS...: keytool, quiet unless it fails (then its output and the script's exit).
kt() {
  local out
  if ! out="$("$KEYTOOL" "$@" 2>&1)"; then
    echo "tls-keys: keytool $1 failed:" >&2
    echo "$out" >&2
    exit 1
  fi
}

if [ ! -f "$OUT/ca.p12" ]; then
  kt -genkeypair -alias ca -keyalg EC -groupname secp256r1 -dname "CN=Prunewire Kafka CA" -validity 3650 \
    -ext bc:c=ca:true,pathlen:0 -ext ku:c=keyCertSign,cRLSign \
    -storetype PKCS12 -keystore "$OUT/ca.p12" -storepass:env CA_PASSWORD
  echo "tls-keys: new CA in $OUT/ca.p12" >&2
fi
[ -f "$OUT/ca.crt" ] || kt -exportcert -rfc -alias ca -keystore "$OUT/ca.p12" -storepass:env CA_PASSWORD -file "$OUT/ca.crt"
if [ ! -f "$OUT/truststore.p12" ]; then
  kt -importcert -noprompt -alias prunewire-kafka-ca -file "$OUT/ca.crt" \
    -storetype PKCS12 -keystore "$OUT/truststore.p12" -storepass:env TLS_PASSWORD
fi

for arg in "$@"; do
  name="${arg%%=*}"
  if [ "$arg" != "$name" ]; then
    san="${arg#*=}"
  elif [[ "$name" =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
    san="ip:$name"
  else
    san="dns:$name"
  fi
  ks="$OUT/$name.keystore.p12"
  if [ -f "$ks" ]; then
    echo "tls-keys: $ks exists, kept" >&2
    continue
  fi
  kt -genkeypair -alias broker -keyalg EC -groupname secp256r1 -dname "CN=$name" -validity "$DAYS" \
    -storetype PKCS12 -keystore "$ks" -storepass:env TLS_PASSWORD
  kt -certreq -alias broker -keystore "$ks" -storepass:env TLS_PASSWORD -file "$OUT/$name.csr"
  # The CA decides the extensions: the broker serves TLS and, as a client of other brokers and the
  # controllers, presents the same certificate.
  kt -gencert -alias ca -keystore "$OUT/ca.p12" -storepass:env CA_PASSWORD -infile "$OUT/$name.csr" \
    -outfile "$OUT/$name.crt" -rfc -validity "$DAYS" -ext "san=$san" -ext ku:c=digitalSignature \
    -ext eku=serverAuth,clientAuth
  kt -importcert -noprompt -alias ca -file "$OUT/ca.crt" -keystore "$ks" -storepass:env TLS_PASSWORD
  kt -importcert -alias broker -file "$OUT/$name.crt" -keystore "$ks" -storepass:env TLS_PASSWORD
  rm -f "$OUT/$name.csr"
  [ -s "$ks" ] || { echo "tls-keys: keytool did not write $ks" >&2; exit 1; }
  echo "tls-keys: $ks for $san" >&2
done
echo "tls-keys: truststore $OUT/truststore.p12 (CA $OUT/ca.crt)" >&2
