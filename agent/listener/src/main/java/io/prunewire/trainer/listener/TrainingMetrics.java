package io.prunewire.trainer.listener;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What pruning does to the model, as Micrometer meters tagged with the run and the trainer, so that
 * a dashboard can put the model's loss next to the agent's decisions. Names as scraped:
 *
 * <ul>
 *   <li>{@code prunewire_trainer_step{run,trainer}} — the network's iteration count;
 *   <li>{@code prunewire_trainer_training_loss{run,trainer}} — mean training loss of the last
 *       window (nats per token, with dropout);
 *   <li>{@code prunewire_trainer_tokens_per_second{run,trainer}} — training throughput of the epoch
 *       so far;
 *   <li>{@code prunewire_trainer_validation_perplexity{run,trainer}} — the last evaluation's
 *       validation perplexity (exists once the trainer has evaluated);
 *   <li>{@code prunewire_trainer_neurons_kept{run,trainer,layer,type}} — neurons the trainer's
 *       masks keep per prunable layer (all of them before the first decision);
 *   <li>{@code prunewire_trainer_decision_heldout_loss{run,trainer,when}} — the held-out probe
 *       batch's loss (nats per token, no dropout) right {@code before} and right {@code after} the
 *       last applied decision; after − before is the decision's damage before any fine-tuning;
 *   <li>{@code prunewire_trainer_decisions_applied_total{run,trainer}} — decisions applied (0 at
 *       start).
 * </ul>
 *
 * <p>All are gauges that hold the last value, so a panel reads the state between checkpoints too.
 * Written by the training thread, read by the scraper.
 */
public final class TrainingMetrics {

  private final MeterRegistry registry;
  private final Tags tags;
  private final Value step = new Value();
  private final Value trainingLoss = new Value();
  private final Value tokensPerSecond = new Value();
  private final Map<Key, Value> held = new ConcurrentHashMap<>();
  private final Counter decisionsApplied;

  private TrainingMetrics(MeterRegistry registry, String runId, String trainerId) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.tags =
        Tags.of(
            "run",
            Objects.requireNonNull(runId, "runId"),
            "trainer",
            Objects.requireNonNull(trainerId, "trainerId"));
    gauge("prunewire.trainer.step", "The trainer's training iteration count", tags, step);
    gauge(
        "prunewire.trainer.training.loss",
        "Mean training loss of the last window, nats per token (with dropout)",
        tags,
        trainingLoss);
    gauge(
        "prunewire.trainer.tokens.per.second",
        "Training tokens per second in the current epoch",
        tags,
        tokensPerSecond);
    this.decisionsApplied =
        Counter.builder("prunewire.trainer.decisions.applied")
            .description("Pruning decisions this trainer applied")
            .tags(tags)
            .register(registry);
  }

  /** Registers the step, loss, throughput and decision meters of one trainer of a run. */
  public static TrainingMetrics register(MeterRegistry registry, String runId, String trainerId) {
    return new TrainingMetrics(registry, runId, trainerId);
  }

  /**
   * A finished training window: the iteration count after it, its loss and the epoch's throughput.
   */
  public void window(long iterations, double loss, double tokensPerSecond) {
    this.step.value = iterations;
    this.trainingLoss.value = loss;
    this.tokensPerSecond.value = tokensPerSecond;
  }

  /** The perplexity of the latest validation evaluation. */
  public void validationPerplexity(double perplexity) {
    held(
                "prunewire.trainer.validation.perplexity",
                "Validation perplexity of the latest evaluation",
                tags)
            .value =
        perplexity;
  }

  /**
   * Neurons the trainer's masks keep in one prunable layer; {@code type} is its neuron kind ({@code
   * rnn}, {@code snn}, ...).
   */
  public void neuronsKept(String layer, String type, int kept) {
    held(
                "prunewire.trainer.neurons.kept",
                "Neurons the trainer's masks keep per layer",
                tags.and("layer", layer, "type", type))
            .value =
        kept;
  }

  /** The held-out loss right before and right after a decision's masks were applied. */
  public void decisionApplied(double lossBefore, double lossAfter) {
    String help =
        "Held-out probe loss right before and after the last applied decision, nats per token";
    held("prunewire.trainer.decision.heldout.loss", help, tags.and("when", "before")).value =
        lossBefore;
    held("prunewire.trainer.decision.heldout.loss", help, tags.and("when", "after")).value =
        lossAfter;
    decisionsApplied.increment();
  }

  private Value held(String name, String help, Tags t) {
    return held.computeIfAbsent(new Key(name, t), k -> gauge(name, help, t, new Value()));
  }

  private Value gauge(String name, String help, Tags t, Value holder) {
    Gauge.builder(name, holder, h -> h.value).description(help).tags(t).register(registry);
    return holder;
  }

  /** One gauge registered on first use. */
  private record Key(String name, Tags tags) {}

  /** The last value set for one gauge. */
  private static final class Value {
    volatile double value;
  }
}
