package io.prunewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.protocol.DecisionSignatures;
import io.prunewire.service.AgentConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KeygenCommandTest {

  @Test
  void theKeyPairSignsAndVerifiesAndTheAgentFlagsReachItsConfiguration(@TempDir Path dir)
      throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cmd = Main.commandLine();
    cmd.setOut(new PrintWriter(out));
    assertThat(cmd.execute("keygen", "--key-id", "agent-1", "--out", dir.toString())).isZero();
    Path key = dir.resolve("agent-1.key");
    Path pub = dir.resolve("agent-1.pub");
    assertThat(Files.getPosixFilePermissions(key))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(out.toString())
        .contains("--signing-key " + key + " --signing-key-id agent-1")
        .contains("--decision-key agent-1=" + pub);

    AgentCommand agent = new AgentCommand();
    new CommandLine(agent)
        .parseArgs("--signing-key", key.toString(), "--signing-key-id", "agent-1");
    AgentConfig config = agent.config(Map.of());
    DecisionSignatures.Signer signer =
        DecisionSignatures.Signer.load(
            config.signing().orElseThrow().keyId(), config.signing().orElseThrow().keyFile());
    byte[] value = "a decision".getBytes(StandardCharsets.UTF_8);
    DecisionSignatures.Verifier verifier = DecisionSignatures.Verifier.load(Map.of("agent-1", pub));
    byte[] id = "agent-1".getBytes(StandardCharsets.UTF_8);
    assertThat(verifier.verify(value, signer.sign(value), id)).isEmpty();
    byte[] tampered = value.clone();
    tampered[0] ^= 1;
    assertThat(verifier.verify(tampered, signer.sign(value), id))
        .get()
        .extracting(DecisionSignatures.Failure::reason)
        .hasToString("BAD_SIGNATURE");

    // A second run never overwrites the key.
    StringWriter err = new StringWriter();
    cmd.setErr(new PrintWriter(err));
    assertThat(cmd.execute("keygen", "--key-id", "agent-1", "--out", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("exists");
    assertThat(Set.of(dir.toFile().list())).containsExactlyInAnyOrder("agent-1.key", "agent-1.pub");
  }

  @Test
  void aSigningKeyWithoutItsIdIsAUsageError(@TempDir Path dir) {
    StringWriter err = new StringWriter();
    CommandLine cmd = Main.commandLine();
    cmd.setErr(new PrintWriter(err));
    assertThat(cmd.execute("agent", "--signing-key", dir.resolve("k.key").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("signing.key.file and signing.key.id go together");
  }
}
