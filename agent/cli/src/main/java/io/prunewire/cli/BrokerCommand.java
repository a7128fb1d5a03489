package io.prunewire.cli;

import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.protocol.Topics;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code prunewire broker}: a single-node Kafka broker for agents and trainers in separate processes. */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
        "Runs an embedded single-node Apache Kafka broker (KRaft) on 127.0.0.1",
        "until Ctrl-C, with the topics prunewire.telemetry, prunewire.decisions",
        "and prunewire.dead-letter created. Point agents and trainers at the",
        "printed bootstrap address. Restarting on the same --data-dir keeps the",
        "data and the ports.",
        "",
        "Example: prunewire broker --port 9092 --data-dir /var/lib/prunewire-kafka",
        ""})
public final class BrokerCommand implements Callable<Integer> {

  @Option(names = "--port", paramLabel = "PORT",
      description = "Client port on 127.0.0.1; 0 picks a free one (or the one the data directory remembers). Default: ${DEFAULT-VALUE}.")
  int port = 9092;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Where the broker keeps its log. Default: a temporary directory, deleted on exit.")
  Path dataDir;

  @Option(names = "--partitions", paramLabel = "N",
      description = "Partitions of each Prunewire topic (runs spread over them). Default: ${DEFAULT-VALUE}.")
  int partitions = 3;

  private final CountDownLatch stopped = new CountDownLatch(1);

  @Override
  public Integer call() {
    EmbeddedKafka kafka = EmbeddedKafka.builder().port(port).dataDir(dataDir).partitions(partitions).start();
    Thread hook = new Thread(() -> {
      kafka.close();
      stopped.countDown();
    }, "prunewire-broker-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      kafka.createTopics(Topics.TELEMETRY, Topics.DECISIONS, Topics.DEAD_LETTER);
      System.out.println("bootstrap.servers=" + kafka.bootstrapServers());
      System.out.println("data: " + kafka.dataDir() + (dataDir == null ? " (temporary)" : ""));
      System.out.println("Ctrl-C stops the broker.");
      System.out.flush();
      stopped.await();
    } catch (InterruptedException e) {
      // an embedding program stops the command by interrupting it
      Thread.currentThread().interrupt();
    } finally {
      // interrupted (or failed) rather than stopped by Ctrl-C: shut down here
      if (stopped.getCount() > 0) {
        Runtime.getRuntime().removeShutdownHook(hook);
        kafka.close();
      }
    }
    return 0;
  }
}
