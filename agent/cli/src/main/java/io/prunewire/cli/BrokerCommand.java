package io.prunewire.cli;

import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.protocol.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code prunewire broker}: a single-node Kafka broker for agents and trainers in separate
 * processes.
 */
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
      "With --scram-users it also opens a SASL_PLAINTEXT listener (SCRAM-SHA-512) for those users"
          + " and prints sasl.bootstrap.servers=HOST:PORT; with --super-user, Kafka's KRaft authorizer"
          + " (StandardAuthorizer) admits everybody else on it only as far as ACLs allow (prunewire acls)."
          + " The plaintext port stays open for the broker itself: its clients are User:ANONYMOUS, a"
          + " super user, so this is a broker for one machine (development, tests, chaos scripts);"
          + " deploy/kafka/ holds a configuration for real clusters.",
      "",
      "With --tls it also opens an SSL listener (and the SASL listener becomes SASL_SSL) with a CA"
          + " made at every start, and writes into --tls-dir the truststore clients need"
          + " (truststore.p12), client-ssl.properties for the SSL listener and, with --scram-users,"
          + " client-USER.properties for each user (directory 0700, files 0600: they hold passwords).",
      "",
      "Example: prunewire broker --port 9092 --data-dir /var/lib/prunewire-kafka",
      "         prunewire broker --port 0 --scram-users users.properties --super-user admin",
      "         prunewire broker --port 0 --tls --tls-dir ./tls --scram-users users.properties",
      ""
    })
public final class BrokerCommand implements Callable<Integer> {

  @Option(
      names = "--port",
      paramLabel = "PORT",
      description =
          "Client port on 127.0.0.1; 0 picks a free one (or the one the data directory remembers). Default: ${DEFAULT-VALUE}.")
  int port = 9092;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Where the broker keeps its log. Default: a temporary directory, deleted on exit.")
  Path dataDir;

  @Option(
      names = "--partitions",
      paramLabel = "N",
      description =
          "Partitions of each Prunewire topic (runs spread over them). Default: ${DEFAULT-VALUE}.")
  int partitions = 3;

  @Option(
      names = "--scram-users",
      paramLabel = "FILE",
      description =
          "SCRAM-SHA-512 users of a SASL_PLAINTEXT listener on 127.0.0.1, one name=password per line"
              + " (Java properties). The listener takes a free port at every start, printed as"
              + " sasl.bootstrap.servers=HOST:PORT. The users are written when the data directory is formatted; a"
              + " restart on an existing --data-dir keeps the users of its first start (add or change users with"
              + " prunewire acls --users).")
  Path scramUsers;

  @Option(
      names = "--super-user",
      paramLabel = "NAME",
      description =
          "Turn on the KRaft authorizer with this user (of --scram-users) as a super user; repeatable."
              + " Other users need ACLs.")
  List<String> superUsers = List.of();

  @Option(
      names = "--tls",
      description =
          "Also serve an SSL listener (and SASL_SSL instead of SASL_PLAINTEXT) with a certificate"
              + " for 127.0.0.1 and localhost signed by a CA made at start; prints"
              + " tls.bootstrap.servers=HOST:PORT and writes the client files into --tls-dir.")
  boolean tls;

  @Option(
      names = "--tls-dir",
      paramLabel = "DIR",
      description =
          "Where --tls writes the CA, the broker's keystore, truststore.p12 and the client"
              + " properties files; the files of an earlier start are replaced. Default: DATA-DIR/tls"
              + " with --data-dir, else a new temporary directory (printed).")
  Path tlsDir;

  @Spec CommandSpec spec;

  private final CountDownLatch stopped = new CountDownLatch(1);

  @Override
  public Integer call() {
    EmbeddedKafka.Builder builder =
        EmbeddedKafka.builder().port(port).dataDir(dataDir).partitions(partitions);
    Map<String, String> users = Map.of();
    TlsClientFiles tlsFiles = null;
    if (tlsDir != null && !tls) {
      throw new ParameterException(spec.commandLine(), "--tls-dir needs --tls");
    }
    try {
      if (scramUsers != null) {
        users = KafkaClientFile.read(scramUsers);
        builder.saslScram(users);
      }
      if (tls) {
        tlsFiles = tlsFiles();
        builder.tls(tlsFiles.keys());
      }
      if (!superUsers.isEmpty()) {
        if (scramUsers == null) {
          throw new IllegalArgumentException(
              "--super-user needs --scram-users: super users log in on the SASL listener");
        }
        builder.authorizer(superUsers.toArray(String[]::new));
      }
    } catch (NoSuchFileException e) {
      throw new ParameterException(
          spec.commandLine(), "--scram-users " + scramUsers + ": no such file", e);
    } catch (IOException e) {
      throw new ParameterException(
          spec.commandLine(), "--scram-users " + scramUsers + ": " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    EmbeddedKafka kafka = builder.start();
    Thread hook =
        new Thread(
            () -> {
              kafka.close();
              stopped.countDown();
            },
            "prunewire-broker-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      kafka.createTopics(Topics.TELEMETRY, Topics.DECISIONS, Topics.DEAD_LETTER);
      System.out.println("bootstrap.servers=" + kafka.bootstrapServers());
      if (tlsFiles != null) {
        System.out.println(
            "tls.bootstrap.servers="
                + kafka.tlsBootstrapServers()
                + " (SSL, certificate of a CA made at start)");
        for (Path written : tlsFiles.write(kafka, users)) {
          System.out.println("wrote " + written);
        }
      }
      if (scramUsers != null) {
        System.out.println(
            "sasl.bootstrap.servers="
                + kafka.saslBootstrapServers()
                + (tls ? " (SASL_SSL" : " (SASL_PLAINTEXT")
                + ", SCRAM-SHA-512"
                + (superUsers.isEmpty()
                    ? ")"
                    : ", authorizer on, super users " + String.join(", ", superUsers) + ")"));
      }
      System.out.println("data: " + kafka.dataDir() + (dataDir == null ? " (temporary)" : ""));
      System.out.println("Ctrl-C stops the broker.");
      System.out.flush();
      stopped.await();
    } catch (InterruptedException e) {
      // an embedding program stops the command by interrupting it
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new UncheckedIOException("writing the TLS client files failed: " + e.getMessage(), e);
    } finally {
      // interrupted (or failed) rather than stopped by Ctrl-C: shut down here
      if (stopped.getCount() > 0) {
        Runtime.getRuntime().removeShutdownHook(hook);
        kafka.close();
      }
    }
    return 0;
  }

  private TlsClientFiles tlsFiles() {
    Path dir = tlsDir != null ? tlsDir : dataDir != null ? dataDir.resolve("tls") : null;
    try {
      return TlsClientFiles.prepare(
          dir != null ? dir : Files.createTempDirectory("prunewire-tls-"));
    } catch (IOException e) {
      throw new ParameterException(
          spec.commandLine(), "--tls-dir " + dir + ": cannot be written: " + e, e);
    }
  }
}
