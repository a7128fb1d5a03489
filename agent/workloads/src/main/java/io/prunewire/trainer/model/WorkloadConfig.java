package io.prunewire.trainer.model;

import java.util.Objects;

/**
 * Immutable configuration of a PTB language-model workload; build with {@link #builder()}. Defaults
 * are the published HSTNN settings: lr 0.5 halved every 25 epochs, momentum 0.9, clip 1 (global L2
 * norm of the gradient), dropout 0.5, bptt 35, batch 25, widths 650, embedding initialised
 * uniformly in ±0.1.
 *
 * @param model which network
 * @param vocabulary softmax size (PTB: 10,000)
 * @param embedding embedding width
 * @param rnn RNN-half width per hybrid layer; LSTM width for {@link ModelKind#LSTM}
 * @param snn spiking-half width per hybrid layer (unused by the LSTM)
 * @param embeddingInit the embedding's initial weights are uniform in {@code ±embeddingInit}
 * @param dropout probability of dropping an input unit of every hidden and output layer
 * @param optimizer weight update rule ({@link Optimizer#SGD}: the reference's momentum SGD)
 * @param learningRate initial learning rate
 * @param lrHalvingEpochs the learning rate halves every this many epochs
 * @param momentum SGD momentum (classic heavy-ball, {@link MomentumSgd}); unused by {@link
 *     Optimizer#ADAM}
 * @param clip maximum global L2 norm of the gradient per step ({@code 0}: no clipping)
 * @param bptt truncated-BPTT window length
 * @param batch training batch size (parallel streams)
 * @param evalBatch evaluation batch size (the reference uses 10)
 * @param seed seed for weights and dropout
 */
public record WorkloadConfig(
    ModelKind model,
    int vocabulary,
    int embedding,
    int rnn,
    int snn,
    double embeddingInit,
    double dropout,
    Optimizer optimizer,
    double learningRate,
    int lrHalvingEpochs,
    double momentum,
    double clip,
    int bptt,
    int batch,
    int evalBatch,
    long seed) {

  public WorkloadConfig {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(optimizer, "optimizer");
    positive("vocabulary", vocabulary);
    positive("embedding", embedding);
    positive("bptt", bptt);
    positive("batch", batch);
    positive("evalBatch", evalBatch);
    positive("lrHalvingEpochs", lrHalvingEpochs);
    if (rnn < 0 || snn < 0) {
      throw new IllegalArgumentException("widths must be >= 0, got rnn=" + rnn + ", snn=" + snn);
    }
    if (model == ModelKind.LSTM && rnn == 0) {
      throw new IllegalArgumentException("LSTM model: rnn (the LSTM width) must be positive");
    }
    if (model == ModelKind.HYBRID && rnn + snn == 0) {
      throw new IllegalArgumentException("hybrid model: rnn + snn must be positive");
    }
    finitePositive("embeddingInit", embeddingInit);
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
    finitePositive("learningRate", learningRate);
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    }
    if (!(clip >= 0) || Double.isInfinite(clip)) {
      throw new IllegalArgumentException("clip must be finite and >= 0, got " + clip);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    return new Builder()
        .model(model)
        .vocabulary(vocabulary)
        .embedding(embedding)
        .rnn(rnn)
        .snn(snn)
        .embeddingInit(embeddingInit)
        .dropout(dropout)
        .optimizer(optimizer)
        .learningRate(learningRate)
        .lrHalvingEpochs(lrHalvingEpochs)
        .momentum(momentum)
        .clip(clip)
        .bptt(bptt)
        .batch(batch)
        .evalBatch(evalBatch)
        .seed(seed);
  }

  /** Width of each hidden layer's output (what the next layer and the decoder read). */
  public int hiddenWidth() {
    return model == ModelKind.LSTM ? rnn : rnn + snn;
  }

  private static void positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, got " + value);
    }
  }

  private static void finitePositive(String name, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(name + " must be finite and > 0, got " + value);
    }
  }

  /** Builder with the reference defaults. */
  public static final class Builder {
    private ModelKind model = ModelKind.HYBRID;
    private int vocabulary = 10_000;
    private int embedding = 650;
    private int rnn = 650;
    private int snn = 650;
    private double embeddingInit = 0.1;
    private double dropout = 0.5;
    private Optimizer optimizer = Optimizer.SGD;
    private double learningRate = 0.5;
    private int lrHalvingEpochs = 25;
    private double momentum = 0.9;
    private double clip = 1.0;
    private int bptt = 35;
    private int batch = 25;
    private int evalBatch = 10;
    private long seed = 1;

    private Builder() {}

    public Builder model(ModelKind v) {
      model = v;
      return this;
    }

    public Builder vocabulary(int v) {
      vocabulary = v;
      return this;
    }

    public Builder embedding(int v) {
      embedding = v;
      return this;
    }

    public Builder rnn(int v) {
      rnn = v;
      return this;
    }

    public Builder snn(int v) {
      snn = v;
      return this;
    }

    public Builder embeddingInit(double v) {
      embeddingInit = v;
      return this;
    }

    public Builder dropout(double v) {
      dropout = v;
      return this;
    }

    public Builder optimizer(Optimizer v) {
      optimizer = v;
      return this;
    }

    public Builder learningRate(double v) {
      learningRate = v;
      return this;
    }

    public Builder lrHalvingEpochs(int v) {
      lrHalvingEpochs = v;
      return this;
    }

    public Builder momentum(double v) {
      momentum = v;
      return this;
    }

    public Builder clip(double v) {
      clip = v;
      return this;
    }

    public Builder bptt(int v) {
      bptt = v;
      return this;
    }

    public Builder batch(int v) {
      batch = v;
      return this;
    }

    public Builder evalBatch(int v) {
      evalBatch = v;
      return this;
    }

    public Builder seed(long v) {
      seed = v;
      return this;
    }

    public WorkloadConfig build() {
      return new WorkloadConfig(
          model,
          vocabulary,
          embedding,
          rnn,
          snn,
          embeddingInit,
          dropout,
          optimizer,
          learningRate,
          lrHalvingEpochs,
          momentum,
          clip,
          bptt,
          batch,
          evalBatch,
          seed);
    }
  }
}
