package io.prunewire.service;

import io.prunewire.scorers.fusion.OutcomeFusion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A run's outcome-learned fusion as the agent keeps it in the fusion store (key {@code run ␟
 * outcome}): the fusion itself (chosen criteria, per-criterion evidence, rounds, measured
 * candidates), the trainers that measure candidates (those that sent {@code RunStarted} with
 * version byte 2), the open round if the agent waits for outcomes, and what the last finished round
 * changed. Loaded, changed and written back per event like {@link RunState}, never kept in fields.
 */
final class OutcomeState {

  /** 2 adds the outcomes' standard errors; format 1 (without them) still reads. */
  private static final int FORMAT = 2;

  /** Key suffix in the fusion store. */
  static final String KEY_SUFFIX = "\u001foutcome";

  final SortedSet<String> measuringTrainers = new TreeSet<>();
  OutcomeFusion fusion = OutcomeFusion.initial();

  /** The round waiting for outcomes, or null. */
  Round round;

  /** What the last finished round changed, for the next decision's reason; empty before any. */
  String lastSummary = "";

  static String key(String runId) {
    return runId + KEY_SUFFIX;
  }

  /**
   * Candidates issued at a checkpoint whose decision waits for their outcomes.
   *
   * @param timedOut whether the barrier timed out before the round opened
   * @param timestampMillis the decision's header timestamp, fixed when the barrier was met
   * @param removed per candidate (its id is its position): layer → removed neurons
   * @param deltaLoss per candidate, its measured outcome, NaN until measured
   * @param stdErr per candidate, the outcome's standard error, NaN until measured or if not known
   */
  record Round(
      String checkpointId,
      int number,
      long openedWallMillis,
      boolean timedOut,
      long timestampMillis,
      List<String> measurers,
      List<OutcomeFusion.Proposal> proposals,
      List<Map<String, int[]>> removed,
      double[] deltaLoss,
      double[] stdErr) {

    Round {
      measurers = List.copyOf(measurers);
      proposals = List.copyOf(proposals);
      removed = List.copyOf(removed);
      if (proposals.size() != removed.size()
          || proposals.size() != deltaLoss.length
          || proposals.size() != stdErr.length) {
        throw new IllegalArgumentException(
            "outcome round: "
                + proposals.size()
                + " proposals, "
                + removed.size()
                + " removals, "
                + deltaLoss.length
                + " outcomes, "
                + stdErr.length
                + " standard errors");
      }
    }

    static Round open(
        String checkpointId,
        int number,
        long openedWallMillis,
        boolean timedOut,
        long timestampMillis,
        List<String> measurers,
        List<OutcomeFusion.Proposal> proposals,
        List<Map<String, int[]>> removed) {
      return new Round(
          checkpointId,
          number,
          openedWallMillis,
          timedOut,
          timestampMillis,
          measurers,
          proposals,
          removed,
          unknown(proposals.size()),
          unknown(proposals.size()));
    }

    private static double[] unknown(int n) {
      double[] none = new double[n];
      Arrays.fill(none, Double.NaN);
      return none;
    }

    int measured() {
      return (int) Arrays.stream(deltaLoss).filter(d -> !Double.isNaN(d)).count();
    }

    boolean complete() {
      return measured() == deltaLoss.length;
    }
  }

  byte[] encode() {
    StateWriter w = new StateWriter(1024);
    w.writeByte(FORMAT).writeInt(measuringTrainers.size());
    measuringTrainers.forEach(w::writeString);
    OutcomeFusion f = fusion;
    writeStrings(w, f.chosen());
    w.writeInt(f.evidence().size());
    f.evidence().forEach((c, e) -> w.writeString(c).writeInt(e.count()).writeDouble(e.regretSum()));
    w.writeInt(f.rounds()).writeLong(f.measured()).writeString(lastSummary);
    w.writeByte(round == null ? 0 : 1);
    if (round != null) {
      w.writeString(round.checkpointId())
          .writeInt(round.number())
          .writeLong(round.openedWallMillis())
          .writeByte(round.timedOut() ? 1 : 0)
          .writeLong(round.timestampMillis());
      writeStrings(w, round.measurers());
      w.writeInt(round.proposals().size());
      for (int i = 0; i < round.proposals().size(); i++) {
        w.writeString(round.proposals().get(i).label());
        writeStrings(w, round.proposals().get(i).criteria());
        Map<String, int[]> removed = round.removed().get(i);
        w.writeInt(removed.size());
        removed.forEach(
            (layer, neurons) -> {
              w.writeString(layer).writeInt(neurons.length);
              for (int n : neurons) {
                w.writeInt(n);
              }
            });
      }
      w.writeDoubles(round.deltaLoss());
      w.writeDoubles(round.stdErr());
    }
    return w.toByteArray();
  }

  static OutcomeState decode(byte[] bytes) {
    StateReader r = new StateReader(bytes, "fusion store (outcome fusion)");
    int format = r.readByte();
    if (format != 1 && format != FORMAT) {
      throw new IllegalStateException("outcome fusion state: unknown format " + format);
    }
    OutcomeState s = new OutcomeState();
    for (int i = r.readInt(); i > 0; i--) {
      s.measuringTrainers.add(r.readString());
    }
    List<String> chosen = readStrings(r);
    Map<String, OutcomeFusion.Evidence> evidence = new TreeMap<>();
    for (int i = r.readInt(); i > 0; i--) {
      evidence.put(r.readString(), new OutcomeFusion.Evidence(r.readInt(), r.readDouble()));
    }
    s.fusion = OutcomeFusion.restore(chosen, evidence, r.readInt(), r.readLong());
    s.lastSummary = r.readString();
    if (r.readByte() == 1) {
      String checkpoint = r.readString();
      int number = r.readInt();
      long opened = r.readLong();
      boolean timedOut = r.readByte() == 1;
      long timestamp = r.readLong();
      List<String> measurers = readStrings(r);
      int n = r.readInt();
      List<OutcomeFusion.Proposal> proposals = new ArrayList<>(n);
      List<Map<String, int[]>> removed = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        proposals.add(new OutcomeFusion.Proposal(r.readString(), readStrings(r)));
        Map<String, int[]> layers = new LinkedHashMap<>();
        for (int j = r.readInt(); j > 0; j--) {
          String layer = r.readString();
          int[] neurons = new int[r.readInt()];
          for (int k = 0; k < neurons.length; k++) {
            neurons[k] = r.readInt();
          }
          layers.put(layer, neurons);
        }
        removed.add(layers);
      }
      double[] deltaLoss = r.readDoubles();
      s.round =
          new Round(
              checkpoint,
              number,
              opened,
              timedOut,
              timestamp,
              measurers,
              proposals,
              removed,
              deltaLoss,
              format == 1 ? Round.unknown(deltaLoss.length) : r.readDoubles());
    }
    r.end();
    return s;
  }

  private static void writeStrings(StateWriter w, List<String> values) {
    w.writeInt(values.size());
    values.forEach(w::writeString);
  }

  private static List<String> readStrings(StateReader r) {
    int n = r.readInt();
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(r.readString());
    }
    return out;
  }
}
