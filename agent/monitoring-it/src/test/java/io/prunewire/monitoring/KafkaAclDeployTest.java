package io.prunewire.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunewire.cli.Main;
import io.prunewire.protocol.Topics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/kafka/ as an operator follows deploy/README.md, on 127.0.0.1: {@code tls-keys.sh} makes
 * the TLS stores with keytool, the storage is formatted with the broker's and the administrator's
 * SCRAM users, a KRaft broker starts from {@code server.properties} itself (host, ports, paths and
 * the CHANGE_ME passwords replaced), {@code prunewire acls} creates the agent's and the trainer's
 * users and the ACLs with {@code admin.properties}, and then {@code agent.properties} and {@code
 * trainer.properties} log in over SASL_SSL with hostname verification: the agent may write a
 * decision, the trainer may write telemetry and read the decision, and may not write a decision.
 */
class KafkaAclDeployTest {

  static final String TLS_PASSWORD = "tls-secret";
  static final Map<String, String> PASSWORDS =
      Map.of(
          "CHANGE_ME_BROKER_PASSWORD",
          "broker-secret",
          "CHANGE_ME_ADMIN_PASSWORD",
          "admin-secret",
          "CHANGE_ME_AGENT_PASSWORD",
          "agent-secret",
          "CHANGE_ME_TRAINER_PASSWORD",
          "trainer-secret",
          "CHANGE_ME_TLS_PASSWORD",
          TLS_PASSWORD);

  @TempDir static Path dir;
  static Map<String, String> replacements;
  static KafkaRaftServer server;
  static String bootstrap;

  @BeforeAll
  static void startTheDeployBroker() throws Exception {
    Path tls = dir.resolve("tls");
    ProcessBuilder tlsKeys =
        new ProcessBuilder(
                "bash",
                Repo.path("deploy/kafka/tls-keys.sh").toString(),
                tls.toString(),
                "127.0.0.1")
            .redirectErrorStream(true);
    tlsKeys.environment().put("TLS_PASSWORD", TLS_PASSWORD);
    Process keys = tlsKeys.start();
    String keysOut = new String(keys.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keys.waitFor()).as(keysOut).isZero();

    int[] ports = freePorts();
    bootstrap = "127.0.0.1:" + ports[0];
    replacements = new LinkedHashMap<>();
    replacements.put(
        "/etc/kafka/tls/kafka-1.example.org.keystore.p12",
        tls.resolve("127.0.0.1.keystore.p12").toString());
    replacements.put("/etc/kafka/tls/", tls + "/");
    replacements.put("/etc/prunewire/kafka/", tls + "/");
    replacements.put("/var/lib/kafka/data", dir.resolve("data").toString());
    replacements.put("0.0.0.0:9093", bootstrap);
    replacements.put("0.0.0.0:9094", "127.0.0.1:" + ports[1]);
    replacements.put("kafka-1.example.org:9093", bootstrap);
    replacements.put("kafka-1.example.org:9094", "127.0.0.1:" + ports[1]);
    replacements.putAll(PASSWORDS);

    Path serverProperties =
        Files.writeString(dir.resolve("server.properties"), deployed("server.properties"));
    ByteArrayOutputStream formatted = new ByteArrayOutputStream();
    int rc =
        StorageTool.execute(
            new String[] {
              "format",
              "--standalone",
              "-t",
              Uuid.randomUuid().toString(),
              "-c",
              serverProperties.toString(),
              "--add-scram",
              "SCRAM-SHA-512=[name=broker,password=broker-secret]",
              "--add-scram",
              "SCRAM-SHA-512=[name=admin,password=admin-secret]"
            },
            new PrintStream(formatted, true, StandardCharsets.UTF_8));
    assertThat(rc).as(formatted.toString(StandardCharsets.UTF_8)).isZero();
    server =
        new KafkaRaftServer(
            KafkaConfig.fromProps(properties(deployed("server.properties")), false), Time.SYSTEM);
    server.startup();
    try (Admin admin = Admin.create(client("admin.properties"))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(Topics.TELEMETRY, 1, (short) 1),
                  new NewTopic(Topics.DECISIONS, 1, (short) 1)))
          .all()
          .get(60, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  static void stopBroker() {
    if (server != null) {
      server.shutdown();
      server.awaitShutdown();
    }
  }

  /**
   * A deploy/kafka file with this machine's host, ports, paths and passwords; no setting may keep a
   * placeholder.
   */
  static String deployed(String file) throws IOException {
    String text = Repo.text("deploy/kafka/" + file);
    for (Map.Entry<String, String> r : replacements.entrySet()) {
      text = text.replace(r.getKey(), r.getValue());
    }
    properties(text)
        .forEach(
            (k, v) ->
                assertThat((String) v)
                    .as("%s: %s", file, k)
                    .doesNotContain("CHANGE_ME")
                    .doesNotContain("example.org")
                    .doesNotContain("/etc/")
                    .doesNotContain("/var/lib/kafka"));
    return text;
  }

  static Properties properties(String text) throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(text));
    return p;
  }

  static Map<String, Object> client(String file) throws IOException {
    Map<String, Object> c = new HashMap<>();
    properties(deployed(file)).forEach((k, v) -> c.put((String) k, v));
    c.put("bootstrap.servers", bootstrap);
    c.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 20_000);
    c.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 20_000);
    c.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    return c;
  }

  static KafkaProducer<String, String> producer(Map<String, Object> client) {
    return new KafkaProducer<>(client, new StringSerializer(), new StringSerializer());
  }

  @Test
  void theAclsCommandAndTheClientFilesWorkOverSaslSsl() throws Exception {
    Path admin = Files.writeString(dir.resolve("admin.properties"), deployed("admin.properties"));
    Path users =
        Files.writeString(dir.resolve("users.properties"), deployed("users.properties.example"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int rc =
        Main.commandLine()
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(
                "acls",
                "--bootstrap-servers",
                bootstrap,
                "--kafka-config",
                admin.toString(),
                "--users",
                users.toString());
    assertThat(rc).as(err.toString()).isZero();
    assertThat(out.toString()).contains("2 SCRAM user(s) created or updated");

    String decision = "decision-" + System.nanoTime();
    try (KafkaProducer<String, String> agent = producer(client("agent.properties"))) {
      agent.send(new ProducerRecord<>(Topics.DECISIONS, "r", decision)).get(30, TimeUnit.SECONDS);
    }
    try (KafkaProducer<String, String> trainer = producer(client("trainer.properties"))) {
      trainer
          .send(new ProducerRecord<>(Topics.TELEMETRY, "r", "telemetry"))
          .get(30, TimeUnit.SECONDS);
      assertThatThrownBy(
              () ->
                  trainer
                      .send(new ProducerRecord<>(Topics.DECISIONS, "r", "forged"))
                      .get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(TopicAuthorizationException.class);
    }
    assertThat(readDecisions(client("trainer.properties"))).contains(decision);
  }

  @Test
  void aWrongPasswordOrAClientWithoutTheTruststoreIsRefused() throws Exception {
    Map<String, Object> wrong = client("trainer.properties");
    wrong.put(
        "sasl.jaas.config",
        ((String) wrong.get("sasl.jaas.config")).replace("trainer-secret", "guess"));
    Map<String, Object> untrusting = client("trainer.properties");
    untrusting.keySet().removeIf(k -> k.startsWith("ssl.truststore"));
    for (var c :
        List.of(
            Map.entry(wrong, SaslAuthenticationException.class),
            Map.entry(untrusting, SslAuthenticationException.class))) {
      try (KafkaProducer<String, String> p = producer(c.getKey())) {
        assertThatThrownBy(
                () ->
                    p.send(new ProducerRecord<>(Topics.TELEMETRY, "r", "x"))
                        .get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .cause()
            .isInstanceOf(c.getValue());
      }
    }
  }

  private static List<String> readDecisions(Map<String, Object> client) {
    client.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, String> c =
        new KafkaConsumer<>(client, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition p = new TopicPartition(Topics.DECISIONS, 0);
      c.assign(List.of(p));
      c.seekToBeginning(List.of(p));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (System.nanoTime() < deadline) {
        List<String> values =
            c.poll(Duration.ofMillis(200)).records(p).stream().map(ConsumerRecord::value).toList();
        if (!values.isEmpty()) {
          return values;
        }
      }
    }
    return List.of();
  }

  private static int[] freePorts() throws IOException {
    try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        ServerSocket b = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return new int[] {a.getLocalPort(), b.getLocalPort()};
    }
  }
}
