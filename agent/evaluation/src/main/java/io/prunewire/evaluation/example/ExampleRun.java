package io.prunewire.evaluation.example;

import io.prunewire.evaluation.demo.CheckpointMetric;
import io.prunewire.evaluation.demo.EmbeddedDeployment;
import io.prunewire.evaluation.demo.PruningPlan;
import io.prunewire.evaluation.progress.Progress;
import io.prunewire.trainer.kafka.KafkaTelemetrySink;
import io.prunewire.trainer.listener.PruningListener;
import io.prunewire.trainer.mask.NeuronMasks;
import io.prunewire.trainer.probe.AblationProbe;
import io.prunewire.trainer.probe.HutchinsonProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * Trains one {@link ExampleNetwork} with a {@link PruningListener} attached the way the README
 * tells users to: {@code PruningListener.forNetwork(net)} with a Kafka sink to the running agent
 * and the network's held-out batch, pruning on a cubic schedule ({@link PruningPlan}) at {@code
 * checkpoints} checkpoints every {@link ExampleSettings#every} steps, then fine-tuning for one step
 * less ({@link ExampleSettings#trainedSteps}). Around it the test metric is measured before the
 * first checkpoint, right after each checkpoint's masks and at the end.
 */
final class ExampleRun {

  private static final Duration DECISION_TIMEOUT = Duration.ofSeconds(60);

  private ExampleRun() {}

  /**
   * Runs {@code task} against the agent of {@code deployment}.
   *
   * @param steps training steps asked for; {@link ExampleSettings#trainedSteps} of them are trained
   */
  static NetworkReport run(
      ExampleNetwork task, int steps, ExampleSettings settings, EmbeddedDeployment deployment) {
    MultiLayerNetwork net = task.network();
    int checkpoints = settings.checkpoints();
    int every = settings.every(steps);
    int trained = settings.trainedSteps(steps);
    ExampleSettings.Probes probes = settings.probes();
    long seed = settings.seed();
    PruningPlan plan =
        PruningPlan.cubic(task.prunableNeurons(), checkpoints, every, settings.target());
    String runId = "example-" + task.id() + "-" + Long.toHexString(System.currentTimeMillis());
    String trainerId = "example-" + task.id();
    KafkaTelemetrySink sink =
        deployment.add(
            KafkaTelemetrySink.builder(deployment.bootstrapServers(), runId, trainerId).build());

    // Installed before the pruning listener: sees the network just before the first decision.
    CheckpointMetric beforePruning = new CheckpointMetric(task::testMetric, every, 1, k -> {});
    net.addListeners(beforePruning);
    // --- what a user adds to their own training loop ---
    PruningListener listener =
        PruningListener.forNetwork(net)
            .sink(sink)
            .runId(runId)
            .trainerId(trainerId)
            .heldOut(task.heldOut())
            .sampleEvery(Math.max(1, every / 8))
            .publishEvery(Math.max(1, every / 2))
            .curvatureEvery(
                every, HutchinsonProbe.builder().probes(probes.hutchinson()).seed(seed).build())
            .checkpointEvery(
                every,
                plan::planned,
                AblationProbe.builder()
                    .singles(probes.singles())
                    .groups(probes.groups())
                    .seed(seed)
                    .build())
            .decisionTimeout(DECISION_TIMEOUT)
            .build()
            .attach();
    // ---
    int[] prunedAt = new int[checkpoints + 1];
    // Installed after it: sees each checkpoint's masks applied.
    CheckpointMetric afterCheckpoint =
        new CheckpointMetric(
            task::testMetric, every, checkpoints, k -> prunedAt[k] = pruned(listener.masks()));
    net.addListeners(afterCheckpoint);

    long start = System.nanoTime();
    try (Progress bar = Progress.start(task.id() + " train", trained, " steps")) {
      for (int step = 0; step < trained; step++) {
        net.fit(task.batch(step));
        // DL4J's score: the batch's mean loss per example (per sequence for the language model)
        bar.setExtraMessage(
            String.format(
                Locale.ROOT,
                " score %.3f, pruned %d/%d",
                net.score(),
                pruned(listener.masks()),
                task.prunableNeurons()));
        bar.stepTo(step + 1);
      }
    }
    listener.close();
    double seconds = (System.nanoTime() - start) / 1e9;

    NeuronMasks masks = listener.masks();
    List<NetworkReport.Layer> layers = new ArrayList<>();
    if (masks != null) {
      for (String name : masks.layers()) {
        boolean[] keep = masks.keep(name);
        int kept = 0;
        for (boolean k : keep) {
          kept += k ? 1 : 0;
        }
        layers.add(new NetworkReport.Layer(name, keep.length, keep.length - kept));
      }
    }
    List<NetworkReport.Checkpoint> rows = new ArrayList<>();
    for (int k = 1; k <= checkpoints; k++) {
      rows.add(
          new NetworkReport.Checkpoint(
              k, k * every, plan.planned(k), prunedAt[k], afterCheckpoint.at(k)));
    }
    return new NetworkReport(
        task.title(),
        task.shape(),
        task.metricName(),
        net.numParams(),
        net.params().neq(0).castTo(DataType.LONG).sumNumber().longValue(),
        trained,
        every,
        trained - checkpoints * every,
        beforePruning.at(1),
        rows,
        task.testMetric(),
        layers,
        seconds,
        net,
        masks);
  }

  private static int pruned(NeuronMasks masks) {
    return masks == null ? 0 : masks.pruned();
  }
}
