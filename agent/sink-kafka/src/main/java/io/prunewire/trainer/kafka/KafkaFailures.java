package io.prunewire.trainer.kafka;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/**
 * Turns a Kafka client's exception into one sentence that names the cause and the setting to fix.
 * Kafka's own messages say what failed ("SSL handshake failed", "Authentication failed") but not
 * which of the many client settings an operator has to change; the trainer's logs, {@code /metrics}
 * and {@link KafkaTelemetrySink#receiverProblem()} should.
 */
final class KafkaFailures {
  private static final Pattern JAAS_USER = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

  private final String bootstrapServers;
  private final Map<String, ?> settings;

  /**
   * @param settings the client's configuration, to name the truststore and user in messages (never
   *     copied into a message: passwords stay out of logs)
   */
  KafkaFailures(String bootstrapServers, Map<String, ?> settings) {
    this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    this.settings = Map.copyOf(settings);
  }

  /**
   * What went wrong and which setting to check.
   *
   * @param topic the topic the client reads or writes
   * @param operation the ACL operation it needs on {@code topic}, e.g. {@code Write} or {@code
   *     Read}
   */
  String describe(Throwable failure, String topic, String operation) {
    Throwable e = unwrap(failure);
    if (e instanceof SslAuthenticationException) {
      return "the TLS handshake with Kafka at "
          + bootstrapServers
          + " failed ("
          + jdkReason(e)
          + "): check ssl.truststore.location ("
          + truststore()
          + ") and ssl.truststore.password; the truststore must hold the CA that signed the"
          + " broker's certificate";
    }
    if (e instanceof SaslAuthenticationException) {
      return "Kafka at "
          + bootstrapServers
          + " refused the credentials of user "
          + user()
          + " ("
          + e.getMessage()
          + "): check the username and password in sasl.jaas.config and sasl.mechanism ("
          + setting("sasl.mechanism", "GSSAPI, Kafka's default")
          + ")";
    }
    if (e instanceof AuthenticationException) {
      return "Kafka at "
          + bootstrapServers
          + " did not authenticate the client ("
          + e.getMessage()
          + "): check security.protocol ("
          + setting("security.protocol", "PLAINTEXT, Kafka's default")
          + ") and the sasl.* and ssl.* settings";
    }
    if (e instanceof TopicAuthorizationException t) {
      String topics =
          t.unauthorizedTopics().isEmpty() ? topic : String.join(", ", t.unauthorizedTopics());
      return "Kafka at "
          + bootstrapServers
          + " denies user "
          + user()
          + " access to topic "
          + topics
          + ": an ACL must allow "
          + operation
          + " (and Describe) on topic "
          + topics
          + " for User:"
          + user()
          + " (prunewire acls grants the Prunewire ones)";
    }
    if (e instanceof ClusterAuthorizationException) {
      return "Kafka at "
          + bootstrapServers
          + " denies user "
          + user()
          + " a cluster operation ("
          + e.getMessage()
          + "): the idempotent producer needs IdempotentWrite on the cluster on brokers"
          + " before Kafka 2.8 (prunewire acls grants it)";
    }
    if (e instanceof AuthorizationException) {
      return "Kafka at "
          + bootstrapServers
          + " denies user "
          + user()
          + " ("
          + e.getMessage()
          + "): an ACL must allow "
          + operation
          + " on topic "
          + topic;
    }
    if (e instanceof RetriableException) {
      return "Kafka at "
          + bootstrapServers
          + " did not answer in time ("
          + e.getMessage()
          + "): is bootstrap.servers reachable, and does security.protocol ("
          + setting("security.protocol", "PLAINTEXT, Kafka's default")
          + ") match its listener?";
    }
    return "Kafka client failure with " + bootstrapServers + ": " + e;
  }

  /**
   * Why a producer or consumer could not even be created (its constructor failed), most often a
   * truststore or keystore that cannot be loaded; the client was never connected.
   */
  String describeConstruction(Throwable failure) {
    String root = rootMessage(failure);
    Object truststore = settings.get("ssl.truststore.location");
    if (truststore != null && mentions(failure, "truststore", String.valueOf(truststore))) {
      return "cannot load ssl.truststore.location "
          + truststore
          + " ("
          + root
          + "): check that the file exists and is readable, ssl.truststore.password and"
          + " ssl.truststore.type ("
          + setting("ssl.truststore.type", "JKS, Kafka's default")
          + ")";
    }
    Object keystore = settings.get("ssl.keystore.location");
    if (keystore != null && mentions(failure, "keystore", String.valueOf(keystore))) {
      return "cannot load ssl.keystore.location "
          + keystore
          + " ("
          + root
          + "): check that the file exists and is readable, ssl.keystore.password and"
          + " ssl.keystore.type";
    }
    if (mentions(failure, "jaas", "sasl")) {
      return "invalid SASL settings (" + root + "): check sasl.jaas.config and sasl.mechanism";
    }
    return "cannot create a Kafka client for " + bootstrapServers + ": " + root;
  }

  /** The user of {@code sasl.jaas.config}, for messages; never the password. */
  String user() {
    Object jaas = settings.get("sasl.jaas.config");
    if (jaas == null) {
      return "ANONYMOUS (no sasl.jaas.config)";
    }
    Matcher m = JAAS_USER.matcher(String.valueOf(jaas));
    return m.find() ? m.group(1) : "(no username in sasl.jaas.config)";
  }

  private String truststore() {
    Object location = settings.get("ssl.truststore.location");
    if (location != null) {
      return "now " + location;
    }
    if (settings.get("ssl.truststore.certificates") != null) {
      return "certificates given inline by ssl.truststore.certificates";
    }
    return "not set: only the JDK's default CAs are trusted";
  }

  private String setting(String key, String otherwise) {
    Object v = settings.get(key);
    return v == null ? "not set: " + otherwise : "now " + v;
  }

  /** Kafka wraps the JDK's SSLHandshakeException; its message is the useful part. */
  private static String jdkReason(Throwable e) {
    Throwable reason = e;
    while (reason.getCause() != null && reason.getCause() != reason) {
      reason = reason.getCause();
    }
    return reason.getMessage() == null ? reason.toString() : reason.getMessage();
  }

  /** Futures and callbacks wrap the client's exception in ExecutionException or KafkaException. */
  private static Throwable unwrap(Throwable failure) {
    Throwable e = failure;
    while (!(e instanceof org.apache.kafka.common.errors.ApiException)
        && e.getCause() != null
        && e.getCause() != e) {
      e = e.getCause();
    }
    return e instanceof org.apache.kafka.common.errors.ApiException ? e : failure;
  }

  private static String rootMessage(Throwable failure) {
    StringBuilder messages = new StringBuilder();
    for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
      if (e.getMessage() != null && !messages.toString().contains(e.getMessage())) {
        if (messages.length() > 0) {
          messages.append(": ");
        }
        messages.append(e.getMessage());
      }
    }
    return messages.length() == 0 ? failure.toString() : messages.toString();
  }

  private static boolean mentions(Throwable failure, String... words) {
    for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
      String text = (e.getClass().getName() + " " + e.getMessage()).toLowerCase(Locale.ROOT);
      for (String w : words) {
        if (text.contains(w.toLowerCase(Locale.ROOT))) {
          return true;
        }
      }
    }
    return false;
  }
}
