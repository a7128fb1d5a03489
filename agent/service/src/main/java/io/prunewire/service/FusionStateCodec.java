package io.prunewire.service;

import io.prunewire.scorers.fusion.LearnedFusion;
import java.util.ArrayList;
import java.util.List;

/** Binary encoding of a run's {@link LearnedFusion.State} inside its run record. */
final class FusionStateCodec {

  private static final int FORMAT = 1;

  private FusionStateCodec() {}

  static byte[] encode(LearnedFusion.State s) {
    StateWriter w = new StateWriter(1024);
    w.writeByte(FORMAT).writeInt(s.criteria().size());
    s.criteria().forEach(w::writeString);
    w.writeDoubles(s.gram())
        .writeDoubles(s.moment())
        .writeLong(s.trained())
        .writeLong(s.measurements())
        .writeDoubles(s.heldOutFeatures())
        .writeDoubles(s.heldOutTargets());
    return w.toByteArray();
  }

  static LearnedFusion.State decode(byte[] bytes) {
    StateReader r = new StateReader(bytes, "runs store (learned fusion)");
    int format = r.readByte();
    if (format != FORMAT) {
      throw new IllegalStateException("learned fusion state: unknown format " + format);
    }
    List<String> criteria = new ArrayList<>();
    for (int i = r.readInt(); i > 0; i--) {
      criteria.add(r.readString());
    }
    LearnedFusion.State s =
        new LearnedFusion.State(
            criteria,
            r.readDoubles(),
            r.readDoubles(),
            r.readLong(),
            r.readLong(),
            r.readDoubles(),
            r.readDoubles());
    r.end();
    return s;
  }
}
