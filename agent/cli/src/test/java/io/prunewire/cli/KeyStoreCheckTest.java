package io.prunewire.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunewire.broker.TlsKeys;
import io.prunewire.service.AgentConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Both commands that make Kafka clients refuse, with exit code 2 and before anything starts, a
 * truststore that does not load.
 */
class KeyStoreCheckTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String command, String... kafkaProperties) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    List<String> args = new ArrayList<>(List.of(command, "--bootstrap-servers", "127.0.0.1:9"));
    args.addAll(kafkaPropertyFlags(kafkaProperties));
    return cli.execute(args.toArray(String[]::new));
  }

  private static List<String> kafkaPropertyFlags(String... kafkaProperties) {
    return Arrays.stream(kafkaProperties).flatMap(p -> Stream.of("--kafka-property", p)).toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"train", "agent"})
  void aMissingTruststoreFailsBeforeStartingNamingFileAndSetting(
      String command, @TempDir Path dir) {
    Path missing = dir.resolve("truststore.p12");
    assertThat(run(command, "security.protocol=SSL", "ssl.truststore.location=" + missing))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("ssl.truststore.location " + missing + ": no such file")
        .doesNotContain("\tat ");
    // train prints the model's size once the corpus and model are loaded
    assertThat(out.toString()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"train", "agent"})
  void aTruststoreWithAnotherPasswordFailsBeforeStartingNamingFileAndSetting(
      String command, @TempDir Path dir) {
    TlsKeys keys = TlsKeys.generate(dir);
    assertThat(
            run(
                command,
                "ssl.truststore.type=PKCS12",
                "ssl.truststore.location=" + keys.truststore(),
                "ssl.truststore.password=not-" + keys.password()))
        .isEqualTo(2);
    assertThat(err.toString())
        .contains("ssl.truststore.location " + keys.truststore() + ": cannot be loaded")
        .contains("ssl.truststore.password")
        .doesNotContain(keys.password())
        .doesNotContain("\tat ");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void theAgentLoadsAStoreUnderAKafkaStreamsClientPrefixWithThePasswordThatClientGets(
      @TempDir Path dir) throws Exception {
    TlsKeys keys = TlsKeys.generate(dir);
    String type = "ssl.truststore.type=PKCS12";
    String password = "ssl.truststore.password=" + keys.password();
    assertThat(
            agentConfig(type, password, "consumer.ssl.truststore.location=" + keys.truststore())
                .kafkaClientProperties())
        .containsEntry("consumer.ssl.truststore.location", keys.truststore().toString());

    // main.consumer. falls back to consumer. before the unprefixed password, as in Kafka Streams.
    assertThatThrownBy(
            () ->
                agentConfig(
                    type,
                    password,
                    "consumer.ssl.truststore.password=not-" + keys.password(),
                    "main.consumer.ssl.truststore.location=" + keys.truststore()))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining(
            "main.consumer.ssl.truststore.location " + keys.truststore() + ": cannot be loaded")
        .hasMessageContaining("(is consumer.ssl.truststore.password right?)");
  }

  private static AgentConfig agentConfig(String... kafkaProperties) throws Exception {
    AgentCommand agent = new AgentCommand();
    new CommandLine(agent).parseArgs(kafkaPropertyFlags(kafkaProperties).toArray(String[]::new));
    return agent.config(Map.of());
  }
}
