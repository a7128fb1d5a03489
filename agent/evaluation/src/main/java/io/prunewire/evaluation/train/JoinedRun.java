package io.prunewire.evaluation.train;

import io.prunewire.evaluation.demo.PruningPlan;
import io.prunewire.evaluation.demo.RecoveryWindows;
import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.kafka.KafkaTelemetrySink;
import io.prunewire.trainer.listener.PruningListener;
import io.prunewire.trainer.listener.TrainingMetrics;
import io.prunewire.trainer.mask.NeuronMasks;
import io.prunewire.trainer.mask.Shrinker;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.model.WorkloadConfig;
import io.prunewire.trainer.network.PrunableLayer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;

/**
 * A reference workload's trainer in a Prunewire deployment ({@code prunewire train
 * --bootstrap-servers}): its {@link TrainerTelemetry} (the Kafka sink and {@code /metrics}) and an
 * attached {@link PruningListener} whose cubic {@link PruningPlan} prunes {@code target} of the
 * hidden neurons over {@code checkpoints} checkpoints evenly spaced in the remaining epochs, with
 * fine-tuning after the last. {@link #close()} stops the telemetry.
 */
public final class JoinedRun implements AutoCloseable {
  /** Ablations and Hutchinson probes per checkpoint, as in {@code prunewire demo}. */
  static final int SINGLE_ABLATIONS = 32;

  static final int GROUP_ABLATIONS = 6;
  static final int CURVATURE_PROBES = 8;

  /**
   * How the trainer takes part in the run.
   *
   * @param bootstrapServers the deployment's Kafka, as printed (the sink builder connects to it)
   * @param runId run shared by the fleet's trainers
   * @param trainerId this trainer's id in the run
   * @param fleetSize trainers the agent waits for at each checkpoint
   * @param checkpoints pruning checkpoints, at least 1
   * @param target final share of hidden neurons pruned, in (0, 1)
   * @param decisionTimeout how long to wait for a checkpoint's decision before training on
   * @param minKeptFraction a decision keeping fewer than this share of a layer is refused
   * @param recoverySteps recovery steps before each removal candidate is measured, ≥ 0
   * @param recoveryWindows where those steps train ({@link RecoveryWindows#TRAIN} needs steps)
   * @param outcomeBatches test windows each candidate is measured on, ≥ 1 (from 2 on the outcomes
   *     carry a standard error)
   * @param metricsBind address of {@code /metrics}
   * @param metricsPort port of {@code /metrics}, 0 for any free one
   */
  public record Settings(
      String bootstrapServers,
      String runId,
      String trainerId,
      int fleetSize,
      int checkpoints,
      double target,
      Duration decisionTimeout,
      double minKeptFraction,
      int recoverySteps,
      RecoveryWindows recoveryWindows,
      int outcomeBatches,
      String metricsBind,
      int metricsPort) {
    public Settings {
      Objects.requireNonNull(bootstrapServers, "bootstrapServers");
      Objects.requireNonNull(runId, "runId");
      Objects.requireNonNull(trainerId, "trainerId");
      Objects.requireNonNull(decisionTimeout, "decisionTimeout");
      Objects.requireNonNull(metricsBind, "metricsBind");
      Objects.requireNonNull(recoveryWindows, "recoveryWindows");
      if (recoverySteps < 0) {
        throw new IllegalArgumentException("recoverySteps must be >= 0, got " + recoverySteps);
      }
      recoveryWindows.requireRecoverySteps(recoverySteps);
      if (outcomeBatches < 1) {
        throw new IllegalArgumentException("outcomeBatches must be >= 1, got " + outcomeBatches);
      }
    }
  }

  private final TrainerTelemetry telemetry;
  private final PruningListener listener;
  private final int neurons;

  private JoinedRun(TrainerTelemetry telemetry, PruningListener listener, int neurons) {
    this.telemetry = telemetry;
    this.listener = listener;
    this.neurons = neurons;
  }

  /**
   * Steps between checkpoints: the smallest spacing {@code every} with {@code (checkpoints + 1) ·
   * every > steps}, so that no checkpoint fires after the last planned one.
   *
   * @throws IllegalArgumentException if {@code steps} leave fewer than 2 steps per checkpoint and 2
   *     of fine-tuning after the last
   */
  public static int checkpointSpacing(long steps, int checkpoints) {
    int every = (int) (steps / (checkpoints + 1)) + 1;
    if ((long) checkpoints * every > steps - 2) {
      throw new IllegalArgumentException(
          steps
              + " training steps are too few for "
              + checkpoints
              + " checkpoints (need 2 per checkpoint and 2 of fine-tuning after the last)");
    }
    return every;
  }

  /**
   * Connects {@code sink} to the deployment, starts {@code /metrics} and attaches the listener to
   * {@code workload} for the epochs from its completed ones to {@code totalEpochs}; prints the
   * plan.
   */
  public static JoinedRun start(
      Workload workload,
      int totalEpochs,
      Settings s,
      KafkaTelemetrySink.Builder sink,
      PrintWriter out) {
    WorkloadConfig c = workload.config();
    long steps =
        (long) (totalEpochs - workload.completedEpochs())
            * workload.corpus().batches(Split.TRAIN, c.batch()).windowCount(c.bptt());
    int every = checkpointSpacing(steps, s.checkpoints());
    int neurons = workload.prunableLayers().stream().mapToInt(PrunableLayer::neurons).sum();
    PruningPlan plan = PruningPlan.cubic(neurons, s.checkpoints(), every, s.target());
    TrainerTelemetry telemetry =
        TrainerTelemetry.start(sink, s.runId(), s.trainerId(), s.metricsBind(), s.metricsPort());
    PruningListener listener;
    boolean recovers;
    int outcomeBatches;
    try {
      PruningListener.Builder builder =
          plan.listener(workload, CURVATURE_PROBES, SINGLE_ABLATIONS, GROUP_ABLATIONS, c.seed())
              .sink(telemetry.sink())
              .runId(s.runId())
              .trainerId(s.trainerId())
              .fleetSize(s.fleetSize())
              .metrics(telemetry.training())
              .decisionTimeout(s.decisionTimeout())
              .minKeptFraction(s.minKeptFraction());
      recovers =
          s.recoverySteps() > 0
              && plan.recovery(builder, workload, s.recoverySteps(), s.recoveryWindows());
      outcomeBatches = plan.outcomeBatches(builder, workload, s.outcomeBatches());
      listener = builder.build().attach();
    } catch (RuntimeException e) {
      telemetry.close();
      throw e;
    }
    out.printf(
        "run %s, trainer %s: publishing to %s; %d checkpoints every %d steps pruning to %.0f%% of"
            + " %d hidden neurons; metrics on http://%s:%d/metrics%n",
        s.runId(),
        s.trainerId(),
        s.bootstrapServers(),
        s.checkpoints(),
        every,
        100 * s.target(),
        neurons,
        s.metricsBind(),
        telemetry.metricsPort());
    if (recovers) {
      out.printf(
          "removal candidates measured after %d recovery steps from the training's optimiser"
              + " state on %s windows%n",
          s.recoverySteps(), s.recoveryWindows().noun());
    } else if (s.recoverySteps() > 0) {
      out.println(PruningPlan.NO_RECOVERY_WINDOW);
    }
    if (s.outcomeBatches() > 1) {
      out.printf(
          "removal candidates measured on %d test windows each, with their standard error%s%n",
          outcomeBatches,
          outcomeBatches < s.outcomeBatches()
              ? " (the test split has no more windows past the recovery windows)"
              : "");
    }
    out.flush();
    return new JoinedRun(telemetry, listener, neurons);
  }

  /** The model's meters served on {@code /metrics}. */
  public TrainingMetrics training() {
    return telemetry.training();
  }

  /** Prints how many hidden neurons the agent's decisions have pruned so far. */
  public void printPruned(PrintWriter out) {
    NeuronMasks masks = listener.masks();
    out.printf(
        "pruning: %d of %d hidden neurons pruned by the agent's decisions%n",
        masks == null ? 0 : masks.pruned(), neurons);
  }

  /**
   * Ends training: closes the listener (which publishes the last weight statistics while the sink
   * is still open) and, if {@code exportShrunk} is not null, writes the network without its pruned
   * neurons there (a DL4J model zip computing what the pruned network computes).
   */
  public void finish(Workload workload, Path exportShrunk, PrintWriter out) throws IOException {
    listener.close();
    if (exportShrunk == null) {
      return;
    }
    NeuronMasks masks = listener.masks();
    MultiLayerNetwork net = workload.network();
    MultiLayerNetwork shrunk =
        masks == null ? net : Shrinker.shrink(net, workload.prunableLayers(), masks);
    Files.createDirectories(exportShrunk.toAbsolutePath().getParent());
    ModelSerializer.writeModel(shrunk, exportShrunk.toFile(), false);
    out.printf(
        "exported the shrunk network (%,d of %,d parameters%s) to %s%n",
        shrunk.numParams(),
        net.numParams(),
        masks == null ? "; no decision pruned a neuron" : "",
        exportShrunk);
  }

  @Override
  public void close() {
    telemetry.close();
  }
}
