package io.prunewire.service;

import io.prunewire.scorers.fusion.AdaptiveFusion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A run's adaptive fusions ({@code fusion=adaptive}), one per layer, in the fusion store under
 * {@code run ␟ adaptive}: each criterion's smoothed rank stability between the run's decisions and
 * its ranks at the last decision.
 */
final class AdaptiveStates {

  private static final int FORMAT = 1;

  /** α of {@code r ← (1 − α)·r + α·ρ}, as compare uses it. */
  static final double SMOOTHING = 0.3;

  private AdaptiveStates() {}

  static String key(String runId) {
    return runId + "\u001fadaptive";
  }

  static byte[] encode(Map<String, AdaptiveFusion> byLayer) {
    StateWriter w = new StateWriter(4096);
    w.writeByte(FORMAT).writeInt(byLayer.size());
    byLayer.forEach(
        (layer, f) -> {
          AdaptiveFusion.State s = f.state();
          w.writeString(layer).writeDouble(s.smoothing()).writeInt(s.criteria().size());
          for (int c = 0; c < s.criteria().size(); c++) {
            w.writeString(s.criteria().get(c))
                .writeDouble(s.reliability()[c])
                .writeDoubles(s.previousRanks()[c]);
          }
        });
    return w.toByteArray();
  }

  /** The stored fusions, or an empty map before the run's first decision. */
  static Map<String, AdaptiveFusion> decode(byte[] bytes) {
    Map<String, AdaptiveFusion> out = new LinkedHashMap<>();
    if (bytes == null) {
      return out;
    }
    StateReader r = new StateReader(bytes, "fusion store (adaptive fusion)");
    int format = r.readByte();
    if (format != FORMAT) {
      throw new IllegalStateException("adaptive fusion state: unknown format " + format);
    }
    for (int l = r.readInt(); l > 0; l--) {
      String layer = r.readString();
      double smoothing = r.readDouble();
      int n = r.readInt();
      List<String> criteria = new ArrayList<>(n);
      double[] reliability = new double[n];
      double[][] ranks = new double[n][];
      for (int c = 0; c < n; c++) {
        criteria.add(r.readString());
        reliability[c] = r.readDouble();
        ranks[c] = r.readDoubles();
      }
      out.put(
          layer,
          AdaptiveFusion.restore(
              new AdaptiveFusion.State(smoothing, criteria, reliability, ranks)));
    }
    r.end();
    return out;
  }
}
