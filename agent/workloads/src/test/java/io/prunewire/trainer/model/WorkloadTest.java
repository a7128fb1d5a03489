package io.prunewire.trainer.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.prunewire.trainer.data.PtbCorpus;
import io.prunewire.trainer.data.Split;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.dataset.DataSet;

class WorkloadTest {
  private static PtbCorpus corpus;

  @BeforeAll
  static void loadCorpus() {
    corpus = PtbCorpus.load().slice(800, 400);
  }

  static WorkloadConfig tiny(ModelKind kind) {
    return WorkloadConfig.builder()
        .model(kind)
        .embedding(16)
        .rnn(12)
        .snn(kind == ModelKind.HYBRID ? 12 : 0)
        .bptt(20)
        .batch(4)
        .evalBatch(4)
        .learningRate(kind == ModelKind.HYBRID ? 0.5 : 1.0)
        .dropout(0.0)
        .seed(7)
        .build();
  }

  @ParameterizedTest
  @EnumSource(ModelKind.class)
  void lossStartsNearUniformAndGradientLossAgreesWithInferenceLoss(ModelKind kind) {
    Workload w = Workload.create(tiny(kind), corpus);
    DataSet probe = w.probeBatch(Split.VALID, 0);
    double loss = w.loss(probe);
    assertThat(loss).isCloseTo(Math.log(10_000), within(0.5));
    Workload.LossGradient lg = w.lossGradient(probe);
    assertThat(lg.loss()).isCloseTo(loss, within(1e-4 * loss));
    assertThat(lg.gradient().length()).isEqualTo(w.network().numParams());
  }

  @ParameterizedTest
  @EnumSource(ModelKind.class)
  void trainingLowersLossAndPerplexity(ModelKind kind) {
    Workload w = Workload.create(tiny(kind), corpus);
    double before = w.evaluatePerplexity(Split.VALID);
    List<Double> windowLosses = new ArrayList<>();
    double first = w.trainEpoch(p -> windowLosses.add(p.loss()));
    double last = w.trainEpoch(p -> {});
    assertThat(windowLosses).hasSize(corpus.batches(Split.TRAIN, 4).windowCount(20));
    assertThat(last).isLessThan(first);
    assertThat(w.evaluatePerplexity(Split.VALID)).isLessThan(before);
    assertThat(w.completedEpochs()).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(ModelKind.class)
  void saveThenResumeRestoresParametersAndContinuesIdentically(ModelKind kind, @TempDir Path dir) {
    Workload w = Workload.create(tiny(kind), corpus);
    w.trainEpoch(p -> {});
    w.save(dir);
    Workload resumed = Workload.restore(dir, corpus);
    assertThat(resumed.config()).isEqualTo(w.config());
    assertThat(resumed.completedEpochs()).isEqualTo(1);
    assertThat(resumed.network().params()).isEqualTo(w.network().params());
    double a = w.trainEpoch(p -> {});
    double b = resumed.trainEpoch(p -> {});
    assertThat(b).isEqualTo(a);
    assertThat(resumed.network().params()).isEqualTo(w.network().params());
  }

  @ParameterizedTest
  @EnumSource(ModelKind.class)
  void learningRateZeroFreezesTheWeightsWhileTrainingRuns(ModelKind kind) {
    Workload w = Workload.create(tiny(kind), corpus);
    org.nd4j.linalg.api.ndarray.INDArray before = w.network().params().dup();
    w.setLearningRate(0);
    List<Double> losses = new ArrayList<>();
    w.trainEpoch(p -> losses.add(p.loss()));
    assertThat(losses).isNotEmpty();
    assertThat(w.network().params()).isEqualTo(before);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> w.setLearningRate(Double.NaN))
        .hasMessageContaining("learning rate");
  }

  @org.junit.jupiter.api.Test
  void probeEvaluatorOverSeveralBatchesAveragesTheirLosses() {
    Workload w = Workload.create(tiny(ModelKind.HYBRID), corpus);
    List<DataSet> batches = List.of(w.probeBatch(Split.VALID, 0), w.probeBatch(Split.VALID, 1));
    double mean = (w.loss(batches.get(0)) + w.loss(batches.get(1))) / 2;
    io.prunewire.trainer.probe.ProbeEvaluator e = new WorkloadEvaluator(w, batches);
    assertThat(e.loss()).isEqualTo(mean);
    org.nd4j.linalg.api.ndarray.INDArray g =
        w.lossGradient(batches.get(0))
            .gradient()
            .add(w.lossGradient(batches.get(1)).gradient())
            .divi(2);
    assertThat(e.gradient().equalsWithEps(g, 1e-6)).isTrue();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new WorkloadEvaluator(w, List.of()))
        .hasMessageContaining("no batches");
  }

  @org.junit.jupiter.api.Test
  void adamKeepsTwoMomentsPerParameterTrainsAndResumesIdentically(@TempDir Path dir) {
    WorkloadConfig adam =
        tiny(ModelKind.HYBRID).toBuilder().optimizer(Optimizer.ADAM).learningRate(0.01).build();
    Workload w = Workload.create(adam, corpus);
    Workload sgd = Workload.create(tiny(ModelKind.HYBRID), corpus);
    double first = w.trainEpoch(p -> {});
    sgd.trainEpoch(p -> {});
    // Momentum SGD keeps one velocity per trained parameter, Adam two moments (the NoOp gates hold
    // none in either).
    long velocities = sgd.network().getUpdater().getStateViewArray().length();
    assertThat(velocities).isPositive();
    assertThat(w.network().getUpdater().getStateViewArray().length()).isEqualTo(2 * velocities);
    assertThat(
            w.network()
                .getLayerWiseConfigurations()
                .getConf(Networks.HIDDEN_1)
                .getLayer()
                .getUpdaterByParam(HybridLayer.RNN_RECURRENT_WEIGHTS))
        .isInstanceOf(org.nd4j.linalg.learning.config.Adam.class);
    w.save(dir);
    Workload resumed = Workload.restore(dir, corpus);
    assertThat(resumed.config().optimizer()).isEqualTo(Optimizer.ADAM);
    double a = w.trainEpoch(p -> {});
    double b = resumed.trainEpoch(p -> {});
    assertThat(a).isLessThan(first);
    assertThat(b).isEqualTo(a);
    assertThat(resumed.network().params()).isEqualTo(w.network().params());
  }

  @org.junit.jupiter.api.Test
  void aCheckpointSavedBeforeTheOptimizerSettingRestoresAsMomentumSgd(@TempDir Path dir)
      throws Exception {
    Workload w = Workload.create(tiny(ModelKind.HYBRID), corpus);
    w.save(dir);
    Path json = dir.resolve("workload.json");
    String old =
        java.nio.file.Files.readString(json)
            .replaceAll("\\s*\"optimizer\"\\s*:\\s*\"SGD\"\\s*,", "");
    assertThat(old).doesNotContain("optimizer");
    java.nio.file.Files.writeString(json, old);
    Workload restored = Workload.restore(dir, corpus);
    assertThat(restored.config()).isEqualTo(w.config());
    assertThat(restored.config().optimizer()).isEqualTo(Optimizer.SGD);
  }
}
