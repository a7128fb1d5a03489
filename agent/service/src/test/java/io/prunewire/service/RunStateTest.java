package io.prunewire.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunewire.protocol.ApplyKey;
import io.prunewire.protocol.EventType;
import io.prunewire.protocol.Header;
import io.prunewire.protocol.LayerKind;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.protocol.RunStarted;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunStateTest {

  private static RunState sample() {
    RunState s =
        RunState.started(
            new RunStarted(
                new Header("r", "t1", 0, 1),
                3,
                List.of(
                    new LayerSpec("a.snn", LayerKind.SNN, 10, 4, "W[:,0:10]"),
                    new LayerSpec("a.rnn", LayerKind.RNN, 13, 4, ""))));
    s.trainers.add("t1");
    s.trainers.add("t2");
    s.applied(new ApplyKey("t1", "a.snn", EventType.ACTIVATION_SUMMARY), 40);
    s.pruned.get("a.rnn").set(3);
    s.pruned.get("a.rnn").set(12);
    RunState.Barrier b = new RunState.Barrier(100, 12345, 1_700_000_000_100L, 4);
    b.reported.add("t2");
    s.pending.put("c2", b);
    s.decided.put("c1", -77L);
    s.decisionCount = 1;
    s.lapsed.add("t2");
    s.awaitUnregistered = false;
    s.lastActiveMillis = 1_700_000_360_000L;
    return s;
  }

  @Test
  void encodingRoundTripsEveryField() {
    RunState s = sample();
    RunState back = RunState.decode(s.encode());
    assertThat(back.encode()).isEqualTo(s.encode());
    assertThat(back.runId).isEqualTo("r");
    assertThat(back.fleetSize).isEqualTo(3);
    assertThat(back.layers).isEqualTo(s.layers);
    assertThat(back.trainers).containsExactly("t1", "t2");
    assertThat(back.applied).isEqualTo(s.applied);
    assertThat(back.keep("a.rnn"))
        .containsExactly(
            true, true, true, false, true, true, true, true, true, true, true, true, false);
    assertThat(back.pending.get("c2").reported).containsExactly("t2");
    assertThat(back.pending.get("c2").step).isEqualTo(100);
    assertThat(back.pending.get("c2").openedWallMillis).isEqualTo(12345);
    assertThat(back.pending.get("c2").openedEventMillis).isEqualTo(1_700_000_000_100L);
    assertThat(back.pending.get("c2").plannedRemovals).isEqualTo(4);
    assertThat(back.decided).containsEntry("c1", -77L);
    assertThat(back.decisionCount).isEqualTo(1);
    assertThat(back.lapsed).containsExactly("t2");
    assertThat(back.awaitUnregistered).isFalse();
    assertThat(back.lastActiveMillis).isEqualTo(1_700_000_360_000L);
  }

  @Test
  void formatThreeStateDecodesWithUnknownActivity() {
    // The format-3 layout of a run with one layer: format 4 without the trailing activity time.
    RunState s =
        RunState.started(
            new RunStarted(
                new Header("r", "t1", 0, 1),
                1,
                List.of(new LayerSpec("a", LayerKind.DENSE, 4, 2, ""))));
    s.trainers.add("t1");
    s.evidenceBytes.put("a\u001fCURVATURE", 96);
    s.lastActiveMillis = 5;
    byte[] four = s.encode();
    byte[] three = Arrays.copyOf(four, four.length - Long.BYTES);
    three[0] = 3;
    RunState old = RunState.decode(three);
    assertThat(old.lastActiveMillis).isEqualTo(RunState.UNKNOWN_ACTIVITY);
    assertThat(old.evidenceBytes).containsEntry("a\u001fCURVATURE", 96);
    assertThat(old.trainers).containsExactly("t1");
  }

  @Test
  void formatTwoStateDecodesWithoutEvidenceSizesAndWithUnknownActivity() {
    // The format-2 layout: format 4 without the evidence sizes (here none, an int 0) and the
    // activity time.
    RunState s =
        RunState.started(
            new RunStarted(
                new Header("r", "t1", 0, 1),
                2,
                List.of(new LayerSpec("a", LayerKind.DENSE, 4, 2, ""))));
    s.trainers.add("t1");
    RunState.Barrier b = new RunState.Barrier(10, 777, 1_700_000_000_000L, 1);
    b.reported.add("t1");
    s.pending.put("c1", b);
    s.decided.put("c0", 42L);
    s.lastActiveMillis = 5;
    byte[] four = s.encode();
    byte[] two = Arrays.copyOf(four, four.length - Integer.BYTES - Long.BYTES);
    two[0] = 2;
    RunState old = RunState.decode(two);
    assertThat(old.lastActiveMillis).isEqualTo(RunState.UNKNOWN_ACTIVITY);
    assertThat(old.evidenceBytes).isEmpty();
    assertThat(old.pending.get("c1").openedEventMillis).isEqualTo(1_700_000_000_000L);
    assertThat(old.pending.get("c1").reported).containsExactly("t1");
    assertThat(old.decided).containsEntry("c0", 42L);
    // Re-encoded, it is a format-4 state that keeps the unknown activity until something stamps it.
    assertThat(RunState.decode(old.encode()).lastActiveMillis).isEqualTo(RunState.UNKNOWN_ACTIVITY);
  }

  @Test
  void barrierAwaitsLiveTrainersAndUnregisteredSlotsUntilATimeout() {
    RunState s =
        RunState.started(
            new RunStarted(
                new Header("r", "t1", 0, 1),
                3,
                List.of(new LayerSpec("a", LayerKind.DENSE, 4, 2, ""))));
    s.trainers.add("t1");
    s.trainers.add("t2");
    RunState.Barrier c1 = new RunState.Barrier(10, 0, 0, 0);
    c1.reported.add("t1");
    assertThat(s.awaited(c1)).containsExactly("t2", "(unregistered trainer 3 of 3)");
    assertThat(s.missing(c1)).containsExactly("t2", "(unregistered trainer 3 of 3)");
    s.lapse(c1);
    RunState.Barrier c2 = new RunState.Barrier(20, 0, 0, 0);
    c2.reported.add("t1");
    assertThat(s.awaited(c2)).isEmpty();
    assertThat(s.missing(c2)).containsExactly("t2", "(unregistered trainer 3 of 3)");
  }

  @Test
  void formatOneStateDecodesWithTheWallClockOpeningAsEventTime() {
    // The format-1 layout of a run with one layer and one open barrier, written field by field.
    StateWriter w = new StateWriter(64);
    w.writeByte(1).writeString("r").writeInt(2).writeInt(1);
    w.writeString("a").writeByte(LayerKind.DENSE.code()).writeInt(4).writeInt(2).writeString("");
    w.writeBits(new java.util.BitSet(4), 4);
    w.writeInt(1).writeString("t1").writeInt(0).writeByte(1).writeInt(0);
    w.writeInt(1)
        .writeString("c1")
        .writeLong(10)
        .writeLong(777)
        .writeInt(2)
        .writeInt(1)
        .writeString("t1");
    w.writeInt(0).writeInt(0);
    RunState old = RunState.decode(w.toByteArray());
    RunState.Barrier b = old.pending.get("c1");
    assertThat(b.step).isEqualTo(10);
    assertThat(b.openedWallMillis).isEqualTo(777);
    assertThat(b.openedEventMillis).isEqualTo(777);
    assertThat(b.plannedRemovals).isEqualTo(2);
    assertThat(b.reported).containsExactly("t1");
    assertThat(RunState.decode(old.encode()).pending.get("c1").openedEventMillis).isEqualTo(777);
    assertThat(old.lastActiveMillis).isEqualTo(RunState.UNKNOWN_ACTIVITY);
  }

  @Test
  void corruptValueFailsNamingTheStore() {
    byte[] bytes = sample().encode();
    assertThatThrownBy(() -> RunState.decode(Arrays.copyOf(bytes, bytes.length - 2)))
        .hasMessageContaining("runs store")
        .hasMessageContaining("truncated");
    byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
    assertThatThrownBy(() -> RunState.decode(longer)).hasMessageContaining("trailing");
  }

  @Test
  void stateWriterBulkArraysRoundTrip() {
    double[] d = {0.5, -1e300, Double.MIN_VALUE, 3};
    long[] l = {Long.MIN_VALUE, 0, 7};
    StateWriter w = new StateWriter(1);
    w.writeDoubles(d)
        .writeString("ünï")
        .writeLongs(l)
        .writeDouble(Double.NaN)
        .writeBytes(new byte[0]);
    StateReader r = new StateReader(w.toByteArray(), "test");
    assertThat(r.readDoubles()).containsExactly(d);
    assertThat(r.readString()).isEqualTo("ünï");
    assertThat(r.readLongs()).containsExactly(l);
    assertThat(r.readDouble()).isNaN();
    assertThat(r.readBytes()).isEmpty();
    r.end();
  }
}
