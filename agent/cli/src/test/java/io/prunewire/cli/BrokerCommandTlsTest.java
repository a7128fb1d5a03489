package io.prunewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.protocol.Topics;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code prunewire broker --tls}: the client files it writes are all a client needs to produce and
 * consume over TLS, on the SSL listener and as a SCRAM user on the SASL_SSL one.
 */
class BrokerCommandTlsTest {

  @Test
  void writesClientFilesThatProduceAndConsumeOverTls(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("tls");
    Path users = Files.writeString(tmp.resolve("users.properties"), "trainer=t-secret\n");
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    PrintStream stdout = System.out;
    AtomicInteger exit = new AtomicInteger(-1);
    Thread command =
        new Thread(
            () ->
                exit.set(
                    Main.commandLine()
                        .execute(
                            "broker",
                            "--port",
                            "0",
                            "--partitions",
                            "1",
                            "--tls",
                            "--tls-dir",
                            dir.toString(),
                            "--scram-users",
                            users.toString())));
    System.setOut(new PrintStream(new Lines(lines), true, StandardCharsets.UTF_8));
    Map<String, String> printed = new HashMap<>();
    List<String> wrote = new ArrayList<>();
    try {
      command.start();
      // the command prints its addresses and files, then this line last
      for (String line = next(lines); !line.startsWith("Ctrl-C"); line = next(lines)) {
        int eq = line.indexOf('=');
        if (eq > 0) {
          printed.put(line.substring(0, eq), line.substring(eq + 1).split(" ")[0]);
        }
        if (line.startsWith("wrote ")) {
          wrote.add(line.substring("wrote ".length()));
        }
      }
      assertThat(wrote)
          .containsExactly(
              dir.resolve("truststore.p12").toString(),
              dir.resolve("client-ssl.properties").toString(),
              dir.resolve("client-trainer.properties").toString());
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
          .isEqualTo("rwx------");
      for (String file : wrote) {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(file))))
            .as(file)
            .isEqualTo("rw-------");
      }
      roundTrip(printed.get("tls.bootstrap.servers"), dir.resolve("client-ssl.properties"), "ssl");
      roundTrip(
          printed.get("sasl.bootstrap.servers"),
          dir.resolve("client-trainer.properties"),
          "sasl-ssl");
      command.interrupt();
      command.join(30_000);
    } finally {
      System.setOut(stdout);
    }
    assertThat(command.isAlive()).isFalse();
    assertThat(exit.get()).isZero();
  }

  /** Produces one record with the client file's settings and reads it back the same way. */
  private static void roundTrip(String bootstrap, Path clientFile, String value) throws Exception {
    assertThat(bootstrap).as("printed bootstrap of " + clientFile).isNotNull();
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(clientFile)) {
      p.load(in);
    }
    assertThat(p.getProperty("security.protocol")).contains("SSL");
    p.put("bootstrap.servers", bootstrap);
    long offset;
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      offset =
          producer
              .send(new ProducerRecord<>(Topics.TELEMETRY, "k", value))
              .get(60, TimeUnit.SECONDS)
              .offset();
    }
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      TopicPartition tp = new TopicPartition(Topics.TELEMETRY, 0);
      consumer.assign(List.of(tp));
      consumer.seek(tp, offset);
      List<String> read = new ArrayList<>();
      // each poll waits for data; the loop ends with the record (or the test's timeout)
      for (int i = 0; i < 60 && read.isEmpty(); i++) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofSeconds(1))) {
          read.add(r.value());
        }
      }
      assertThat(read).first().isEqualTo(value);
    }
  }

  private static String next(BlockingQueue<String> lines) throws InterruptedException {
    String line = lines.poll(120, TimeUnit.SECONDS);
    if (line == null) {
      throw new AssertionError("prunewire broker --tls printed nothing more within 120 s");
    }
    return line;
  }

  /** Hands every complete line written to it to a queue. */
  private static final class Lines extends OutputStream {
    private final BlockingQueue<String> lines;
    private final StringBuilder line = new StringBuilder();

    Lines(BlockingQueue<String> lines) {
      this.lines = lines;
    }

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        lines.add(line.toString());
        line.setLength(0);
      } else {
        line.append((char) b);
      }
    }
  }
}
