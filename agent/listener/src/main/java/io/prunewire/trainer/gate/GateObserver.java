package io.prunewire.trainer.gate;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Sees one {@link GateLayer}'s arrays synchronously, inside DL4J's forward and backward passes. The
 * arrays live in DL4J workspaces and are valid only during the call: reduce them, or copy them out
 * of the workspace ({@code detach()}, or {@code dup()} inside {@code
 * Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()}), and never modify them. All arrays are {@code
 * [batch, neurons, time]} (recurrent layout), the gate gradient is {@code [1, neurons]}.
 */
public interface GateObserver {
  /** Observes nothing. */
  GateObserver NONE =
      new GateObserver() {
        @Override
        public void forward(int layerIndex, INDArray activations, boolean training) {}

        @Override
        public void backward(
            int layerIndex, INDArray activations, INDArray epsilon, INDArray gateGradient) {}
      };

  /**
   * The gated output {@code a = in ⊙ g ⊙ mask} of layer {@code layerIndex}, in training and in
   * inference ({@code training} tells which).
   */
  void forward(int layerIndex, INDArray activations, boolean training);

  /**
   * The same activations {@code a}, the gradient of DL4J's summed loss (for the language models the
   * sum of token NLLs over the batch window, not their mean) {@code ∂L/∂a} arriving from above, and
   * the gate gradient {@code ∂L/∂g_i = Σ_{batch,time} in_i·mask_i·∂L/∂a_i}, which equals {@code Σ
   * a_i·∂L/∂a_i} because {@code g = 1}: the Taylor/Fisher term of neuron {@code i}.
   */
  void backward(int layerIndex, INDArray activations, INDArray epsilon, INDArray gateGradient);
}
