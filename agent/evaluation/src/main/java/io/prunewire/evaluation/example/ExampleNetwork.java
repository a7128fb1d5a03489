package io.prunewire.evaluation.example;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

/**
 * One network of {@code prunewire example}: a plain DL4J {@link MultiLayerNetwork} built by the
 * example's own code, with its training batches, the held-out batch its probes measure on and the
 * metric it is judged by on test data. Nothing here knows about Prunewire; {@link ExampleRun}
 * attaches the listener as any user would.
 */
interface ExampleNetwork {

  /** What it is, e.g. {@code "LSTM language model on WikiText-2"}. */
  String title();

  /** Its shape in a few words, e.g. the widths and the vocabulary. */
  String shape();

  /** Short id used in run and trainer ids, e.g. {@code "lm"}. */
  String id();

  /** The initialised network, trained in place. */
  MultiLayerNetwork network();

  /** Neurons of the layers the listener prunes (all hidden layers), the schedule's base. */
  int prunableNeurons();

  /** The training batch of step {@code step}; steps past the data start over. */
  DataSet batch(int step);

  /** Held-out data (not test data) for the listener's curvature and ablation probes. */
  DataSet heldOut();

  /** The test metric's name, e.g. {@code "perplexity"}. */
  String metricName();

  /** The metric on the test data, of the network as it is now (masks included). */
  double testMetric();
}
