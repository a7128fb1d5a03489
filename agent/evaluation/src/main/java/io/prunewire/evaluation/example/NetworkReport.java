package io.prunewire.evaluation.example;

import io.prunewire.trainer.mask.NeuronMasks;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * What one network of {@code prunewire example} ended with.
 *
 * @param parameters parameters of the network (pruning zeroes them, it does not remove them)
 * @param nonZeroParameters parameters that are not zero at the end (the pruned neurons' are)
 * @param every steps between checkpoints; the first checkpoint follows {@code every} dense steps
 * @param fineTuneSteps steps after the last checkpoint
 * @param before the test metric right before the first checkpoint
 * @param end the test metric after the last step
 * @param network the trained network, masks in force
 * @param masks the masks in force at the end, null if no decision arrived
 */
public record NetworkReport(
    String title,
    String shape,
    String metric,
    long parameters,
    long nonZeroParameters,
    int steps,
    int every,
    int fineTuneSteps,
    double before,
    List<Checkpoint> checkpoints,
    double end,
    List<Layer> layers,
    double seconds,
    MultiLayerNetwork network,
    NeuronMasks masks) {

  /**
   * One checkpoint: the removals the schedule planned, the neurons pruned in all once its decision
   * was applied (the same as before it if none arrived in time) and the test metric right after.
   */
  public record Checkpoint(int number, int step, int planned, int prunedInAll, double after) {}

  /** A pruned layer at the end. */
  public record Layer(String name, int neurons, int pruned) {}

  /** Prints the report as a few lines and two Markdown tables. */
  public void print(PrintStream out) {
    out.println();
    out.println("== " + title + " ==");
    out.println(shape);
    out.printf(
        Locale.ROOT,
        "parameters: %,d; non-zero at the end: %,d (pruned neurons' weights are zeroed)%n",
        parameters,
        nonZeroParameters);
    out.printf(
        Locale.ROOT,
        "test %s before pruning (after %d steps): %s%n",
        metric,
        every,
        format(before));
    out.printf(
        Locale.ROOT,
        "| checkpoint | step | planned removals | pruned in all | test %s after |%n",
        metric);
    out.println("| --- | --- | --- | --- | --- |");
    for (Checkpoint c : checkpoints) {
      out.printf(
          Locale.ROOT,
          "| %d | %d | %d | %d | %s |%n",
          c.number(),
          c.step(),
          c.planned(),
          c.prunedInAll(),
          format(c.after()));
    }
    out.printf(
        Locale.ROOT, "test %s after %d fine-tune steps: %s%n", metric, fineTuneSteps, format(end));
    if (layers.isEmpty()) {
      out.println("no decision arrived: nothing was pruned");
    } else {
      out.println("| layer | neurons | pruned | kept |");
      out.println("| --- | --- | --- | --- |");
      for (Layer l : layers) {
        out.printf(
            Locale.ROOT,
            "| %s | %d | %d | %d |%n",
            l.name(),
            l.neurons(),
            l.pruned(),
            l.neurons() - l.pruned());
      }
    }
    out.printf(Locale.ROOT, "trained %d steps in %.0f s%n", steps, seconds);
  }

  private String format(double value) {
    return "accuracy".equals(metric)
        ? String.format(Locale.ROOT, "%.4f", value)
        : String.format(Locale.ROOT, "%.1f", value);
  }
}
