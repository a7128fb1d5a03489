package io.prunewire.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Event;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent against a broker that admits clients only with SASL/PLAIN credentials: with the right
 * Kafka client properties it decides checkpoints end to end and restores its state after a wipe (so
 * the Streams consumer, producer, admin and restore consumer all authenticated); with a wrong
 * password or none it fails at start with a message about credentials.
 */
class AgentSaslTest {

  static final String USER = "prunewire";

  @RegisterExtension static final SaslBroker broker = SaslBroker.plain(USER, "agent-secret");
  @TempDir static Path dir;

  private static AgentConfig config(String name, Map<String, String> client) {
    return broker.config(dir.resolve(name), name, client);
  }

  @Test
  void withCredentialsTheAgentDecidesAndRestoresItsStateOverSasl() throws Exception {
    Map<String, String> login = broker.login(USER);
    AgentConfig c = config("sasl", login);
    SimulatedTrainer t = new SimulatedTrainer("run-sasl", "t1", 1, 12);
    try (PrunewireAgent agent = PrunewireAgent.start(broker.bootstrapServers(), c)) {
      DecisionEvent c1 = broker.decideFirstCheckpoint(c, t, login);
      assertThat(c1.checkpointId()).isEqualTo("c1");
      assertThat(c1.layers().stream().mapToInt(DecisionEvent.LayerDecision::kept).sum())
          .isEqualTo(24 - 6);
    }
    wipe(c.stateDir());
    try (PrunewireAgent agent = PrunewireAgent.start(broker.bootstrapServers(), c)) {
      List<Event> second = new ArrayList<>(t.summaries(30));
      second.add(t.checkpoint(40, "c2", 6));
      broker.send(c, login, second);
      DecisionEvent c2 = broker.decision(c, login, t.runId, "c2");
      assertThat(c2.checkpointId()).isEqualTo("c2");
      // Only the restored run state knows the 6 neurons pruned at c1.
      assertThat(c2.layers().stream().mapToInt(DecisionEvent.LayerDecision::kept).sum())
          .isEqualTo(24 - 12);
    }
  }

  @Test
  void aWrongPasswordFailsAtStartNamingTheCredentials() {
    AgentConfig c = config("wrong", broker.login(USER, "guess"));
    assertThatThrownBy(() -> PrunewireAgent.start(broker.bootstrapServers(), c).close())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("refused the agent's credentials")
        .hasMessageContaining("sasl.jaas.config");
  }

  @Test
  void withoutCredentialsTheAgentFailsAtStartPointingAtTheSecuritySettings() {
    // Not credentials: short admin timeouts keep the test fast.
    AgentConfig c =
        config("none", Map.of("default.api.timeout.ms", "3000", "request.timeout.ms", "1000"));
    assertThatThrownBy(() -> PrunewireAgent.start(broker.bootstrapServers(), c).close())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not answer")
        .hasMessageContaining("security.protocol");
  }

  @Test
  void inconsistentClientPropertiesFailAtStartWithKafkasReason() {
    AgentConfig c =
        config(
            "inconsistent", Map.of("default.api.timeout.ms", "1000", "request.timeout.ms", "5000"));
    assertThatThrownBy(() -> PrunewireAgent.start(broker.bootstrapServers(), c).close())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Kafka client properties")
        .hasMessageContaining("default.api.timeout.ms");
  }

  private static void wipe(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
