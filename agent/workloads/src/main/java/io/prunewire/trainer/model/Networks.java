package io.prunewire.trainer.model;

import io.prunewire.trainer.gate.GateLayer;
import io.prunewire.trainer.network.NeuronKind;
import io.prunewire.trainer.network.OwnedSlice;
import io.prunewire.trainer.network.PrunableLayer;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.dropout.Dropout;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.params.LSTMParamInitializer;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.deeplearning4j.nn.weights.WeightInitUniform;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ScheduleType;
import org.nd4j.linalg.schedule.StepSchedule;

/**
 * The two reference networks and their neuron ownership. Layer layout (both models): {@code 0
 * embedding, 1 hidden-1, 2 gate-1, 3 hidden-2, 4 gate-2, 5 softmax decoder}. Dropout in DL4J acts
 * on a layer's input, so it is set on layers 1, 3 and 5 (embedding, hidden-1 and hidden-2 outputs
 * dropped, as the reference). DL4J's own division of the gradient by the batch size is off: {@link
 * PerTokenGradient} turns the summed loss's gradient into the per-token mean's. Embedding and
 * decoder weights start in {@code U(−0.1, 0.1)}, hidden weights in {@code U(−1/√fanIn, 1/√fanIn)}.
 */
final class Networks {
  static final int EMBEDDING = 0;
  static final int HIDDEN_1 = 1;
  static final int GATE_1 = 2;
  static final int HIDDEN_2 = 3;
  static final int GATE_2 = 4;
  static final int DECODER = 5;

  private Networks() {}

  static MultiLayerConfiguration configuration(WorkloadConfig c) {
    int hidden = c.hiddenWidth();
    NeuralNetConfiguration.ListBuilder list =
        new NeuralNetConfiguration.Builder()
            .seed(c.seed())
            .dataType(DataType.FLOAT)
            .miniBatch(false)
            .updater(updater(c))
            .weightInit(new WeightInitUniform())
            .list()
            .layer(
                EMBEDDING,
                new EmbeddingSequenceLayer.Builder()
                    .nIn(c.vocabulary())
                    .nOut(c.embedding())
                    .hasBias(false)
                    .outputDataFormat(RNNFormat.NCW)
                    .weightInit(
                        new WeightInitDistribution(
                            new UniformDistribution(-c.embeddingInit(), c.embeddingInit())))
                    .build())
            .layer(HIDDEN_1, dropped(hidden(c, c.embedding()), c))
            .layer(GATE_1, new GateLayer(hidden))
            .layer(HIDDEN_2, dropped(hidden(c, hidden), c))
            .layer(GATE_2, new GateLayer(hidden))
            .layer(
                DECODER,
                dropped(
                    new SoftmaxDecoder(
                        hidden,
                        c.vocabulary(),
                        new WeightInitDistribution(new UniformDistribution(-0.1, 0.1))),
                    c));
    return list.backpropType(BackpropType.TruncatedBPTT)
        .tBPTTForwardLength(c.bptt())
        .tBPTTBackwardLength(c.bptt())
        .build();
  }

  private static IUpdater updater(WorkloadConfig c) {
    StepSchedule lr =
        new StepSchedule(ScheduleType.EPOCH, c.learningRate(), 0.5, c.lrHalvingEpochs());
    return switch (c.optimizer()) {
      case SGD -> new MomentumSgd(lr, c.momentum());
      case ADAM -> new Adam(lr);
    };
  }

  private static BaseLayer hidden(WorkloadConfig c, int in) {
    if (c.model() == ModelKind.HYBRID) {
      return new HybridLayer(in, c.snn(), c.rnn());
    }
    return new LSTM.Builder()
        .nIn(in)
        .nOut(c.rnn())
        .dataFormat(RNNFormat.NCW)
        .activation(Activation.TANH)
        .build();
  }

  private static BaseLayer dropped(BaseLayer layer, WorkloadConfig c) {
    if (c.dropout() > 0) {
      layer.setIDropout(new Dropout(1.0 - c.dropout()));
    }
    return layer;
  }

  /** The prunable groups of the network {@link #configuration} builds for {@code c}. */
  static List<PrunableLayer> prunableLayers(WorkloadConfig c) {
    return c.model() == ModelKind.HYBRID ? hybridGroups(c) : lstmGroups(c);
  }

  private static List<PrunableLayer> hybridGroups(WorkloadConfig c) {
    int snn = c.snn();
    int rnn = c.rnn();
    List<PrunableLayer> groups = new ArrayList<>();
    int[] layers = {HIDDEN_1, HIDDEN_2};
    int[] gates = {GATE_1, GATE_2};
    int[] fanIns = {c.embedding(), snn + rnn};
    for (int k = 0; k < 2; k++) {
      int layer = layers[k];
      String prefix = "h" + (k + 1) + ".";
      if (snn > 0) {
        List<OwnedSlice> slices = new ArrayList<>();
        slices.add(OwnedSlice.incoming(layer, HybridLayer.SNN_WEIGHTS, 1, 0));
        slices.addAll(consumers(c, k, 0));
        groups.add(
            new PrunableLayer(prefix + "snn", NeuronKind.SNN, snn, fanIns[k], gates[k], 0, slices));
      }
      if (rnn > 0) {
        List<OwnedSlice> slices = new ArrayList<>();
        slices.add(OwnedSlice.incoming(layer, HybridLayer.RNN_INPUT_WEIGHTS, 1, 0));
        slices.add(OwnedSlice.incoming(layer, HybridLayer.RNN_RECURRENT_WEIGHTS, 1, 0));
        slices.add(OwnedSlice.outgoing(layer, HybridLayer.RNN_RECURRENT_WEIGHTS, 0, 0));
        slices.addAll(consumers(c, k, snn));
        groups.add(
            new PrunableLayer(
                prefix + "rnn",
                NeuronKind.RNN,
                rnn,
                (long) fanIns[k] + rnn,
                gates[k],
                snn,
                slices));
      }
    }
    return groups;
  }

  /**
   * Rows of the hidden layer {@code k}'s outputs, from concat position {@code offset}, in its
   * consumers.
   */
  private static List<OwnedSlice> consumers(WorkloadConfig c, int k, int offset) {
    if (k == 1) {
      return List.of(OwnedSlice.outgoing(DECODER, DefaultParamInitializer.WEIGHT_KEY, 0, offset));
    }
    if (c.model() == ModelKind.LSTM) {
      return List.of(
          OwnedSlice.outgoing(HIDDEN_2, LSTMParamInitializer.INPUT_WEIGHT_KEY, 0, offset));
    }
    List<OwnedSlice> rows = new ArrayList<>();
    if (c.snn() > 0) {
      rows.add(OwnedSlice.outgoing(HIDDEN_2, HybridLayer.SNN_WEIGHTS, 0, offset));
    }
    if (c.rnn() > 0) {
      rows.add(OwnedSlice.outgoing(HIDDEN_2, HybridLayer.RNN_INPUT_WEIGHTS, 0, offset));
    }
    return rows;
  }

  /**
   * DL4J's LSTM stores the four gate blocks side by side in {@code W [in, 4h]}, {@code RW [h, 4h]}
   * and {@code b [1, 4h]}: neuron {@code j} owns columns {@code j, h+j, 2h+j, 3h+j} of each and row
   * {@code j} of {@code RW}.
   */
  private static List<PrunableLayer> lstmGroups(WorkloadConfig c) {
    int h = c.rnn();
    List<PrunableLayer> groups = new ArrayList<>();
    int[] layers = {HIDDEN_1, HIDDEN_2};
    int[] gates = {GATE_1, GATE_2};
    int[] fanIns = {c.embedding(), h};
    for (int k = 0; k < 2; k++) {
      List<OwnedSlice> slices = new ArrayList<>();
      for (int block = 0; block < 4; block++) {
        slices.add(
            OwnedSlice.incoming(
                layers[k], LSTMParamInitializer.INPUT_WEIGHT_KEY, 1, (long) block * h));
        slices.add(
            OwnedSlice.incoming(
                layers[k], LSTMParamInitializer.RECURRENT_WEIGHT_KEY, 1, (long) block * h));
        slices.add(
            OwnedSlice.incoming(layers[k], LSTMParamInitializer.BIAS_KEY, 1, (long) block * h));
      }
      slices.add(OwnedSlice.outgoing(layers[k], LSTMParamInitializer.RECURRENT_WEIGHT_KEY, 0, 0));
      slices.addAll(consumers(c, k, 0));
      groups.add(
          new PrunableLayer(
              "lstm" + (k + 1), NeuronKind.LSTM, h, 4L * (fanIns[k] + h + 1), gates[k], 0, slices));
    }
    return groups;
  }
}
