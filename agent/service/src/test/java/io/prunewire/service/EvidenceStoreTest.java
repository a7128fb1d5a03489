package io.prunewire.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.protocol.ActivationSummaryEvent;
import io.prunewire.protocol.EventType;
import io.prunewire.protocol.Header;
import io.prunewire.protocol.LayerKind;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.scorers.stats.ActivationSummary;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The evidence store with a layer as large as the benchmark's (1,300 neurons, 20 histogram bins, 32
 * anchors: a 655 KB activation part), whose activation part is split over two values.
 */
class EvidenceStoreTest {

  private static final LayerSpec LAYER = new LayerSpec("h1.rnn", LayerKind.RNN, 1_300, 64, "");
  private static final String KEY =
      EvidenceStore.key("r", LAYER.name(), EventType.ACTIVATION_SUMMARY);

  private final AgentMetrics metrics = new AgentMetrics();
  private final Map<String, byte[]> map = new TreeMap<>();

  @AfterEach
  void close() {
    metrics.close();
  }

  /** A key-value store in {@link #map}, with what {@link EvidenceStore} calls. */
  @SuppressWarnings("unchecked")
  private KeyValueStore<String, byte[]> store() {
    return (KeyValueStore<String, byte[]>)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {KeyValueStore.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "get" -> map.get((String) args[0]);
                  case "put" -> map.put((String) args[0], (byte[]) args[1]);
                  case "delete" -> map.remove((String) args[0]);
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  /** A summary of 50 rows of the layer, drawn from {@code seed}. */
  private static ActivationSummary activation(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    float[] rows = new float[50 * LAYER.neurons()];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = rnd.nextDouble() < 0.3 ? 0f : (float) rnd.nextDouble();
    }
    ActivationSummary a = ActivationSummary.empty(LAYER.neurons(), ActivationSummary.Spec.DEFAULT);
    a.addRows(rows);
    return a;
  }

  private static ActivationSummaryEvent event(long step) {
    return new ActivationSummaryEvent(
        new Header("r", "t", step, 1_700_000_000_000L + step), LAYER.name(), 1, activation(step));
  }

  /** The activation part, as one format-1 encoding, of the summaries of {@code steps} merged. */
  private static byte[] formerEncoding(long... steps) {
    ActivationSummary merged = activation(steps[0]);
    for (int i = 1; i < steps.length; i++) {
      merged.merge(activation(steps[i]));
    }
    return EvidenceCodecTest.copyingActivation(merged);
  }

  private byte[] joinedFromMap() {
    return PartValues.join(map.get(KEY), i -> map.get(PartValues.continuationKey(KEY, i)));
  }

  @Test
  void aLargeActivationPartIsStoredBelowHalfARegionAndHoldsTheFormerBytes() {
    EvidenceStore evidence = new EvidenceStore(store(), metrics);
    evidence.merge("r", LAYER, event(10), bytes -> {});
    int bytes = evidence.merge("r", LAYER, event(20), b -> {});

    byte[] former = formerEncoding(10, 20);
    assertThat(former.length).isGreaterThan(600_000);
    assertThat(map.keySet()).containsExactly(KEY, PartValues.continuationKey(KEY, 1));
    assertThat(map.values()).allSatisfy(v -> assertThat(v.length).isLessThan(512 * 1024 - 16));
    assertThat(bytes).isEqualTo(map.get(KEY).length + map.get(KEY + "\u001f1").length);
    assertThat(joinedFromMap()).isEqualTo(former);

    // Read back by a store with nothing mirrored (as after a restart or rebalance).
    ActivationSummary read =
        new EvidenceStore(store(), metrics).get("r", LAYER).activation().orElseThrow();
    assertThat(EvidenceCodecTest.copyingActivation(read)).isEqualTo(former);
  }

  @Test
  void anActivationPartStoredWholeByEarlierVersionsStillReadsAndIsSplitWhenNextMerged() {
    map.put(KEY, formerEncoding(10));
    EvidenceStore evidence = new EvidenceStore(store(), metrics);
    ActivationSummary read = evidence.get("r", LAYER).activation().orElseThrow();
    assertThat(EvidenceCodecTest.copyingActivation(read)).isEqualTo(formerEncoding(10));

    evidence.merge("r", LAYER, event(20), bytes -> {});
    assertThat(map).hasSize(2);
    assertThat(joinedFromMap()).isEqualTo(formerEncoding(10, 20));
  }

  @Test
  void deletingTheRunRemovesEveryValueOfASplitPart() {
    EvidenceStore evidence = new EvidenceStore(store(), metrics);
    evidence.merge("r", LAYER, event(10), bytes -> {});
    assertThat(map).hasSize(2);
    evidence.delete("r", List.of(LAYER));
    assertThat(map).isEmpty();
  }
}
