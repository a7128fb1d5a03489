package io.prunewire.trainer.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.broker.TlsKeys;
import io.prunewire.protocol.CheckpointEvent;
import io.prunewire.protocol.Header;
import io.prunewire.protocol.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink against a broker with TLS (an SSL listener, and SASL_SSL with SCRAM), its CA made at
 * test time: a trainer that does not trust the broker or whose password is wrong keeps training,
 * both client threads stay up and name the setting to fix, and the receiver's problem ends when the
 * fault is removed. Waits on latches fed by the sink's problem listener, never on the clock.
 */
class KafkaTelemetrySinkTlsTest {
  private static final String RUN = "run-tls";
  private static final long WAIT_S = 60;

  @TempDir static Path keys;
  static EmbeddedKafka kafka;

  @BeforeAll
  static void start() {
    kafka =
        EmbeddedKafka.builder()
            .tls(TlsKeys.generate(keys.resolve("broker")))
            .saslScram(Map.of("trainer", "t-secret"))
            .start();
    kafka.createTopics(Topics.TELEMETRY, Topics.DECISIONS);
  }

  @AfterAll
  static void stop() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void aTruststoreOfAnotherCaIsReportedByNameWhileTrainingGoesOn() throws Exception {
    // another CA: a truststore that loads but does not trust the broker's certificate
    TlsKeys other = TlsKeys.generate(keys.resolve("other"));
    Watch sender = new Watch(p -> p.contains("ssl.truststore.location"));
    Watch receiver = new Watch(p -> p.contains("ssl.truststore.location"));
    KafkaTelemetrySink.Builder b =
        KafkaTelemetrySink.builder(kafka.tlsBootstrapServers(), RUN, "trainer-0")
            .clientProperty("security.protocol", "SSL")
            .problemListener(
                (thread, problem) -> (thread.equals("sender") ? sender : receiver).see(problem));
    other.clientProperties().forEach(b::clientProperty);
    try (KafkaTelemetrySink sink = b.build()) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      SinkMetrics.bind(sink, registry);
      // training-side calls neither throw nor wait for the broker
      sink.publish(checkpoint(1));
      assertThat(sink.awaitDecision(RUN, "ckpt-1", Duration.ZERO)).isEmpty();
      assertThat(receiver.failed.await(WAIT_S, TimeUnit.SECONDS)).as("receiver problem").isTrue();
      assertThat(sender.failed.await(WAIT_S, TimeUnit.SECONDS)).as("sender problem").isTrue();
      assertThat(sink.receiverProblem().orElseThrow())
          .contains("TLS handshake", "ssl.truststore.location", other.truststore().toString());
      assertThat(sink.senderProblem().orElseThrow())
          .contains("ssl.truststore.location", other.truststore().toString());
      assertThat(sink.receiverState()).isEqualTo("RETRYING");
      assertThat(problemGauge(registry, "receiver")).isEqualTo(1);
      assertThat(problemGauge(registry, "sender")).isEqualTo(1);
      sink.publish(checkpoint(2));
      // the events wait for a broker the trainer trusts; none was lost
      assertThat(sink.stats().failed()).isZero();
      assertThat(sink.stats().delivered()).isZero();
    }
  }

  @Test
  void aWrongPasswordIsReportedByNameAndClearsOnceTheBrokerAcceptsIt() throws Exception {
    Watch sender = new Watch(p -> p.contains("sasl.jaas.config"));
    Watch receiver = new Watch(p -> p.contains("sasl.jaas.config"));
    KafkaTelemetrySink.Builder b =
        KafkaTelemetrySink.builder(kafka.saslBootstrapServers(), RUN, "trainer-1")
            .breakerOpenDuration(Duration.ofMillis(500))
            .problemListener(
                (thread, problem) -> (thread.equals("sender") ? sender : receiver).see(problem));
    // the right truststore, a user the broker knows, a password it does not accept (yet)
    kafka.saslClientProperties("trainer", "rotated-secret").forEach(b::clientProperty);
    try (KafkaTelemetrySink sink = b.build()) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      SinkMetrics.bind(sink, registry);
      sink.publish(checkpoint(1));
      assertThat(sink.awaitDecision(RUN, "ckpt-1", Duration.ZERO)).isEmpty();
      assertThat(receiver.failed.await(WAIT_S, TimeUnit.SECONDS)).as("receiver problem").isTrue();
      assertThat(sender.failed.await(WAIT_S, TimeUnit.SECONDS)).as("sender problem").isTrue();
      assertThat(sink.receiverProblem().orElseThrow())
          .contains("refused the credentials of user trainer", "sasl.jaas.config")
          .doesNotContain("rotated-secret");
      assertThat(sink.senderProblem().orElseThrow()).contains("sasl.jaas.config");
      assertThat(sink.receiverState()).isEqualTo("RETRYING");
      assertThat(problemGauge(registry, "receiver")).isEqualTo(1);

      // The administrator sets the password the trainer has: both threads recover by themselves
      // (the sender with a new producer: KAFKA-20237), and the buffered events are delivered.
      try (Admin admin =
          Admin.create(
              Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
        admin
            .alterUserScramCredentials(
                List.of(
                    new UserScramCredentialUpsertion(
                        "trainer",
                        new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096),
                        "rotated-secret")))
            .all()
            .get(30, TimeUnit.SECONDS);
      }
      assertThat(receiver.cleared.await(WAIT_S, TimeUnit.SECONDS)).as("receiver works").isTrue();
      assertThat(sender.cleared.await(WAIT_S, TimeUnit.SECONDS)).as("sender works").isTrue();
      sink.flush();
      assertThat(sink.stats().delivered()).isEqualTo(1);
      assertThat(sink.senderProblem()).isEmpty();
      assertThat(sink.receiverProblem()).isEmpty();
      assertThat(problemGauge(registry, "receiver")).isZero();
      assertThat(sink.stats().failed()).isZero();
    }
  }

  /** Counts down once when a matching problem is reported, and once when a problem ends. */
  private static final class Watch {
    final CountDownLatch failed = new CountDownLatch(1);
    final CountDownLatch cleared = new CountDownLatch(1);
    private final Predicate<String> match;

    Watch(Predicate<String> match) {
      this.match = match;
    }

    void see(Optional<String> problem) {
      if (problem.isEmpty()) {
        if (failed.getCount() == 0) {
          cleared.countDown();
        }
      } else if (match.test(problem.get())) {
        failed.countDown();
      }
    }
  }

  private static double problemGauge(SimpleMeterRegistry registry, String thread) {
    return registry.get("prunewire.trainer.kafka.problem").tag("thread", thread).gauge().value();
  }

  private static CheckpointEvent checkpoint(int n) {
    return new CheckpointEvent(
        new Header(RUN, "trainer-0", n, System.currentTimeMillis()), "ckpt-" + n, 1);
  }
}
