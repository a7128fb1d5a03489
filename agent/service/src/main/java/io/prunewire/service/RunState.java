package io.prunewire.service;

import io.prunewire.protocol.ApplyKey;
import io.prunewire.protocol.EventType;
import io.prunewire.protocol.Header;
import io.prunewire.protocol.LayerKind;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.protocol.RunStarted;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything the agent remembers about one run except the per-layer evidence (which is keyed by
 * (run, layer) in its own store): declared layers, registered trainers, the last applied step per
 * (trainer, layer, event type) for idempotency, the pruned neurons so far (decisions are monotone),
 * open checkpoint barriers, decided checkpoints, and the stream time of the run's last event (from
 * which it is retired). The learned fusion's state, which only ablations change, has a store of its
 * own so that ordinary events do not rewrite it.
 *
 * <p>Loaded from the {@code runs} store for each event, changed, and written back: never kept in
 * processor fields, so exactly-once commits and restores see exactly what the events produced.
 * Collections are sorted so the encoding, and hence the state after a replay, is deterministic —
 * except an open barrier's wall-clock opening time, which only decides when an idle barrier expires
 * and never reaches a decision.
 */
final class RunState {

  /**
   * 2 added the opening checkpoint's own timestamp to each open barrier, 3 the size of each
   * evidence part, 4 the stream time of the run's last applied event.
   */
  private static final int FORMAT = 4;

  private static final int FORMAT_WITHOUT_LAST_ACTIVE = 3;
  private static final int FORMAT_WITHOUT_EVIDENCE_BYTES = 2;
  private static final int FORMAT_WITHOUT_BARRIER_EVENT_TIME = 1;

  final String runId;
  final int fleetSize;
  final List<LayerSpec> layers;
  final SortedSet<String> trainers = new TreeSet<>();

  /**
   * Registered trainers that missed a checkpoint whose barrier timed out: no longer live, so later
   * barriers do not wait for them, until they send any event again.
   */
  final SortedSet<String> lapsed = new TreeSet<>();

  /** Whether barriers wait for fleet slots no trainer has registered for (until one times out). */
  boolean awaitUnregistered = true;

  /** Last applied step per {@link #appliedKey}. */
  final SortedMap<String, Long> applied = new TreeMap<>();

  /** Pruned neurons per layer name. */
  final SortedMap<String, BitSet> pruned = new TreeMap<>();

  /** Open barriers by checkpoint id. */
  final SortedMap<String, Barrier> pending = new TreeMap<>();

  /** Decided checkpoints, in decision order, with the mask hash of their decision. */
  final SortedMap<String, Long> decided = new TreeMap<>();

  int decisionCount;

  /**
   * Encoded size of each evidence part of the run in the evidence store, by {@link #partKey(String,
   * EventType)}: what {@link AgentConfig.Limits#maxStateBytesPerRun()} is checked against without
   * reading the parts.
   */
  final SortedMap<String, Integer> evidenceBytes = new TreeMap<>();

  /**
   * Stream time (the newest record timestamp of the partition) when the run's last event was
   * applied, or {@link #UNKNOWN_ACTIVITY} for a state written before format 4: what {@link
   * AgentConfig.Limits#runRetention()} is measured from ({@link RunRetirement}).
   */
  long lastActiveMillis = UNKNOWN_ACTIVITY;

  /** {@link #lastActiveMillis} of a run stored before the agent recorded it. */
  static final long UNKNOWN_ACTIVITY = -1;

  RunState(String runId, int fleetSize, List<LayerSpec> layers) {
    this.runId = runId;
    this.fleetSize = fleetSize;
    this.layers = List.copyOf(layers);
    for (LayerSpec l : layers) {
      pruned.put(l.name(), new BitSet(l.neurons()));
    }
  }

  static RunState started(RunStarted event) {
    return new RunState(event.runId(), event.fleetSize(), event.layers());
  }

  Optional<LayerSpec> layer(String name) {
    return layers.stream().filter(l -> l.name().equals(name)).findFirst();
  }

  static String partKey(String layer, EventType part) {
    return layer + '\u001f' + part.name();
  }

  /** Bytes of the run's evidence except the given part. */
  long evidenceBytesExcept(String partKey) {
    long sum = 0;
    for (Map.Entry<String, Integer> e : evidenceBytes.entrySet()) {
      if (!e.getKey().equals(partKey)) {
        sum += e.getValue();
      }
    }
    return sum;
  }

  static String appliedKey(ApplyKey key) {
    return key.trainerId() + '\u001f' + key.layer() + '\u001f' + key.type().name();
  }

  OptionalLong lastApplied(ApplyKey key) {
    Long step = applied.get(appliedKey(key));
    return step == null ? OptionalLong.empty() : OptionalLong.of(step);
  }

  void applied(ApplyKey key, long step) {
    applied.put(appliedKey(key), step);
  }

  /** The run as declared: what every later event is validated against. */
  RunStarted declaration() {
    return new RunStarted(new Header(runId, trainers.first(), 0, 0), fleetSize, layers);
  }

  /** Keep mask of a layer under the decisions so far. */
  boolean[] keep(String layer) {
    LayerSpec spec = layer(layer).orElseThrow();
    BitSet p = pruned.get(layer);
    boolean[] keep = new boolean[spec.neurons()];
    for (int i = 0; i < keep.length; i++) {
      keep[i] = !p.get(i);
    }
    return keep;
  }

  /** A checkpoint barrier: which trainers reported the checkpoint, and since when. */
  static final class Barrier {
    final long step;

    /**
     * The agent's wall clock when the barrier opened: when no more events come, the barrier expires
     * a timeout after it (a replay of old records must not expire every barrier at once).
     */
    final long openedWallMillis;

    /**
     * The timestamp of the checkpoint event that opened the barrier (trainer clock, epoch ms): plus
     * the timeout it is the timestamp of a timed-out decision, which hence depends on the input
     * records only.
     */
    final long openedEventMillis;

    final int plannedRemovals;
    final SortedSet<String> reported = new TreeSet<>();

    Barrier(long step, long openedWallMillis, long openedEventMillis, int plannedRemovals) {
      this.step = step;
      this.openedWallMillis = openedWallMillis;
      this.openedEventMillis = openedEventMillis;
      this.plannedRemovals = plannedRemovals;
    }
  }

  /**
   * Trainers the barrier still waits for: live registered trainers that have not reported it, and
   * unregistered fleet slots unless an earlier barrier timed out without them. The checkpoint is
   * decided when this is empty.
   */
  List<String> awaited(Barrier barrier) {
    return absent(barrier, false);
  }

  /**
   * Every trainer that has not reported {@code barrier}, lapsed ones and unregistered slots too.
   */
  List<String> missing(Barrier barrier) {
    return absent(barrier, true);
  }

  private List<String> absent(Barrier barrier, boolean all) {
    List<String> absent = new ArrayList<>();
    for (String t : trainers) {
      if (!barrier.reported.contains(t) && (all || !lapsed.contains(t))) {
        absent.add(t);
      }
    }
    if (all || awaitUnregistered) {
      for (int i = trainers.size(); i < fleetSize; i++) {
        absent.add("(unregistered trainer " + (i + 1) + " of " + fleetSize + ")");
      }
    }
    return absent;
  }

  /** After {@code barrier} timed out: its absent trainers are no longer live. */
  void lapse(Barrier barrier) {
    for (String t : trainers) {
      if (!barrier.reported.contains(t)) {
        lapsed.add(t);
      }
    }
    awaitUnregistered = false;
  }

  byte[] encode() {
    StateWriter w = new StateWriter(1024);
    w.writeByte(FORMAT).writeString(runId).writeInt(fleetSize).writeInt(layers.size());
    for (LayerSpec l : layers) {
      w.writeString(l.name())
          .writeByte(l.kind().code())
          .writeInt(l.neurons())
          .writeInt(l.fanIn())
          .writeString(l.owners());
      w.writeBits(pruned.get(l.name()), l.neurons());
    }
    w.writeInt(trainers.size());
    trainers.forEach(w::writeString);
    w.writeInt(lapsed.size());
    lapsed.forEach(w::writeString);
    w.writeByte(awaitUnregistered ? 1 : 0);
    w.writeInt(applied.size());
    applied.forEach((k, v) -> w.writeString(k).writeLong(v));
    w.writeInt(pending.size());
    pending.forEach(
        (id, b) -> {
          w.writeString(id)
              .writeLong(b.step)
              .writeLong(b.openedWallMillis)
              .writeLong(b.openedEventMillis)
              .writeInt(b.plannedRemovals);
          w.writeInt(b.reported.size());
          b.reported.forEach(w::writeString);
        });
    w.writeInt(decided.size());
    decided.forEach((id, hash) -> w.writeString(id).writeLong(hash));
    w.writeInt(decisionCount);
    w.writeInt(evidenceBytes.size());
    evidenceBytes.forEach((k, v) -> w.writeString(k).writeInt(v));
    w.writeLong(lastActiveMillis);
    return w.toByteArray();
  }

  static RunState decode(byte[] bytes) {
    StateReader r = new StateReader(bytes, "runs store");
    int format = r.readByte();
    if (format != FORMAT
        && format != FORMAT_WITHOUT_LAST_ACTIVE
        && format != FORMAT_WITHOUT_EVIDENCE_BYTES
        && format != FORMAT_WITHOUT_BARRIER_EVENT_TIME) {
      throw new IllegalStateException("runs store: unknown state format " + format);
    }
    String runId = r.readString();
    int fleet = r.readInt();
    int n = r.readInt();
    List<LayerSpec> layers = new ArrayList<>(n);
    List<BitSet> prunedBits = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      LayerSpec l =
          new LayerSpec(
              r.readString(),
              LayerKind.ofCode(r.readByte()),
              r.readInt(),
              r.readInt(),
              r.readString());
      layers.add(l);
      prunedBits.add(r.readBits(l.neurons()));
    }
    RunState s = new RunState(runId, fleet, layers);
    for (int i = 0; i < n; i++) {
      s.pruned.put(layers.get(i).name(), prunedBits.get(i));
    }
    for (int i = r.readInt(); i > 0; i--) {
      s.trainers.add(r.readString());
    }
    for (int i = r.readInt(); i > 0; i--) {
      s.lapsed.add(r.readString());
    }
    s.awaitUnregistered = r.readByte() == 1;
    for (int i = r.readInt(); i > 0; i--) {
      s.applied.put(r.readString(), r.readLong());
    }
    for (int i = r.readInt(); i > 0; i--) {
      String id = r.readString();
      long step = r.readLong();
      long openedWall = r.readLong();
      // A barrier opened before format 2 knows no event time: its wall-clock opening stands in.
      long openedEvent = format == FORMAT_WITHOUT_BARRIER_EVENT_TIME ? openedWall : r.readLong();
      Barrier b = new Barrier(step, openedWall, openedEvent, r.readInt());
      for (int j = r.readInt(); j > 0; j--) {
        b.reported.add(r.readString());
      }
      s.pending.put(id, b);
    }
    for (int i = r.readInt(); i > 0; i--) {
      s.decided.put(r.readString(), r.readLong());
    }
    s.decisionCount = r.readInt();
    // A state from before format 3 counts its evidence parts from their next merge on.
    if (format >= FORMAT_WITHOUT_LAST_ACTIVE) {
      for (int i = r.readInt(); i > 0; i--) {
        s.evidenceBytes.put(r.readString(), r.readInt());
      }
    }
    // One from before format 4 is stamped by its next event or the next retirement sweep.
    if (format == FORMAT) {
      s.lastActiveMillis = r.readLong();
    }
    r.end();
    return s;
  }
}
