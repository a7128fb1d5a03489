package io.prunewire.trainer.listener;

import io.prunewire.scorers.stats.WeightStatistics;
import io.prunewire.trainer.mask.LayerOwnership;
import io.prunewire.trainer.probe.LayerCoordinates;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * {@link WeightStatistics} of one layer from the flattened parameters: the incoming matrix {@code
 * [fanIn, neurons]} is each neuron's incoming weights; the outgoing matrix {@code [neurons,
 * fanOut]} is everything else it owns (recurrent row, rows in consumers).
 */
final class WeightSnapshot {

  private final int[][] incoming;
  private final int[][] outgoing;

  WeightSnapshot(LayerCoordinates in, LayerOwnership owned) {
    this.incoming = in.incoming();
    this.outgoing = new int[owned.neurons()][];
    for (int i = 0; i < owned.neurons(); i++) {
      Set<Integer> mine = new HashSet<>();
      Arrays.stream(incoming[i]).forEach(mine::add);
      outgoing[i] = Arrays.stream(owned.owned()[i]).filter(j -> !mine.contains(j)).toArray();
      if (outgoing[i].length != outgoing[0].length || incoming[i].length != incoming[0].length) {
        throw new IllegalArgumentException(
            "layer "
                + in.layer()
                + ": neuron "
                + i
                + " owns a different number of weights than neuron 0");
      }
    }
    if (outgoing[0].length == 0) {
      throw new IllegalArgumentException(
          "layer " + in.layer() + ": neurons own no outgoing weights");
    }
  }

  WeightStatistics of(float[] params) {
    int n = incoming.length;
    int fanIn = incoming[0].length;
    int fanOut = outgoing[0].length;
    float[] in = new float[fanIn * n];
    float[] out = new float[n * fanOut];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < fanIn; j++) {
        in[j * n + i] = params[incoming[i][j]];
      }
      for (int j = 0; j < fanOut; j++) {
        out[i * fanOut + j] = params[outgoing[i][j]];
      }
    }
    return WeightStatistics.of(in, fanIn, n, out, fanOut);
  }
}
