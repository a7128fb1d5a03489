/**
 * Pruning any DL4J {@link org.deeplearning4j.nn.multilayer.MultiLayerNetwork} or single-input,
 * single-output {@link org.deeplearning4j.nn.graph.ComputationGraph}: one small {@link
 * io.prunewire.trainer.network.LayerAdapter} per layer type says what a neuron is and which
 * parameter slices it owns; {@link io.prunewire.trainer.network.PrunableLayers} finds the layers an
 * adapter handles; {@link io.prunewire.trainer.network.LayerGradients} reads each layer's
 * activations and {@code ∂L/∂a}; {@link io.prunewire.trainer.network.TrainedNetwork} is what
 * differs between the two kinds of network. Masking is shared: the listener zeroes every slice a
 * pruned neuron owns after each update.
 *
 * <p>Built in: {@link io.prunewire.trainer.network.DenseAdapter} (output units), {@link
 * io.prunewire.trainer.network.LstmAdapter} (hidden units, all four gates' columns), {@link
 * io.prunewire.trainer.network.SimpleRnnAdapter} (hidden units); the workloads module adds the
 * project's hybrid layer (two groups) as a {@link java.util.ServiceLoader} provider (see {@link
 * io.prunewire.trainer.network.PrunableLayers#builtIn}).
 *
 * <h2>Adding an adapter, e.g. for convolution channels</h2>
 *
 * A neuron must be an index along the layer's output axis 1 ({@code [batch, neurons]}, {@code
 * [batch, neurons, time]}; for a convolution {@code [batch, channels, h, w]} in NCHW). For a {@code
 * ConvolutionLayer} with weights {@code W [out, in, kH, kW]} and bias {@code b [1, out]}, channel
 * {@code c} owns {@code W[c, :, :, :]} and {@code b[c]}, and its rows in the consumer ({@code W'[:,
 * c, :, :]} of a next convolution). {@link io.prunewire.trainer.network.OwnedSlice} today addresses
 * rows and columns of rank-1 and rank-2 parameters only, so a convolution adapter needs OwnedSlice
 * extended to "index {@code offset + c} along axis {@code k} of a rank-4 parameter" ({@link
 * io.prunewire.trainer.probe.FlatParameters#slice} computes flat indices from strides and
 * generalises directly), and the listener's summaries must fold {@code h·w} into the batch the way
 * they fold time (LayerStream). Then: implement {@code handles} ({@code conf instanceof
 * ConvolutionLayer}), {@code groups} (one group of {@code nOut} channels, fan-in {@code in·kH·kW +
 * 1}) and, for a convolution consumer, {@code inputRows}; register it with {@code
 * PruningListener.forNetwork(net).adapter(new ConvChannelAdapter())}.
 */
package io.prunewire.trainer.network;
