package io.prunewire.evaluation.compare;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Section 1: the single-ablation oracle per group and how far group ablations are from additive.
 */
final class GroundTruthSection {

  /** {@link CompareResult.Group#type()} of spiking neurons. */
  static final String SPIKING = "spiking";

  private GroundTruthSection() {}

  static String markdown(CompareResult r) {
    CompareResult.Oracle o = r.oracle();
    StringBuilder b = new StringBuilder("## 1 Ground truth\n\n");
    Map<String, List<CompareResult.SingleAblation>> byGroup =
        o.singles().stream().collect(Collectors.groupingBy(CompareResult.SingleAblation::group));
    MarkdownTable singles =
        new MarkdownTable()
            .text("group")
            .text("type")
            .number("neurons")
            .number("measured")
            .number("mean Δloss")
            .number("median Δloss")
            .number("max Δloss")
            .number("Δloss = 0")
            .number("Δloss < 0");
    List<String> names = new ArrayList<>();
    for (CompareResult.Group g : r.groups()) {
      names.add(g.name());
      singles.row(
          singleRow(
              g.name(),
              g.type(),
              Integer.toString(g.neurons()),
              byGroup.getOrDefault(g.name(), List.of())));
    }
    byGroup.keySet().stream()
        .filter(n -> !names.contains(n))
        .sorted()
        .forEach(n -> singles.row(singleRow(n, Cells.NA, Cells.NA, byGroup.get(n))));
    b.append(singles).append('\n');

    double[] all = deltas(o.singles());
    long zeros = Arrays.stream(all).filter(d -> d == 0).count();
    long negative = Arrays.stream(all).filter(d -> d < 0).count();
    Map<String, String> types =
        r.groups().stream()
            .collect(
                Collectors.toMap(
                    CompareResult.Group::name, CompareResult.Group::type, (a, c) -> a));
    long spikingZeros =
        o.singles().stream()
            .filter(s -> s.deltaLoss() == 0 && SPIKING.equals(types.get(s.group())))
            .count();
    String unchanged =
        zeros == 0
            ? ""
            : String.format(
                Locale.ROOT,
                " (%d of them in spiking groups, where a neuron"
                    + " that never fires on these batches has no effect)",
                spikingZeros);
    b.append(
        String.format(
            Locale.ROOT,
            "Δloss is the change of mean loss (nats/token) on %d fixed held-out validation"
                + " batches (%d tokens; intact loss %s, perplexity %s) when one neuron alone is removed, measured for %s."
                + " %d of %d removals leave the loss exactly unchanged%s and %d lower it. The oracle ranks neurons by this"
                + " Δloss.%n%n",
            o.heldOutBatches(),
            o.tokens(),
            Cells.fixed(o.intactLoss(), 4),
            Cells.ppl(Math.exp(o.intactLoss())),
            o.sampled()
                ? "a seeded stratified sample of " + all.length + " neurons"
                : "every hidden neuron (" + all.length + ")",
            zeros,
            all.length,
            unchanged,
            negative));

    b.append("### Group ablations\n\n");
    if (o.groups().isEmpty()) {
      return b.append("No group ablations were measured in this run.\n\n").toString();
    }
    Map<Integer, List<CompareResult.GroupAblation>> bySize =
        o.groups().stream()
            .collect(
                Collectors.groupingBy(
                    CompareResult.GroupAblation::size, TreeMap::new, Collectors.toList()));
    MarkdownTable groups =
        new MarkdownTable()
            .number("size")
            .number("groups")
            .number("mean measured Δloss")
            .number("mean sum of singles")
            .number("measured / sum");
    bySize.forEach(
        (size, gs) ->
            groups.row(
                List.of(
                    Integer.toString(size),
                    Integer.toString(gs.size()),
                    Cells.loss(Stats.mean(measured(gs))),
                    Cells.loss(Stats.mean(summed(gs))),
                    Cells.fixed(ratio(gs), 3))));
    b.append(groups).append('\n');
    double ratio = ratio(o.groups());
    double pearson = Stats.pearson(measured(o.groups()), summed(o.groups()));
    b.append(
        String.format(
            Locale.ROOT,
            "Over all %d groups of neurons removed together, the measured loss changes"
                + " add up to %s × the sum of the members' single changes (1 would be additive), with Pearson r = %s"
                + " between measured and summed changes across groups. %s%n%n",
            o.groups().size(),
            Cells.fixed(ratio, 3),
            Cells.rho(pearson),
            additivity(ratio)));
    return b.toString();
  }

  private static List<String> singleRow(
      String group, String type, String neurons, List<CompareResult.SingleAblation> singles) {
    double[] d = deltas(singles);
    return List.of(
        group,
        type,
        neurons,
        Integer.toString(d.length),
        Cells.loss(Stats.mean(d)),
        Cells.loss(Stats.median(d)),
        Cells.loss(d.length == 0 ? Double.NaN : Arrays.stream(d).max().getAsDouble()),
        Long.toString(Arrays.stream(d).filter(x -> x == 0).count()),
        Long.toString(Arrays.stream(d).filter(x -> x < 0).count()));
  }

  /** Σ measured Δloss / Σ sum of singles over {@code groups}; NaN when the sums add to zero. */
  static double ratio(List<CompareResult.GroupAblation> groups) {
    double summed = Arrays.stream(summed(groups)).sum();
    return summed == 0 ? Double.NaN : Arrays.stream(measured(groups)).sum() / summed;
  }

  private static String additivity(double ratio) {
    if (Double.isNaN(ratio)) {
      return "The ratio is undefined because the single changes sum to zero.";
    }
    if (ratio > 1) {
      return "Removing neurons together costs more than their single effects suggest (super-additive), so a"
          + " ranking by single ablations underestimates the damage of large cuts.";
    }
    if (ratio < 1) {
      return "Removing neurons together costs less than their single effects suggest (sub-additive): the"
          + " remaining neurons partly cover for the removed ones.";
    }
    return "The effects add up exactly.";
  }

  private static double[] deltas(List<CompareResult.SingleAblation> singles) {
    return singles.stream().mapToDouble(CompareResult.SingleAblation::deltaLoss).toArray();
  }

  private static double[] measured(List<CompareResult.GroupAblation> groups) {
    return groups.stream().mapToDouble(CompareResult.GroupAblation::deltaLoss).toArray();
  }

  private static double[] summed(List<CompareResult.GroupAblation> groups) {
    return groups.stream().mapToDouble(CompareResult.GroupAblation::sumOfSingles).toArray();
  }
}
