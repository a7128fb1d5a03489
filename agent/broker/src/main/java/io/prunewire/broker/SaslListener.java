package io.prunewire.broker;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The embedded broker's optional SASL listener ({@code SASL_PLAINTEXT}, or {@code SASL_SSL} with
 * TLS): one mechanism and the users it admits. PLAIN keeps its users in the listener's JAAS
 * configuration; SCRAM keeps them in the cluster metadata, where they are written when the storage
 * is formatted (Kafka's {@code kafka-storage format --add-scram}), so they exist before the
 * listener opens and no client can race their creation.
 *
 * @param mechanism the SASL mechanism the listener enables
 * @param users user name to password, in a stable order
 */
record SaslListener(Mechanism mechanism, Map<String, String> users) {

  /** The mechanisms the embedded broker offers. */
  enum Mechanism {
    PLAIN("PLAIN"),
    SCRAM_SHA_512("SCRAM-SHA-512");

    private final String kafkaName;

    Mechanism(String kafkaName) {
      this.kafkaName = kafkaName;
    }

    /** The name in {@code sasl.mechanism} and {@code sasl.enabled.mechanisms}. */
    String kafkaName() {
      return kafkaName;
    }
  }

  SaslListener {
    if (users.isEmpty()) {
      throw new IllegalArgumentException("SASL listener: at least one user is needed");
    }
    users.forEach(
        (user, password) -> {
          if (user == null || !user.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException(
                "SASL user: must be letters, digits, '_' or '-', was " + user);
          }
          // These characters would end or split the JAAS string or StorageTool's --add-scram
          // argument.
          if (password == null
              || password.isEmpty()
              || !password.matches("[^\"\\\\,\\[\\]\\s;]+")) {
            throw new IllegalArgumentException(
                "SASL password of "
                    + user
                    + ": must be non-empty without '\"', '\\', ',', '[', ']', ';' or white space");
          }
        });
    users = Collections.unmodifiableMap(new TreeMap<>(users));
  }

  /**
   * Adds the listener on {@code host:port} to a broker configuration, named after its security
   * protocol: {@code SASL_SSL} if {@code tls}, else {@code SASL_PLAINTEXT}.
   */
  void addTo(Properties p, String host, int port, boolean tls) {
    String protocol = protocol(tls);
    EmbeddedKafka.addListener(p, protocol, host, port);
    p.put("sasl.enabled.mechanisms", mechanism.kafkaName());
    String prefix = "listener.name." + protocol.toLowerCase(Locale.ROOT) + ".";
    if (mechanism == Mechanism.PLAIN) {
      // PlainLoginModule on a broker accepts the users listed as user_<name>="<password>".
      StringBuilder jaas =
          new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required");
      users.forEach(
          (u, pw) -> jaas.append(" user_").append(u).append("=\"").append(pw).append('"'));
      p.put(prefix + "plain.sasl.jaas.config", jaas.append(';').toString());
    } else {
      // The broker verifies SCRAM logins against the credentials in the metadata; it needs no users
      // here.
      p.put(
          prefix + "scram-sha-512.sasl.jaas.config",
          "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    }
  }

  /** The listener's security protocol, which is also its name. */
  static String protocol(boolean tls) {
    return tls ? "SASL_SSL" : "SASL_PLAINTEXT";
  }

  /**
   * The arguments that make {@code StorageTool format} write the SCRAM credentials (none for
   * PLAIN).
   */
  List<String> formatArguments() {
    List<String> args = new ArrayList<>();
    if (mechanism == Mechanism.SCRAM_SHA_512) {
      users.forEach(
          (u, pw) -> {
            args.add("--add-scram");
            args.add(mechanism.kafkaName() + "=[name=" + u + ",password=\"" + pw + "\"]");
          });
    }
    return args;
  }

  /**
   * A client's {@code sasl.jaas.config} for one of these users (or any other name and password).
   */
  String clientJaas(String user, String password) {
    String module =
        mechanism == Mechanism.PLAIN
            ? "org.apache.kafka.common.security.plain.PlainLoginModule"
            : "org.apache.kafka.common.security.scram.ScramLoginModule";
    return module + " required username=\"" + user + "\" password=\"" + password + "\";";
  }
}
