package io.prunewire.scorers.retention;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code type-aware}: HSTNN's selection. Of the N neurons of the unprotected layers, {@code K = N −
 * round(s·N)} are kept; {@code K_snn = round(snnRatio·K)} of them spiking and {@code K − K_snn}
 * analog. Spiking and analog neurons are ranked separately, each type pooled across layers. If a
 * type has fewer alive neurons than its count, the excess goes to the other type (the total K
 * holds, the ratio bends). The rails' floor keeps at least one neuron per layer.
 */
public record TypeAware(double sparsity, double snnRatio) implements RetentionPolicy {

  public TypeAware {
    Sparsity.check("type-aware", sparsity);
    if (!(snnRatio >= 0 && snnRatio <= 1)) {
      throw new IllegalArgumentException(
          "type-aware retention: snn_ratio must be in [0, 1], got " + snnRatio);
    }
  }

  @Override
  public String name() {
    return "type-aware";
  }

  @Override
  public Retention select(List<LayerScores> layers, RetentionRails rails) {
    return Selector.select(
        name(),
        layers,
        rails,
        (eligible, notes) -> {
          int total = 0;
          int aliveSpiking = 0;
          int aliveAnalog = 0;
          for (LayerScores l : eligible) {
            total += l.size();
            for (int i = 0; i < l.size(); i++) {
              if (l.alive(i)) {
                if (l.type(i) == NeuronType.SPIKING) {
                  aliveSpiking++;
                } else {
                  aliveAnalog++;
                }
              }
            }
          }
          int keep = Sparsity.kept(total, sparsity);
          int keepSpiking = (int) Math.round(snnRatio * keep);
          int keepAnalog = keep - keepSpiking;
          if (keepSpiking > aliveSpiking) {
            keepAnalog += keepSpiking - aliveSpiking;
            keepSpiking = aliveSpiking;
          }
          if (keepAnalog > aliveAnalog) {
            keepSpiking = Math.min(aliveSpiking, keepSpiking + keepAnalog - aliveAnalog);
            keepAnalog = aliveAnalog;
          }
          String note =
              "snn_ratio "
                  + snnRatio
                  + ": pools keep "
                  + keepSpiking
                  + " spiking + "
                  + keepAnalog
                  + " analog of "
                  + total;
          eligible.forEach(l -> notes.put(l.layer(), note));
          List<Selector.Pool> pools = new ArrayList<>();
          if (!eligible.isEmpty()) {
            pools.add(new Selector.Pool(eligible, NeuronType.SPIKING, keepSpiking));
            pools.add(new Selector.Pool(eligible, NeuronType.ANALOG, keepAnalog));
          }
          return pools;
        });
  }
}
