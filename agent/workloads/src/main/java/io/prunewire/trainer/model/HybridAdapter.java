package io.prunewire.trainer.model;

import io.prunewire.trainer.network.LayerAdapter;
import io.prunewire.trainer.network.NeuronKind;
import io.prunewire.trainer.network.OwnedSlice;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.Layer;

/**
 * The project's {@link HybridLayer}, whose output concatenates {@code snn} spiking and {@code rnn}
 * recurrent units: two groups, {@code <name>.snn} (columns {@code [0, snn)}) and {@code <name>.rnn}
 * (columns {@code [snn, snn + rnn)}). Spiking unit {@code j} owns column {@code j} of {@code Ws}
 * (fan-in {@code nIn}); recurrent unit {@code j} owns column {@code j} of {@code Wfc} and of {@code
 * Wfv} and row {@code j} of {@code Wfv} (fan-in {@code nIn + rnn}); both own their rows in the
 * consumer — the ownership of the reference hybrid workload. As a consumer it reads input {@code i}
 * through row {@code i} of both {@code Ws} and {@code Wfc}.
 */
public final class HybridAdapter implements LayerAdapter {

  @Override
  public boolean handles(Layer conf) {
    return conf instanceof HybridLayer;
  }

  @Override
  public List<Group> groups(Layer conf, int layerIndex, String name) {
    HybridLayer hybrid = (HybridLayer) conf;
    int snn = hybrid.getSnn();
    int rnn = hybrid.getRnn();
    long in = hybrid.getNIn();
    List<Group> groups = new ArrayList<>();
    if (snn > 0) {
      groups.add(
          new Group(
              name + ".snn",
              NeuronKind.SNN,
              snn,
              in,
              0,
              List.of(new OwnedSlice(layerIndex, HybridLayer.SNN_WEIGHTS, 1, 0, true))));
    }
    if (rnn > 0) {
      groups.add(
          new Group(
              name + ".rnn",
              NeuronKind.RNN,
              rnn,
              in + rnn,
              snn,
              List.of(
                  new OwnedSlice(layerIndex, HybridLayer.RNN_INPUT_WEIGHTS, 1, 0, true),
                  new OwnedSlice(layerIndex, HybridLayer.RNN_RECURRENT_WEIGHTS, 1, 0, true),
                  new OwnedSlice(layerIndex, HybridLayer.RNN_RECURRENT_WEIGHTS, 0, 0, false))));
    }
    return groups;
  }

  @Override
  public List<OwnedSlice> inputRows(Layer conf, int layerIndex, long offset) {
    HybridLayer hybrid = (HybridLayer) conf;
    List<OwnedSlice> rows = new ArrayList<>();
    if (hybrid.getSnn() > 0) {
      rows.add(new OwnedSlice(layerIndex, HybridLayer.SNN_WEIGHTS, 0, offset, false));
    }
    if (hybrid.getRnn() > 0) {
      rows.add(new OwnedSlice(layerIndex, HybridLayer.RNN_INPUT_WEIGHTS, 0, offset, false));
    }
    return rows;
  }
}
