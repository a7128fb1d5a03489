package io.prunewire.scorers.criteria;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.scorers.stats.ActivationSummary;
import io.prunewire.scorers.stats.CurvatureSummary;
import io.prunewire.scorers.stats.GradientSummary;
import io.prunewire.scorers.stats.LayerEvidence;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Summaries from several trainers merged in any order give the same scores for every criterion. */
class OrderIndependenceTest {
  private static final int N = 16;

  private static List<Consumer<LayerEvidence>> trainerEvents(Random random) {
    List<Consumer<LayerEvidence>> events = new ArrayList<>();
    ActivationSummary.Spec spec = ActivationSummary.Spec.DEFAULT.withAnchors(6, 2);
    for (int trainer = 0; trainer < 3; trainer++) {
      for (int window = 0; window < 4; window++) {
        int rows = 5 + random.nextInt(20);
        float[] a = new float[rows * N];
        float[] g = new float[rows * N];
        for (int j = 0; j < a.length; j++) {
          a[j] =
              random.nextInt(3) == 0 ? 0 : (float) (1 / (1 + Math.exp(-random.nextGaussian() * 2)));
          g[j] = (float) (random.nextGaussian() * 1e-3 + (j % N) * 1e-4);
        }
        ActivationSummary activation = ActivationSummary.empty(N, spec);
        activation.addRows(a);
        GradientSummary gradient = GradientSummary.empty(N);
        gradient.addRows(g);
        double[] z = new double[N];
        double[] vHv = new double[N];
        for (int i = 0; i < N; i++) {
          z[i] = random.nextGaussian() * 0.1;
          vHv[i] = random.nextGaussian() + 0.2;
        }
        gradient.addGate(z);
        CurvatureSummary curvature = CurvatureSummary.empty(N);
        curvature.addProbe(vHv);
        events.add(e -> e.merge(activation));
        events.add(e -> e.merge(gradient));
        events.add(e -> e.merge(curvature));
      }
    }
    return events;
  }

  @Test
  void everyCriterionIsIndependentOfMergeOrder() {
    Random random = new Random(11);
    List<Consumer<LayerEvidence>> events = trainerEvents(random);
    Criteria criteria = Criteria.defaults();
    LayerEvidence reference = new LayerEvidence("l", N);
    events.forEach(e -> e.accept(reference));
    reference.update(1, Fixture.weightsFor(N, random));
    Map<String, double[]> expected = criteria.scoreAvailable(reference);
    assertThat(expected).hasSize(criteria.names().size());
    for (int trial = 0; trial < 5; trial++) {
      List<Consumer<LayerEvidence>> shuffled = new ArrayList<>(events);
      Collections.shuffle(shuffled, random);
      LayerEvidence evidence = new LayerEvidence("l", N);
      shuffled.forEach(e -> e.accept(evidence));
      evidence.update(1, reference.weights().orElseThrow());
      Map<String, double[]> actual = criteria.scoreAvailable(evidence);
      expected.forEach(
          (name, scores) -> {
            for (int i = 0; i < N; i++) {
              double tolerance = 1e-9 * Math.max(1e-12, Math.abs(scores[i]));
              assertThat(Math.abs(actual.get(name)[i] - scores[i]))
                  .as("%s neuron %d", name, i)
                  .isLessThanOrEqualTo(tolerance);
            }
          });
    }
  }
}
