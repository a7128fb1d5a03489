package io.prunewire.evaluation.report;

import java.util.List;
import java.util.Map;

/**
 * What happened to one run, against the training step: the model's training loss and validation
 * perplexity, the steps at which decisions were applied, the neurons kept per layer and type, and
 * the fusion weights of each decision.
 *
 * @param source where the story was read ({@code kafka://...} or the Prometheus URL), for the
 *     plot's title
 * @param keptNeurons per {@code "layer (type)"}, the kept count from the run's start on
 * @param fusionWeights per criterion, its weight at each decision
 */
public record RunStory(
    String run,
    String source,
    List<Point> trainingLoss,
    List<Point> validationPerplexity,
    List<Long> decisionSteps,
    Map<String, List<Point>> keptNeurons,
    Map<String, List<Point>> fusionWeights) {

  /** One value at a training step. */
  public record Point(long step, double value) {}

  public RunStory {
    trainingLoss = List.copyOf(trainingLoss);
    validationPerplexity = List.copyOf(validationPerplexity);
    decisionSteps = List.copyOf(decisionSteps);
    keptNeurons = Map.copyOf(keptNeurons);
    fusionWeights = Map.copyOf(fusionWeights);
  }

  /** Whether there is anything to draw. */
  public boolean isEmpty() {
    return trainingLoss.isEmpty()
        && validationPerplexity.isEmpty()
        && decisionSteps.isEmpty()
        && keptNeurons.isEmpty();
  }
}
