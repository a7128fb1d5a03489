package io.prunewire.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class KafkaClientOptionsTest {

  @Command(name = "probe")
  static final class Probe {
    @Mixin KafkaClientOptions kafka;
  }

  private static KafkaClientOptions parse(String... args) {
    Probe probe = new Probe();
    new CommandLine(probe).parseArgs(args);
    return probe.kafka;
  }

  @Test
  void flagsWinOverTheFileAndKeepEverythingAfterTheFirstEquals(@TempDir Path dir) throws Exception {
    Path f =
        Files.writeString(
            dir.resolve("c.properties"),
            "security.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN\n");
    KafkaClientOptions o =
        parse(
            "--kafka-config",
            f.toString(),
            "--kafka-property",
            "sasl.mechanism=SCRAM-SHA-256",
            "--kafka-property",
            "sasl.jaas.config=Module required username=\"u\" password=\"a=b\";",
            "--kafka-property",
            "ssl.endpoint.identification.algorithm=");
    assertThat(o.resolve())
        .containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-256")
        .containsEntry("sasl.jaas.config", "Module required username=\"u\" password=\"a=b\";")
        .containsEntry("ssl.endpoint.identification.algorithm", "")
        .hasSize(4);
  }

  @Test
  void noOptionsMeanNoProperties() {
    assertThat(parse().resolve()).isEmpty();
    assertThat(KafkaClientOptions.resolve(null)).isEmpty();
  }

  @Test
  void aMissingFileIsNamed(@TempDir Path dir) {
    Path missing = dir.resolve("nope.properties");
    assertThatThrownBy(() -> parse("--kafka-config", missing.toString()).resolve())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing + ": no such file");
  }

  @Test
  void aFlagWithoutEqualsIsAUsageError() {
    assertThatThrownBy(() -> parse("--kafka-property", "security.protocol"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("KEY=VALUE");
  }
}
