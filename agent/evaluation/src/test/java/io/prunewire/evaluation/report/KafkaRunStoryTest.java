package io.prunewire.evaluation.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import io.prunewire.protocol.Header;
import io.prunewire.protocol.LayerKind;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.protocol.RunStarted;
import io.prunewire.protocol.Topics;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaRunStoryTest {

  @Test
  void readsTheRunsLayersAndDecisionsFromTheTopicsAndDrawsThem(@TempDir Path dir) throws Exception {
    try (EmbeddedKafka kafka = EmbeddedKafka.builder().partitions(2).start()) {
      kafka.createTopics(Topics.TELEMETRY, Topics.DECISIONS);
      try (KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(
              Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
              new StringSerializer(),
              new ByteArraySerializer())) {
        send(
            producer,
            Topics.TELEMETRY,
            new RunStarted(
                new Header("r1", "t0", 0, 1),
                1,
                List.of(
                    new LayerSpec("h1.rnn", LayerKind.RNN, 4, 3, ""),
                    new LayerSpec("h1.snn", LayerKind.SNN, 4, 3, ""))));
        send(
            producer,
            Topics.TELEMETRY,
            new RunStarted(
                new Header("other", "t0", 0, 1),
                1,
                List.of(new LayerSpec("x", LayerKind.LSTM, 9, 3, ""))));
        // decisions out of step order, one republished, and one of another run
        send(producer, Topics.DECISIONS, decision("r1", "c2", 200, 2, 1, 0.75));
        send(producer, Topics.DECISIONS, decision("r1", "c1", 100, 3, 3, 0.5));
        send(producer, Topics.DECISIONS, decision("r1", "c1", 100, 3, 3, 0.5));
        send(producer, Topics.DECISIONS, decision("other", "c1", 50, 1, 1, 1.0));
        producer.flush();
      }

      RunStory story =
          KafkaRunStory.read(
              kafka.bootstrapServers(),
              Map.of(),
              Topics.TELEMETRY,
              Topics.DECISIONS,
              "r1",
              Duration.ofSeconds(30));

      assertThat(story.decisionSteps()).containsExactly(100L, 200L);
      assertThat(story.keptNeurons()).containsOnlyKeys("h1.rnn (rnn)", "h1.snn (snn)");
      assertThat(story.keptNeurons().get("h1.rnn (rnn)"))
          .containsExactly(
              new RunStory.Point(0, 4), new RunStory.Point(100, 3), new RunStory.Point(200, 2));
      assertThat(story.keptNeurons().get("h1.snn (snn)"))
          .containsExactly(
              new RunStory.Point(0, 4), new RunStory.Point(100, 3), new RunStory.Point(200, 1));
      assertThat(story.fusionWeights().get("taylor"))
          .containsExactly(new RunStory.Point(100, 0.5), new RunStory.Point(200, 0.75));
      assertThat(story.fusionWeights().get("hap"))
          .containsExactly(new RunStory.Point(100, 0.5), new RunStory.Point(200, 0.25));
      assertThat(story.trainingLoss()).isEmpty();

      Path png = dir.resolve("sub/r1.png");
      RunCharts.write(story, png);
      BufferedImage image = ImageIO.read(png.toFile());
      assertThat(image.getWidth()).isEqualTo(1000);
      assertThat(image.getHeight()).isEqualTo(1100);

      assertThatThrownBy(
              () ->
                  KafkaRunStory.read(
                      kafka.bootstrapServers(),
                      Map.of(),
                      Topics.TELEMETRY,
                      Topics.DECISIONS,
                      "nobody",
                      Duration.ofSeconds(30)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("run 'nobody' has no RunStarted");
    }
  }

  private static DecisionEvent decision(
      String run, String checkpoint, long step, int keptRnn, int keptSnn, double taylor) {
    Map<String, Double> weights = new LinkedHashMap<>();
    weights.put("taylor", taylor);
    weights.put("hap", 1 - taylor);
    return new DecisionEvent(
        new Header(run, "agent", step, 2),
        checkpoint,
        List.of(layer("h1.rnn", keptRnn), layer("h1.snn", keptSnn)),
        weights,
        "test",
        List.of());
  }

  private static DecisionEvent.LayerDecision layer(String name, int kept) {
    boolean[] keep = new boolean[4];
    Arrays.fill(keep, 0, kept, true);
    return new DecisionEvent.LayerDecision(name, keep, new float[4]);
  }

  private static void send(KafkaProducer<String, byte[]> producer, String topic, Event e) {
    producer.send(new ProducerRecord<>(topic, e.runId(), EventCodec.encode(e)));
  }
}
