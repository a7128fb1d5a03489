package io.prunewire.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Events used by several tests. */
final class Fixtures {
  static final Header HEADER = new Header("run-7", "trainer-0", 1234, 1_700_000_000_000L);

  private Fixtures() {}

  static RunStarted runStarted() {
    return new RunStarted(HEADER, 2, List.of(
        new LayerSpec("hybrid1.snn", LayerKind.SNN, 6, 4, "hybrid1.W[:,0:6]"),
        new LayerSpec("hybrid1.rnn", LayerKind.RNN, 5, 4, "")));
  }

  static CheckpointEvent checkpoint() {
    return new CheckpointEvent(HEADER, "ckpt-1", 3);
  }

  static AblationEvent ablation() {
    return new AblationEvent(HEADER, "ckpt-1", List.of(
        new AblationEvent.Measurement(List.of(new AblationEvent.Removal("hybrid1.snn", new int[] {2})), 0.0125),
        new AblationEvent.Measurement(List.of(new AblationEvent.Removal("hybrid1.snn", new int[] {0, 5}),
            new AblationEvent.Removal("hybrid1.rnn", new int[] {4})), -0.5)));
  }

  static DecisionEvent decision(Random random, int neurons) {
    boolean[] keep = new boolean[neurons];
    float[] scores = new float[neurons];
    for (int i = 0; i < neurons; i++) {
      keep[i] = random.nextBoolean();
      scores[i] = (float) random.nextGaussian();
    }
    Map<String, Double> weights = new LinkedHashMap<>();
    weights.put("hap", 0.75);
    weights.put("taylor", 0.25);
    return new DecisionEvent(new Header("run-7", "agent-a", 1234, 1_700_000_000_500L), "ckpt-1",
        List.of(new DecisionEvent.LayerDecision("hybrid1.snn", keep, scores),
            new DecisionEvent.LayerDecision("hybrid1.rnn", new boolean[] {true, false, true}, new float[] {1f, -2f, 0.5f})),
        weights, "hstnn snn_ratio=0.5; floor 1 per layer", List.of("trainer-1"));
  }
}
