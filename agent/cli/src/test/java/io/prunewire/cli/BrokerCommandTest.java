package io.prunewire.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.prunewire.protocol.Topics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

class BrokerCommandTest {

  @Test
  void servesThePrunewireTopicsUntilInterrupted() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream stdout = System.out;
    AtomicInteger exit = new AtomicInteger(-1);
    Thread command =
        new Thread(
            () ->
                exit.set(Main.commandLine().execute("broker", "--port", "0", "--partitions", "2")));
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      command.start();
      String bootstrap = awaitBootstrap(captured);
      try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
        assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS))
            .contains(Topics.TELEMETRY, Topics.DECISIONS, Topics.DEAD_LETTER);
        assertThat(
                admin
                    .describeTopics(java.util.List.of(Topics.TELEMETRY))
                    .allTopicNames()
                    .get()
                    .get(Topics.TELEMETRY)
                    .partitions())
            .hasSize(2);
      }
      command.interrupt();
      command.join(30_000);
    } finally {
      System.setOut(stdout);
    }
    assertThat(command.isAlive()).isFalse();
    assertThat(exit.get()).isZero();
    assertThat(Main.commandLine().getSubcommands()).containsKey("broker");
  }

  private static String awaitBootstrap(ByteArrayOutputStream out) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .untilAsserted(
            () ->
                assertThat(bootstrapLine(out))
                    .as("bootstrap.servers line in:%n%s", out.toString(StandardCharsets.UTF_8))
                    .isPresent());
    return bootstrapLine(out).orElseThrow();
  }

  private static Optional<String> bootstrapLine(ByteArrayOutputStream out) {
    return out.toString(StandardCharsets.UTF_8)
        .lines()
        .filter(l -> l.startsWith("bootstrap.servers="))
        .map(l -> l.substring("bootstrap.servers=".length()).trim())
        .findFirst();
  }
}
