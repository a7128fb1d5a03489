package io.prunewire.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.trainer.data.PtbCorpus;
import io.prunewire.trainer.network.PrunableLayer;
import io.prunewire.trainer.network.PrunableLayers;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The adapters' discovery, with the {@link HybridAdapter} found through {@link
 * java.util.ServiceLoader}, agrees with every reference workload's own prunable table.
 */
class HybridAdapterTest {

  @Test
  void discoveryOnTheReferenceWorkloadsGivesTheirOwnership() {
    PtbCorpus corpus = PtbCorpus.load().slice(200, 100);
    for (ModelKind model : ModelKind.values()) {
      Workload w =
          Workload.create(
              WorkloadConfig.builder()
                  .model(model)
                  .embedding(8)
                  .rnn(6)
                  .snn(model == ModelKind.HYBRID ? 5 : 0)
                  .bptt(5)
                  .batch(2)
                  .evalBatch(2)
                  .dropout(0.0)
                  .seed(1)
                  .build(),
              corpus);
      List<PrunableLayer> found = PrunableLayers.find(w.network());
      List<PrunableLayer> reference = w.prunableLayers();
      assertThat(found).hasSameSizeAs(reference);
      for (int k = 0; k < found.size(); k++) {
        PrunableLayer f = found.get(k);
        PrunableLayer r = reference.get(k);
        // Same neurons, observed at the same gate, owning the same slices; only names differ.
        assertThat(
                new PrunableLayer(
                    r.name(),
                    f.kind(),
                    f.neurons(),
                    f.fanIn(),
                    f.gateLayer(),
                    f.gateOffset(),
                    f.slices()))
            .as("%s vs %s", f.name(), r.name())
            .isEqualTo(r);
      }
    }
  }
}
