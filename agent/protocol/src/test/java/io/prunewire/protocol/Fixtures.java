package io.prunewire.protocol;

import io.prunewire.scorers.stats.ActivationSummary;
import io.prunewire.scorers.stats.CoActivation;
import io.prunewire.scorers.stats.CurvatureSummary;
import io.prunewire.scorers.stats.GradientSummary;
import io.prunewire.scorers.stats.Moments;
import io.prunewire.scorers.stats.WeightStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Events used by several tests. */
final class Fixtures {
  static final Header HEADER = new Header("run-7", "trainer-0", 1234, 1_700_000_000_000L);

  private Fixtures() {}

  static RunStarted runStarted() {
    return new RunStarted(
        HEADER,
        2,
        List.of(
            new LayerSpec("hybrid1.snn", LayerKind.SNN, 6, 4, "hybrid1.W[:,0:6]"),
            new LayerSpec("hybrid1.rnn", LayerKind.RNN, 5, 4, "")));
  }

  static RunStarted runStartedV2() {
    RunStarted v1 = runStarted();
    return new RunStarted(v1.header(), v1.fleetSize(), v1.layers(), Event.VERSION_2);
  }

  static RemovalCandidates candidates() {
    return new RemovalCandidates(
        HEADER,
        "ckpt-1",
        3,
        List.of("trainer-0", "trainer-1"),
        List.of(
            new RemovalCandidates.Candidate(
                0,
                List.of(
                    new AblationEvent.Removal("hybrid1.snn", new int[] {1, 4}),
                    new AblationEvent.Removal("hybrid1.rnn", new int[] {0}))),
            new RemovalCandidates.Candidate(
                1, List.of(new AblationEvent.Removal("hybrid1.snn", new int[] {2}))),
            new RemovalCandidates.Candidate(
                7, List.of(new AblationEvent.Removal("hybrid1.rnn", new int[] {3, 2})))));
  }

  static RemovalOutcome outcome() {
    return new RemovalOutcome(HEADER, "ckpt-1", 3, 7, 0.03125, 4, 0.0078125);
  }

  static CheckpointEvent checkpoint() {
    return new CheckpointEvent(HEADER, "ckpt-1", 3);
  }

  static AblationEvent ablation() {
    return new AblationEvent(
        HEADER,
        "ckpt-1",
        List.of(
            new AblationEvent.Measurement(
                List.of(new AblationEvent.Removal("hybrid1.snn", new int[] {2})), 0.0125),
            new AblationEvent.Measurement(
                List.of(
                    new AblationEvent.Removal("hybrid1.snn", new int[] {0, 5}),
                    new AblationEvent.Removal("hybrid1.rnn", new int[] {4})),
                -0.5)));
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
    return new DecisionEvent(
        new Header("run-7", "agent-a", 1234, 1_700_000_000_500L),
        "ckpt-1",
        List.of(
            new DecisionEvent.LayerDecision("hybrid1.snn", keep, scores),
            new DecisionEvent.LayerDecision(
                "hybrid1.rnn", new boolean[] {true, false, true}, new float[] {1f, -2f, 0.5f})),
        weights,
        "hstnn snn_ratio=0.5; floor 1 per layer",
        List.of("trainer-1"));
  }

  /** An activation summary of random data, rounded to float32 so it survives the wire exactly. */
  static ActivationSummaryEvent activation(Random random, int neurons, String layer) {
    ActivationSummary s =
        ActivationSummary.empty(
            neurons, ActivationSummary.Spec.DEFAULT.withAnchors(Math.min(4, neurons), 7));
    s.addRows(rows(random, 10, neurons, true));
    return new ActivationSummaryEvent(
        HEADER,
        layer,
        5,
        new ActivationSummary(
            exact(s.value()),
            exact(s.magnitude()),
            s.nonZero(),
            s.histogram(),
            exact(s.coActivation())));
  }

  static GradientSummaryEvent gradient(Random random, int neurons, String layer) {
    GradientSummary s = GradientSummary.empty(neurons);
    for (int w = 0; w < 3; w++) {
      s.addRows(rows(random, 4, neurons, false));
      s.addGate(random.doubles(neurons).toArray());
    }
    return new GradientSummaryEvent(
        HEADER,
        layer,
        5,
        new GradientSummary(exact(s.gradient()), exact(s.magnitude()), s.sign(), exact(s.gate())));
  }

  static CurvatureEvent curvature(Random random, int neurons, String layer) {
    CurvatureSummary s = CurvatureSummary.empty(neurons);
    for (int p = 0; p < 3; p++) {
      s.addProbe(random.doubles(neurons, -1, 1).toArray());
    }
    return new CurvatureEvent(HEADER, layer, 1, new CurvatureSummary(exact(s.vHv())));
  }

  static WeightStatisticsEvent weights(Random random, int neurons, int fanIn, String layer) {
    float[] in = new float[fanIn * neurons];
    float[] out = new float[neurons * 3];
    for (int i = 0; i < in.length; i++) {
      in[i] = (float) random.nextGaussian();
    }
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) random.nextGaussian();
    }
    WeightStatistics w = WeightStatistics.of(in, fanIn, neurons, out, 3);
    return new WeightStatisticsEvent(
        HEADER,
        layer,
        1,
        new WeightStatistics(
            w.fanIn(),
            w.fanOut(),
            f(w.l2()),
            f(w.l1()),
            f(w.variance()),
            f(w.nonZeroRatio()),
            f(w.entropy()),
            f(w.effectiveRankDrop()),
            f(w.outgoing())));
  }

  static float[] rows(Random random, int rows, int neurons, boolean spikesInFirstHalf) {
    float[] x = new float[rows * neurons];
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < neurons; i++) {
        x[r * neurons + i] =
            spikesInFirstHalf && i < neurons / 2
                ? (random.nextInt(3) == 0 ? 1f : 0f)
                : (float) random.nextGaussian();
      }
    }
    return x;
  }

  static Moments exact(Moments m) {
    return Moments.of(
        m.count(), f(m.meanArray()), f(m.m2Array()), f(m.minArray()), f(m.maxArray()));
  }

  static CoActivation exact(CoActivation c) {
    return CoActivation.of(
        c.count(), c.anchorArray(), f(c.meanArray()), f(c.m2Array()), f(c.comomentArray()));
  }

  /** Each value rounded to the nearest float32, as the wire carries it. */
  static double[] f(double[] v) {
    double[] out = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) v[i];
    }
    return out;
  }

  static RunStarted runOf(Event... layerEvents) {
    java.util.List<LayerSpec> layers = new java.util.ArrayList<>();
    for (Event e : layerEvents) {
      LayerSummaryEvent l = (LayerSummaryEvent) e;
      layers.add(new LayerSpec(l.layer(), LayerKind.DENSE, l.neurons(), 4, ""));
    }
    return new RunStarted(HEADER, 1, layers);
  }
}
