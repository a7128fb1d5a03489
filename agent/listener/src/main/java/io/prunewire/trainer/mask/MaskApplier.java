package io.prunewire.trainer.mask;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Applies {@link NeuronMasks} to a network and keeps pruned neurons at zero.
 *
 * <p>DL4J has no mask API and momentum keeps moving a zeroed weight, so after every parameter
 * update ({@link #iterationDone}, which DL4J calls after the update) the flattened parameters are
 * multiplied by a 0/1 vector that is 0 exactly on the parameters pruned neurons own. Register it as
 * a listener of the network after {@link #apply}.
 */
public final class MaskApplier extends BaseTrainingListener {

  private final Model net;
  private final Map<String, LayerOwnership> ownership = new LinkedHashMap<>();
  private NeuronMasks masks;
  private INDArray multiplier;

  public MaskApplier(Model net, List<LayerOwnership> layers) {
    this.net = Objects.requireNonNull(net, "net");
    long length = net.params().length();
    for (LayerOwnership l : layers) {
      for (int[] neuron : l.owned()) {
        for (int j : neuron) {
          if (j < 0 || j >= length) {
            throw new IllegalArgumentException(
                "layer "
                    + l.layer()
                    + ": flat index "
                    + j
                    + " outside the network's "
                    + length
                    + " parameters");
          }
        }
      }
      if (ownership.put(l.layer(), l) != null) {
        throw new IllegalArgumentException("layer " + l.layer() + " listed twice");
      }
    }
  }

  /**
   * Zeroes everything the pruned neurons of {@code next} own, combined with the masks applied
   * before (a pruned neuron stays pruned), and returns the masks now in force.
   */
  public synchronized NeuronMasks apply(NeuronMasks next) {
    NeuronMasks combined = masks == null ? next : masks.and(next);
    double[] m = new double[Math.toIntExact(net.params().length())];
    Arrays.fill(m, 1.0);
    for (String layer : combined.layers()) {
      LayerOwnership own = ownership.get(layer);
      if (own == null) {
        throw new IllegalArgumentException(
            "mask names layer "
                + layer
                + " but the network's prunable layers are "
                + ownership.keySet());
      }
      boolean[] keep = combined.keep(layer);
      if (keep.length != own.neurons()) {
        throw new IllegalArgumentException(
            "layer "
                + layer
                + ": mask has "
                + keep.length
                + " neurons, layer has "
                + own.neurons());
      }
      for (int i = 0; i < keep.length; i++) {
        if (!keep[i]) {
          for (int j : own.owned()[i]) {
            m[j] = 0.0;
          }
        }
      }
    }
    multiplier =
        Nd4j.createFromArray(m).castTo(net.params().dataType()).reshape(net.params().shape());
    masks = combined;
    rezero();
    return combined;
  }

  /** The masks in force, or {@code null} before the first {@link #apply}. */
  public synchronized NeuronMasks masks() {
    return masks;
  }

  /**
   * Flat indices of every parameter the pruned neurons own; empty before the first {@link #apply}.
   */
  public synchronized int[] prunedParameters() {
    if (multiplier == null) {
      return new int[0];
    }
    double[] m = multiplier.toDoubleVector();
    int[] out = new int[m.length];
    int n = 0;
    for (int j = 0; j < m.length; j++) {
      if (m[j] == 0.0) {
        out[n++] = j;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /** Multiplies the parameters by the mask again; called after every update. */
  public synchronized void rezero() {
    if (multiplier != null) {
      net.params().muli(multiplier);
    }
  }

  @Override
  public void iterationDone(Model model, int iteration, int epoch) {
    rezero();
  }
}
