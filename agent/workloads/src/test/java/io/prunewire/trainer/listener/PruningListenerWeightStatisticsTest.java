package io.prunewire.trainer.listener;

import static io.prunewire.trainer.listener.ListenerWorkloads.hybrid;
import static io.prunewire.trainer.listener.ListenerWorkloads.windows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.prunewire.protocol.CheckpointEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.WeightStatisticsEvent;
import io.prunewire.scorers.stats.WeightStatistics;
import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.mask.LayerOwnership;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.model.WorkloadNetwork;
import io.prunewire.trainer.network.PrunableLayer;
import io.prunewire.trainer.probe.AblationProbe;
import io.prunewire.trainer.probe.LayerCoordinates;
import io.prunewire.trainer.telemetry.InMemoryTelemetrySink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.junit.jupiter.api.Test;

class PruningListenerWeightStatisticsTest {

  /**
   * The parameters every {@code every}-th iteration, as a listener after the pruning listener sees
   * them.
   */
  private static final class ParameterRecorder extends BaseTrainingListener {
    final Workload workload;
    final int every;
    final Map<Integer, float[]> byStep = new TreeMap<>();

    ParameterRecorder(Workload workload, int every) {
      this.workload = workload;
      this.every = every;
      workload.network().addListeners(this);
    }

    @Override
    public void iterationDone(Model model, int iteration, int epoch) {
      if ((iteration + 1) % every == 0) {
        byStep.put(iteration, workload.network().params().toFloatVector());
      }
    }
  }

  /** A sink that also notes which thread published each event. */
  private static final class ThreadNotingSink {
    final InMemoryTelemetrySink sink = new InMemoryTelemetrySink();
    final List<Thread> publishers = new ArrayList<>();

    ThreadNotingSink() {
      sink.subscribe(e -> publishers.add(Thread.currentThread()));
    }
  }

  private static WeightStatistics reference(Workload w, PrunableLayer layer, float[] params) {
    return new WeightSnapshot(
            LayerCoordinates.of(w.network(), layer), LayerOwnership.of(w.network(), layer))
        .of(params);
  }

  private static List<Integer> steps(List<WeightStatisticsEvent> events, String layer) {
    return events.stream().filter(e -> e.layer().equals(layer)).map(e -> (int) e.step()).toList();
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("latch not released within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void offThreadStatisticsEqualInlineOnesOfTheSameSnapshotAndArePublishedByTheTrainingThread() {
    int every = 3;
    Workload inline = hybrid();
    InMemoryTelemetrySink inlineSink = new InMemoryTelemetrySink();
    PruningListener.builder(new WorkloadNetwork(inline))
        .sink(inlineSink)
        .runId("r")
        .publishEvery(1000)
        .weightStatisticsEvery(every)
        .weightStatisticsOnTrainingThread(true)
        .build()
        .attach();
    ParameterRecorder inlineParams = new ParameterRecorder(inline, every);
    inline.trainEpoch(p -> {});

    Workload async = hybrid();
    ThreadNotingSink asyncSink = new ThreadNotingSink();
    PruningListener listener =
        PruningListener.builder(new WorkloadNetwork(async))
            .sink(asyncSink.sink)
            .runId("r")
            .publishEvery(1000)
            .weightStatisticsEvery(every)
            .build()
            .attach();
    ParameterRecorder asyncParams = new ParameterRecorder(async, every);
    async.trainEpoch(p -> {});
    listener.close();

    int snapshots = windows() / every;
    assertThat(inlineParams.byStep).hasSize(snapshots);
    List<WeightStatisticsEvent> expected = inlineSink.events(WeightStatisticsEvent.class);
    List<WeightStatisticsEvent> published = asyncSink.sink.events(WeightStatisticsEvent.class);
    assertThat(expected).hasSize(4 * snapshots);
    assertThat(published).hasSize(4 * (snapshots - (int) listener.weightSnapshotsReplaced()));
    for (PrunableLayer layer : inline.prunableLayers()) {
      assertThat(steps(expected, layer.name()))
          .containsExactlyElementsOf(inlineParams.byStep.keySet());
      List<Integer> asyncSteps = steps(published, layer.name());
      assertThat(asyncSteps).isSorted().contains(snapshots * every - 1);
      assertThat(inlineParams.byStep.keySet()).containsAll(asyncSteps);
    }
    for (WeightStatisticsEvent e : expected) {
      PrunableLayer layer =
          inline.prunableLayers().stream()
              .filter(l -> l.name().equals(e.layer()))
              .findFirst()
              .orElseThrow();
      assertThat(e.statistics())
          .isEqualTo(reference(inline, layer, inlineParams.byStep.get((int) e.step())));
      assertThat(e.window()).isEqualTo(every);
    }
    // Same function on the same snapshot: bit-exact, whichever thread ran it.
    for (WeightStatisticsEvent e : published) {
      WeightStatisticsEvent same =
          expected.stream()
              .filter(x -> x.layer().equals(e.layer()) && x.step() == e.step())
              .findFirst()
              .orElseThrow();
      assertThat(e.statistics()).isEqualTo(same.statistics());
      assertThat(asyncParams.byStep.get((int) e.step()))
          .isEqualTo(inlineParams.byStep.get((int) e.step()));
    }
    assertThat(asyncSink.publishers).containsOnly(Thread.currentThread());
  }

  @Test
  void trainingRunsOnWhileAComputationIsStuckAndQueuedSnapshotsAreReplacedLatestWins() {
    int every = 2;
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger finished = new AtomicInteger();
    BiFunction<WeightSnapshot, float[], WeightStatistics> stuck =
        (layer, params) -> {
          running.countDown();
          await(release);
          finished.incrementAndGet();
          return layer.of(params);
        };
    Workload w = hybrid();
    InMemoryTelemetrySink sink = new InMemoryTelemetrySink();
    PruningListener listener =
        PruningListener.builder(new WorkloadNetwork(w))
            .sink(sink)
            .runId("r")
            .publishEvery(1000)
            .weightStatisticsEvery(every)
            .weightStatisticsFunction(stuck)
            .build()
            .attach();
    // Hold training after the first snapshot until the worker has taken it, so the run is
    // deterministic.
    w.network()
        .addListeners(
            new BaseTrainingListener() {
              @Override
              public void iterationDone(Model model, int iteration, int epoch) {
                if (iteration + 1 == every) {
                  await(running);
                }
              }
            });

    w.trainEpoch(p -> {});

    // The whole epoch trained while the first computation could not finish.
    assertThat(finished.get()).isZero();
    assertThat(sink.events(WeightStatisticsEvent.class)).isEmpty();
    int snapshots = windows() / every;
    // The first runs, the last waits, every one in between was replaced by its successor.
    assertThat(listener.weightSnapshotsReplaced()).isEqualTo(snapshots - 2);
    release.countDown();
    assertThat(listener.awaitWeightStatistics(Duration.ofSeconds(30))).isTrue();
    List<WeightStatisticsEvent> published = sink.events(WeightStatisticsEvent.class);
    for (PrunableLayer layer : w.prunableLayers()) {
      assertThat(steps(published, layer.name())).containsExactly(every - 1, snapshots * every - 1);
    }
    listener.close();
  }

  @Test
  void aCheckpointWaitsForStatisticsStillBeingComputed() {
    BiFunction<WeightSnapshot, float[], WeightStatistics> slow =
        (layer, params) -> {
          try {
            Thread.sleep(100);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return layer.of(params);
        };
    Workload w = hybrid();
    InMemoryTelemetrySink sink = new InMemoryTelemetrySink();
    PruningListener listener =
        PruningListener.builder(new WorkloadNetwork(w))
            .sink(sink)
            .runId("r")
            .publishEvery(10)
            .checkpointEvery(10, 1, AblationProbe.builder().singles(1).groups(0).build())
            .probeBatch(w.probeBatch(Split.VALID, 0))
            .decisionTimeout(Duration.ZERO)
            .weightStatisticsFunction(slow)
            .build()
            .attach();
    w.trainEpoch(p -> {});

    List<Event> events = sink.events();
    List<CheckpointEvent> checkpoints = sink.events(CheckpointEvent.class);
    assertThat(checkpoints).hasSize(windows() / 10);
    for (CheckpointEvent c : checkpoints) {
      int at = events.indexOf(c);
      // All four layers' statistics of the checkpoint's own step are out before the checkpoint.
      assertThat(events.subList(0, at))
          .filteredOn(e -> e instanceof WeightStatisticsEvent && e.step() == c.step())
          .hasSize(4);
    }
    assertThat(listener.weightSnapshotsReplaced()).isZero();
    listener.close();
  }

  @Test
  void aCheckpointGoesOnWithoutStatisticsThatOutlastTheWait() {
    CountDownLatch release = new CountDownLatch(1);
    BiFunction<WeightSnapshot, float[], WeightStatistics> stuck =
        (layer, params) -> {
          await(release);
          return layer.of(params);
        };
    Workload w = hybrid();
    InMemoryTelemetrySink sink = new InMemoryTelemetrySink();
    PruningListener listener =
        PruningListener.builder(new WorkloadNetwork(w))
            .sink(sink)
            .runId("r")
            .publishEvery(10)
            .checkpointEvery(10, 1, AblationProbe.builder().singles(1).groups(0).build())
            .probeBatch(w.probeBatch(Split.VALID, 0))
            .decisionTimeout(Duration.ZERO)
            .weightStatisticsFunction(stuck)
            .weightStatisticsWait(Duration.ofMillis(50))
            .build()
            .attach();
    w.trainEpoch(p -> {});

    assertThat(sink.events(CheckpointEvent.class)).hasSize(windows() / 10);
    assertThat(sink.events(WeightStatisticsEvent.class)).isEmpty();
    release.countDown();
    listener.close();
    assertThat(sink.events(WeightStatisticsEvent.class)).isNotEmpty();
  }

  @Test
  void aFailedComputationFailsTrainingNamingTheLayerAndStep() {
    IllegalArgumentException boom = new IllegalArgumentException("boom");
    Workload w = hybrid();
    PruningListener listener =
        PruningListener.builder(new WorkloadNetwork(w))
            .sink(new InMemoryTelemetrySink())
            .runId("r")
            .publishEvery(1000)
            .weightStatisticsEvery(2)
            .weightStatisticsFunction(
                (layer, params) -> {
                  throw boom;
                })
            .build()
            .attach();

    // Surfaced at a later training callback, or at the latest by close() after the epoch.
    assertThatThrownBy(
            () -> {
              w.trainEpoch(p -> {});
              listener.close();
            })
        .isInstanceOf(IllegalStateException.class)
        .hasMessageMatching("run r: weight statistics of layer h1\\.snn at step \\d+ failed: boom")
        .hasRootCause(boom);
  }

  @Test
  void weightStatisticsCanBeTurnedOffAndAClosedListenerRefusesNewSnapshots() {
    Workload off = hybrid();
    InMemoryTelemetrySink sink = new InMemoryTelemetrySink();
    PruningListener.builder(new WorkloadNetwork(off))
        .sink(sink)
        .runId("r")
        .publishEvery(5)
        .weightStatisticsEvery(2)
        .weightStatistics(false)
        .build()
        .attach();
    off.trainEpoch(p -> {});
    assertThat(sink.events(WeightStatisticsEvent.class)).isEmpty();

    Workload closed = hybrid();
    PruningListener listener =
        PruningListener.builder(new WorkloadNetwork(closed))
            .sink(new InMemoryTelemetrySink())
            .runId("r")
            .weightStatisticsEvery(2)
            .build()
            .attach();
    listener.close();
    assertThatThrownBy(() -> closed.trainEpoch(p -> {}))
        .hasMessageContaining("run r: the PruningListener is closed");
  }
}
