package io.prunewire.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaPortsTest {

  @Test
  void freshPortsAlwaysDiffer() throws Exception {
    for (int i = 0; i < 200; i++) {
      int[] ports = EmbeddedKafka.choosePorts(0, new Properties());
      assertThat(ports[0]).isPositive().isNotEqualTo(ports[1]);
      assertThat(ports[1]).isPositive();
    }
  }

  @Test
  void rememberedPortsAreReused() throws Exception {
    assertThat(EmbeddedKafka.choosePorts(0, remembered(41001, 41002)))
        .containsExactly(41001, 41002);
  }

  @Test
  void aRequestedBrokerPortWinsOverTheRememberedOne() throws Exception {
    assertThat(EmbeddedKafka.choosePorts(41005, remembered(41001, 41002)))
        .containsExactly(41005, 41002);
  }

  @Test
  void aControllerPortThatClashesWithTheRequestedBrokerPortIsReplaced() throws Exception {
    int[] ports = EmbeddedKafka.choosePorts(41002, remembered(41001, 41002));
    assertThat(ports[0]).isEqualTo(41002);
    assertThat(ports[1]).isPositive().isNotEqualTo(41002);
  }

  private static Properties remembered(int broker, int controller) {
    Properties p = new Properties();
    p.setProperty("broker.port", String.valueOf(broker));
    p.setProperty("controller.port", String.valueOf(controller));
    return p;
  }
}
