package io.prunewire.evaluation.bench;

import io.prunewire.protocol.AblationEvent;
import io.prunewire.protocol.ActivationSummaryEvent;
import io.prunewire.protocol.CheckpointEvent;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.GradientSummaryEvent;
import io.prunewire.protocol.Header;
import io.prunewire.protocol.LayerKind;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.protocol.RemovalCandidates;
import io.prunewire.protocol.RemovalOutcome;
import io.prunewire.protocol.RunStarted;
import io.prunewire.scorers.criteria.Criteria;
import io.prunewire.scorers.stats.ActivationSummary;
import io.prunewire.scorers.stats.GradientSummary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The events the protocol benchmark encodes and decodes, at the reference layer width of 1,300
 * neurons (PROTOCOL.md, "Why this encoding"): summaries of one hybrid layer, and a decision and
 * removal candidates over two such layers, as the agent makes them. Seeded: every fork and every
 * round sees the same values.
 */
public final class ReferenceEvents {

  /** The reference layer width. */
  public static final int NEURONS = 1300;

  /** One sampled batch: batch 25 × BPTT 35. */
  private static final int ROWS = 35 * 25;

  /** Sampled batches in one published gradient summary (every 10th of 100 steps). */
  private static final int GRADIENT_WINDOWS = 10;

  /** Proposals per outcome round (the agent's {@code outcome.candidates}). */
  private static final int CANDIDATES = 10;

  private static final List<String> LAYERS = List.of("hybrid1", "hybrid2");
  private static final Header TRAINER =
      new Header("run-2026-11-28-a", "trainer-0", 1000, 1_700_000_000_000L);
  private static final Header AGENT =
      new Header("run-2026-11-28-a", "agent-0", 1000, 1_700_000_000_500L);

  /** The events by the names the benchmark's {@code --events} option takes. */
  public static final List<String> NAMES =
      List.of(
          "activation",
          "gradient",
          "decision",
          "candidates",
          "outcome",
          "checkpoint",
          "run-started");

  private ReferenceEvents() {}

  /** One of {@link #NAMES}. */
  public static Event named(String name) {
    return switch (name) {
      case "activation" -> activation();
      case "gradient" -> gradient();
      case "decision" -> decision();
      case "candidates" -> candidates();
      case "outcome" -> outcome();
      case "checkpoint" -> new CheckpointEvent(TRAINER, "ckpt-3", 325);
      case "run-started" -> runStarted(Event.VERSION_1);
      default ->
          throw new IllegalArgumentException("no reference event '" + name + "'; known: " + NAMES);
    };
  }

  /**
   * The activation summary of a hybrid layer over one sampled batch: the first half spiking (firing
   * rates up to 0.3), the second half sigmoid outputs; default spec (20 histogram bins, 32
   * anchors). Drawn as {@code EncodingSizeTest} draws it, so its hand-written size is the one in
   * PROTOCOL.md's "Why this encoding" table.
   */
  public static ActivationSummaryEvent activation() {
    Random random = new Random(5);
    ActivationSummary s = ActivationSummary.empty(NEURONS, ActivationSummary.Spec.DEFAULT);
    float[] x = new float[ROWS * NEURONS];
    double[] rate = random.doubles(NEURONS, 0, 0.3).toArray();
    for (int r = 0; r < ROWS; r++) {
      for (int i = 0; i < NEURONS; i++) {
        x[r * NEURONS + i] =
            i < NEURONS / 2
                ? (random.nextDouble() < rate[i] ? 1f : 0f)
                : (float) (1 / (1 + Math.exp(-random.nextGaussian() * 2)));
      }
    }
    s.addRows(x);
    return new ActivationSummaryEvent(TRAINER, "hybrid1", 10, s);
  }

  /**
   * The gradient summary of the same layer over {@value #GRADIENT_WINDOWS} sampled batches, with
   * gate samples.
   */
  public static GradientSummaryEvent gradient() {
    Random random = new Random(6);
    GradientSummary g = GradientSummary.empty(NEURONS);
    float[] rows = new float[ROWS * NEURONS];
    double[] gate = new double[NEURONS];
    for (int w = 0; w < GRADIENT_WINDOWS; w++) {
      for (int j = 0; j < rows.length; j++) {
        rows[j] = (float) (random.nextGaussian() * 1e-3 * (1 + j % NEURONS % 5));
      }
      g.addRows(rows);
      for (int i = 0; i < NEURONS; i++) {
        gate[i] = random.nextGaussian() * 1e-2;
      }
      g.addGate(gate);
    }
    return new GradientSummaryEvent(TRAINER, "hybrid1", 100, g);
  }

  /**
   * A decision over two layers keeping about half of each, with every default criterion's weight.
   */
  public static DecisionEvent decision() {
    Random random = new Random(7);
    List<DecisionEvent.LayerDecision> layers = new ArrayList<>();
    for (String layer : LAYERS) {
      boolean[] keep = new boolean[NEURONS];
      float[] scores = new float[NEURONS];
      for (int i = 0; i < NEURONS; i++) {
        scores[i] = (float) random.nextGaussian();
        keep[i] = scores[i] > 0;
      }
      layers.add(new DecisionEvent.LayerDecision(layer, keep, scores));
    }
    List<String> criteria = Criteria.defaults().names();
    Map<String, Double> weights = new LinkedHashMap<>();
    criteria.forEach(c -> weights.put(c, 1.0 / criteria.size()));
    return new DecisionEvent(
        AGENT,
        "ckpt-3",
        layers,
        weights,
        "outcome fusion: incumbent subset of 27 criteria; retention hstnn snn_ratio=0.5; floor 1 per layer",
        List.of());
  }

  /**
   * A version-2 round: {@value #CANDIDATES} proposals, each removing the bottom half of both
   * layers' neurons (the agent's default {@code outcome.fraction}), measured by two trainers.
   */
  public static RemovalCandidates candidates() {
    Random random = new Random(8);
    List<RemovalCandidates.Candidate> candidates = new ArrayList<>();
    for (int c = 0; c < CANDIDATES; c++) {
      List<AblationEvent.Removal> removed = new ArrayList<>();
      for (String layer : LAYERS) {
        removed.add(new AblationEvent.Removal(layer, bottomHalf(random)));
      }
      candidates.add(new RemovalCandidates.Candidate(c, removed));
    }
    return new RemovalCandidates(AGENT, "ckpt-3", 4, List.of("trainer-0", "trainer-1"), candidates);
  }

  /** A version-2 answer to one candidate. */
  public static RemovalOutcome outcome() {
    return new RemovalOutcome(TRAINER, "ckpt-3", 4, 7, 0.0625, 4);
  }

  /**
   * A trainer's {@code RunStarted} for the two layers, as a version-1 or a version-2 trainer sends
   * it.
   */
  public static RunStarted runStarted(int version) {
    return new RunStarted(
        TRAINER,
        2,
        List.of(
            new LayerSpec("hybrid1", LayerKind.RNN, NEURONS, 2 * NEURONS, ""),
            new LayerSpec("hybrid2", LayerKind.RNN, NEURONS, 2 * NEURONS, "")),
        version);
  }

  /** Half of the layer's neuron indices, in the order a ranking would list them. */
  private static int[] bottomHalf(Random random) {
    int[] order = new int[NEURONS];
    Arrays.setAll(order, i -> i);
    for (int i = NEURONS - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return Arrays.copyOf(order, NEURONS / 2);
  }
}
