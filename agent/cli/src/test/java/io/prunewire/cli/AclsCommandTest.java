package io.prunewire.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.EventCodec;
import io.prunewire.protocol.Header;
import io.prunewire.protocol.LayerKind;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.protocol.RunStarted;
import io.prunewire.protocol.Topics;
import io.prunewire.trainer.kafka.KafkaTelemetrySink;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prunewire broker --scram-users --super-user} and {@code prunewire acls} together, as
 * deploy/kafka/setup-acls.sh and deploy/README.md ("Kafka with ACLs") use them: only the
 * administrator exists when the broker starts; {@code acls} creates the agent's and the trainer's
 * SCRAM users on the running broker ({@code Admin.alterUserScramCredentials}) and the ACLs, after
 * which the real trainer sink publishes telemetry and receives the agent user's decision, and the
 * trainer user cannot write a decision.
 */
class AclsCommandTest {

  @TempDir static Path dir;
  static Thread broker;
  static String sasl;
  static Path admin;
  static Path users;

  @BeforeAll
  static void startBroker() throws Exception {
    Path superUser = Files.writeString(dir.resolve("super.properties"), "admin=admin-secret\n");
    admin = Files.writeString(dir.resolve("admin.properties"), client("admin", "admin-secret"));
    users =
        Files.writeString(
            dir.resolve("users.properties"), "agent=agent-secret\ntrainer=trainer-secret\n");
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      broker =
          new Thread(
              () ->
                  Main.commandLine()
                      .execute(
                          "broker",
                          "--port",
                          "0",
                          "--partitions",
                          "1",
                          "--scram-users",
                          superUser.toString(),
                          "--super-user",
                          "admin"));
      broker.start();
      sasl = awaitLine(captured, Pattern.compile("(?m)^sasl\\.bootstrap\\.servers=(\\S+) "));
    } finally {
      System.setOut(stdout);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8))
        .contains("authorizer on, super users admin");
  }

  @AfterAll
  static void stopBroker() throws InterruptedException {
    broker.interrupt();
    broker.join(30_000);
  }

  static String client(String user, String password) {
    return "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-512\n"
        + "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + user
        + "\" password=\""
        + password
        + "\";\n";
  }

  static Map<String, String> login(String user, String password) {
    Map<String, String> m = new HashMap<>();
    for (String line : client(user, password).split("\n")) {
      m.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
    }
    return m;
  }

  static String[] run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit =
        Main.commandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(args);
    return new String[] {Integer.toString(exit), out.toString(), err.toString()};
  }

  @Test
  void createsUsersAndAclsUnderWhichTheTrainerSinkWorksAndCannotWriteDecisions() throws Exception {
    String[] first =
        run(
            "acls",
            "--bootstrap-servers",
            sasl,
            "--kafka-config",
            admin.toString(),
            "--users",
            users.toString(),
            "--agent-user",
            "agent",
            "--trainer-user",
            "trainer");
    assertThat(first[0]).as(first[2]).isEqualTo("0");
    assertThat(first[1])
        .contains("2 SCRAM user(s) created or updated; 12 ACL(s) in place, 12 of them new")
        .contains("User:trainer")
        .contains("prunewire-agent-*");
    String[] again =
        run(
            "acls",
            "--bootstrap-servers",
            sasl,
            "--kafka-config",
            admin.toString(),
            "--agent-user",
            "agent",
            "--trainer-user",
            "trainer");
    assertThat(again[1])
        .as(again[2])
        .contains("0 SCRAM user(s) created or updated; 12 ACL(s) in place, 0 of them new");

    Map<String, String> trainer = login("trainer", "trainer-secret");
    KafkaTelemetrySink.Builder b = KafkaTelemetrySink.builder(sasl, "run-acls", "t0");
    trainer.forEach(b::clientProperty);
    try (KafkaTelemetrySink sink = b.build()) {
      sink.publish(
          new RunStarted(header("t0"), 1, List.of(new LayerSpec("l1", LayerKind.RNN, 4, 2, ""))));
      sink.flush();
      assertThat(sink.stats().delivered()).isEqualTo(1);
      DecisionEvent decision =
          new DecisionEvent(
              header("agent"),
              "c1",
              List.of(
                  new DecisionEvent.LayerDecision(
                      "l1", new boolean[] {true, false, true, true}, new float[] {3, 0, 2, 1})),
              Map.of("hap", 1.0),
              "test",
              List.of());
      try (KafkaProducer<String, byte[]> agent = producer(login("agent", "agent-secret"))) {
        agent
            .send(new ProducerRecord<>(Topics.DECISIONS, "run-acls", EventCodec.encode(decision)))
            .get(30, TimeUnit.SECONDS);
      }
      assertThat(sink.awaitDecision("run-acls", "c1", Duration.ofSeconds(30))).contains(decision);
    }
    try (KafkaProducer<String, byte[]> forger = producer(trainer)) {
      assertThatThrownBy(
              () ->
                  forger
                      .send(new ProducerRecord<>(Topics.DECISIONS, "run-acls", new byte[] {1}))
                      .get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(TopicAuthorizationException.class);
    }
  }

  /**
   * Issue #13's wrong-credentials case on a SCRAM broker with ACLs, as an operator meets it: the
   * trainer user exists, the password is wrong. Publishing never blocks training (events are
   * buffered, then dropped), and the decision receiver is refused again and again without dying: it
   * reports {@code RETRYING} and counts its failures, which {@code prunewire train} turns into
   * /ready 503 and {@code prunewire_trainer_decision_receiver_up 0}.
   */
  @Test
  void aTrainerWithAWrongPasswordKeepsPublishingWhileItsDecisionReceiverRetries() throws Exception {
    String[] made =
        run(
            "acls",
            "--bootstrap-servers",
            sasl,
            "--kafka-config",
            admin.toString(),
            "--users",
            users.toString(),
            "--agent-user",
            "agent",
            "--trainer-user",
            "trainer");
    assertThat(made[0]).as(made[2]).isEqualTo("0");
    KafkaTelemetrySink.Builder b = KafkaTelemetrySink.builder(sasl, "run-wrong-password", "t1");
    login("trainer", "not-the-password").forEach(b::clientProperty);
    try (KafkaTelemetrySink sink = b.build()) {
      AtomicInteger published = new AtomicInteger();
      // Each poll is one step of a stand-in training loop, publishing every 20 ms until the
      // receiver has been refused three times.
      await("refused attempts of the decision receiver within 60 s")
          .atMost(Duration.ofSeconds(60))
          .pollInSameThread()
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> {
                long t = System.nanoTime();
                sink.publish(
                    new RunStarted(
                        new Header(
                            "run-wrong-password",
                            "t1",
                            published.get() + 1,
                            System.currentTimeMillis()),
                        1,
                        List.of(new LayerSpec("l1", LayerKind.RNN, 4, 2, ""))));
                published.incrementAndGet();
                // publish is the training thread's call: it must not wait for the broker that
                // refuses it
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t))
                    .as("publish, ms")
                    .isLessThan(1_000);
                return sink.receiverFailures() >= 3;
              });
      assertThat(sink.receiverState()).isEqualTo("RETRYING");
      assertThat(sink.stats().delivered())
          .as("nothing gets through with a wrong password")
          .isZero();
      assertThat(sink.stats().accepted() + sink.stats().dropped()).isEqualTo(published.get());
      assertThat(sink.awaitDecision("run-wrong-password", "c1", Duration.ofMillis(100))).isEmpty();
    }
  }

  @Test
  void dryRunPrintsKafkasOwnCommandsWithoutPasswords() {
    String[] r =
        run(
            "acls",
            "--bootstrap-servers",
            "kafka-1:9093",
            "--kafka-config",
            admin.toString(),
            "--users",
            users.toString(),
            "--dry-run");
    assertThat(r[0]).as(r[2]).isEqualTo("0");
    List<String> commands = r[1].lines().filter(l -> !l.startsWith("#")).toList();
    assertThat(commands)
        .filteredOn(l -> l.startsWith("kafka-acls.sh "))
        .hasSize(12)
        .allSatisfy(
            l ->
                assertThat(l)
                    .contains(
                        "--bootstrap-server kafka-1:9093 --command-config " + admin + " --add"))
        .contains(
            "kafka-acls.sh --bootstrap-server kafka-1:9093 --command-config "
                + admin
                + " --add --allow-principal"
                + " User:prunewire-agent --operation Write --transactional-id prunewire-agent- --resource-pattern-type prefixed");
    assertThat(commands)
        .filteredOn(l -> l.startsWith("kafka-configs.sh "))
        .hasSize(2)
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("--entity-name trainer")
                    .contains("password=$PASSWORD_trainer"));
    assertThat(r[1]).doesNotContain("agent-secret").doesNotContain("trainer-secret");
  }

  @Test
  void aTrainerUserThatIsTheAgentUserIsRefused() {
    String[] r =
        run("acls", "--bootstrap-servers", sasl, "--agent-user", "same", "--trainer-user", "same");
    assertThat(r[0]).isEqualTo("2");
    assertThat(r[2]).contains("must not be able to write decisions");
  }

  private static Header header(String producer) {
    return new Header("run-acls", producer, 1, System.currentTimeMillis());
  }

  private static KafkaProducer<String, byte[]> producer(Map<String, String> login) {
    Map<String, Object> c = new HashMap<>(login);
    c.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, sasl);
    c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
    c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    return new KafkaProducer<>(c, new StringSerializer(), new ByteArraySerializer());
  }

  private static String awaitLine(ByteArrayOutputStream out, Pattern line) {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () ->
                assertThat(line.matcher(out.toString(StandardCharsets.UTF_8)).find())
                    .as(
                        "the broker printed a SASL address:%n%s",
                        out.toString(StandardCharsets.UTF_8))
                    .isTrue());
    Matcher m = line.matcher(out.toString(StandardCharsets.UTF_8));
    assertThat(m.find()).isTrue();
    return m.group(1);
  }
}
