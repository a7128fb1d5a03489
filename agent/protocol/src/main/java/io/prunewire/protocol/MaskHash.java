package io.prunewire.protocol;

import java.util.Map;

/**
 * The 64-bit hash of a set of keep masks that a {@link DecisionAck} carries, so the agent can check
 * that every trainer applied the same masks.
 *
 * <p>Definition (PROTOCOL.md, "Mask hash"): FNV-1a 64 over the concatenation, in the decision's
 * layer order, of each layer's mask section exactly as a decision encodes it — the layer name
 * (int32 LE byte length, UTF-8 bytes), the neuron count (int32 LE), then the keep bits packed
 * LSB-first into {@code ceil(neurons / 8)} bytes, unused high bits zero.
 */
public final class MaskHash {
  private static final long FNV_OFFSET_BASIS = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private MaskHash() {}

  /** Hash of masks given in the decision's layer order (use an insertion-ordered map). */
  public static long of(Map<String, boolean[]> masksInDecisionOrder) {
    WireWriter w = new WireWriter();
    masksInDecisionOrder.forEach(
        (layer, keep) -> {
          w.str(layer);
          w.i32(keep.length);
          w.bits(keep);
        });
    return fnv1a64(w.toByteArray());
  }

  static long fnv1a64(byte[] bytes) {
    long h = FNV_OFFSET_BASIS;
    for (byte b : bytes) {
      h ^= b & 0xff;
      h *= FNV_PRIME;
    }
    return h;
  }
}
