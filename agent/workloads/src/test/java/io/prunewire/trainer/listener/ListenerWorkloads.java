package io.prunewire.trainer.listener;

import io.prunewire.trainer.data.PtbCorpus;
import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.model.ModelKind;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.model.WorkloadConfig;

/** The small hybrid workload the listener tests train: a few seconds per epoch. */
final class ListenerWorkloads {

  static final int BATCH = 4;
  static final int BPTT = 10;
  private static PtbCorpus corpus;

  private ListenerWorkloads() {}

  static synchronized PtbCorpus corpus() {
    if (corpus == null) {
      corpus = PtbCorpus.load().slice(1_200, 400);
    }
    return corpus;
  }

  /** Training windows (iterations) of one epoch. */
  static int windows() {
    return corpus().batches(Split.TRAIN, BATCH).windowCount(BPTT);
  }

  static Workload hybrid() {
    return Workload.create(
        WorkloadConfig.builder()
            .model(ModelKind.HYBRID)
            .embedding(16)
            .rnn(6)
            .snn(5)
            .bptt(BPTT)
            .batch(BATCH)
            .evalBatch(4)
            .learningRate(0.5)
            .dropout(0.0)
            .seed(3)
            .build(),
        corpus());
  }
}
