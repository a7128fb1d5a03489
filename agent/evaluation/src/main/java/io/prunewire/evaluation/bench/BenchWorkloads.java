package io.prunewire.evaluation.bench;

import io.prunewire.trainer.data.PtbCorpus;
import io.prunewire.trainer.model.ModelKind;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.model.WorkloadConfig;

/** The PTB workload the training-speed benchmarks time: the whole corpus, weights seeded 1. */
final class BenchWorkloads {

  private BenchWorkloads() {}

  /** A new {@code model} of these widths ({@code snn} ignored for an LSTM) and batch shape. */
  static Workload create(ModelKind model, int embedding, int rnn, int snn, int batch, int bptt) {
    WorkloadConfig config =
        WorkloadConfig.builder()
            .model(model)
            .embedding(embedding)
            .rnn(rnn)
            .snn(model == ModelKind.LSTM ? 0 : snn)
            .batch(batch)
            .bptt(bptt)
            .seed(1)
            .build();
    return Workload.create(config, PtbCorpus.load());
  }
}
