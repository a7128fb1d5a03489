package io.prunewire.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaClientFileTest {

  @TempDir Path dir;

  private Path write(String text) throws Exception {
    return Files.writeString(dir.resolve("client.properties"), text);
  }

  @Test
  void readsWhatJavaPropertiesReadsInFileOrder() throws Exception {
    String text =
        """
        # SASL over TLS
        ! another comment style
        security.protocol=SASL_SSL
          sasl.mechanism : PLAIN
        sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \\
            username="u" password="p=q";
        ssl.endpoint.identification.algorithm=
        ssl.truststore.location=C:\\\\kafka\\\\truststore.jks
        """;
    Properties reference = new Properties();
    reference.load(new StringReader(text));
    Map<String, String> read = KafkaClientFile.read(write(text));
    assertThat(read).containsExactlyInAnyOrderEntriesOf(toMap(reference));
    assertThat(read.keySet())
        .containsExactly(
            "security.protocol",
            "sasl.mechanism",
            "sasl.jaas.config",
            "ssl.endpoint.identification.algorithm",
            "ssl.truststore.location");
    assertThat(read.get("sasl.jaas.config")).endsWith("password=\"p=q\";");
    assertThat(read.get("ssl.endpoint.identification.algorithm")).isEmpty();
  }

  @Test
  void aKeyWithoutValueNamesFileAndLine() throws Exception {
    Path f = write("security.protocol=SASL_SSL\n\nsasl.jaas.config\n");
    assertThatThrownBy(() -> KafkaClientFile.read(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(f + " line 3")
        .hasMessageContaining("sasl.jaas.config")
        .hasMessageContaining("expected key=value");
  }

  @Test
  void aKeyGivenTwiceNamesBothLines() throws Exception {
    Path f = write("sasl.mechanism=PLAIN\n# again\nsasl.mechanism=SCRAM-SHA-512\n");
    assertThatThrownBy(() -> KafkaClientFile.read(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(f + " line 3")
        .hasMessageContaining("'sasl.mechanism' is already set on line 1");
  }

  @Test
  void aMalformedEscapeNamesTheLineWhereItsEntryStarts() throws Exception {
    Path f = write("a=1\nb=x\\\n  y\\uZZZZ\n");
    assertThatThrownBy(() -> KafkaClientFile.read(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(f + " line 2")
        .hasMessageContaining("Malformed");
  }

  @Test
  void aValueWithoutKeyNamesTheLine() throws Exception {
    Path f = write("=PLAIN\n");
    assertThatThrownBy(() -> KafkaClientFile.read(f))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(f + " line 1")
        .hasMessageContaining("no key");
  }

  private static Map<String, String> toMap(Properties p) {
    Map<String, String> m = new java.util.HashMap<>();
    p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
    return m;
  }
}
