package io.prunewire.protocol;

import static io.prunewire.protocol.EventChecks.identifier;
import static io.prunewire.protocol.EventChecks.notNull;
import static io.prunewire.protocol.EventChecks.positive;
import static io.prunewire.protocol.EventChecks.present;

/**
 * One prunable layer as a run declares it in {@link RunStarted}.
 *
 * @param name unique within the run; every later event names its layer by this string
 * @param kind the neuron type, which decides how a neuron's parameters are found
 * @param neurons number of output units; every per-neuron array of this layer has this length
 * @param fanIn number of inputs each neuron reads (the rows of its incoming weight matrix)
 * @param owners free text naming the parameters that hold this layer's neurons, e.g. {@code
 *     "hybrid1.W[:,650:1300] hybrid1.RW[650:1300,650:1300] hybrid2.W[650:1300,:]"}; for humans and
 *     trainer-side tooling, not interpreted by the agent (may be empty)
 */
public record LayerSpec(String name, LayerKind kind, int neurons, int fanIn, String owners) {
  public LayerSpec {
    identifier("layer.name", name);
    present("layer[" + name + "].kind", kind);
    positive("layer[" + name + "].neurons", neurons);
    positive("layer[" + name + "].fanIn", fanIn);
    notNull("layer[" + name + "].owners", owners);
  }
}
