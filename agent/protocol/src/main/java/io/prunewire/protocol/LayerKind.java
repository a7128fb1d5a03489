package io.prunewire.protocol;

/** What kind of neurons a layer holds; decides how a neuron's parameters are found and removed. */
public enum LayerKind {
  /**
   * Vanilla recurrent: a neuron owns its input column and its row and column of the recurrent
   * matrix.
   */
  RNN(1),
  /** Leaky integrate-and-fire spiking neurons: output in {0, 1}; a neuron owns its input column. */
  SNN(2),
  /** LSTM: a neuron owns four gate columns in W, RW and b and one row of RW. */
  LSTM(3),
  /** Feed-forward: a neuron owns its input column. */
  DENSE(4);

  private final int code;

  LayerKind(int code) {
    this.code = code;
  }

  /** The unsigned byte that identifies this kind on the wire. */
  public int code() {
    return code;
  }

  /** The kind with this wire code. */
  public static LayerKind ofCode(int code) {
    for (LayerKind k : values()) {
      if (k.code == code) {
        return k;
      }
    }
    throw new InvalidEventException(
        RejectReason.MALFORMED,
        "layer kind code " + code + " is not defined (1 rnn, 2 snn, 3 lstm, 4 dense)");
  }
}
