package io.prunewire.evaluation.demo;

import io.micrometer.core.instrument.Gauge;
import io.prunewire.evaluation.progress.Progress;
import io.prunewire.protocol.CheckpointEvent;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.LayerKind;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.service.AgentConfig;
import io.prunewire.service.PrunewireAgent;
import io.prunewire.trainer.data.PtbCorpus;
import io.prunewire.trainer.data.Split;
import io.prunewire.trainer.kafka.KafkaTelemetrySink;
import io.prunewire.trainer.kafka.SinkMetrics;
import io.prunewire.trainer.listener.PruningListener;
import io.prunewire.trainer.listener.TrainingMetrics;
import io.prunewire.trainer.mask.NeuronMasks;
import io.prunewire.trainer.model.Evaluation;
import io.prunewire.trainer.model.ModelKind;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.model.WorkloadConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One demo run in this JVM: an embedded KRaft broker, the agent (serving {@code /metrics} on
 * 127.0.0.1) and a DL4J trainer of the HSTNN hybrid RNN/SNN model on a PTB slice whose {@code
 * PruningListener} publishes through the {@code KafkaTelemetrySink} and prunes at the checkpoints
 * of a cubic schedule. Everything it starts it stops, in reverse order.
 */
public final class Demo {

  private static final String RUN_PREFIX = "demo-";
  private static final String TRAINER = "demo-trainer";
  private static final Duration DECISION_TIMEOUT = Duration.ofSeconds(60);

  /**
   * How long the agent waits for recovered outcomes, and the trainer for the decision on top of its
   * own timeout: 10 minutes per 20 recovery steps. Measuring a checkpoint's candidates after 20
   * steps takes about a minute on compare's 2 x (128 + 128) model on 2 cores, after 100 about five.
   */
  private static Duration recoveredOutcomeTimeout(int recoverySteps) {
    return Duration.ofMinutes(10L * Math.max(1, (recoverySteps + 19) / 20));
  }

  private final DemoSettings settings;
  private final PrintStream out;

  private Demo(DemoSettings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  /**
   * What a demo run ended with, for the commands that run it as one arm of a comparison.
   *
   * @param report the Markdown report written
   * @param endPerplexity validation perplexity after the last step
   * @param end that perplexity window by window
   * @param keptNeurons hidden neurons kept by the last decision
   * @param seconds wall time of the run
   */
  public record Outcome(
      Path report, double endPerplexity, Evaluation end, int keptNeurons, double seconds) {

    /** Prints the report's tables (the report up to its decisions) and the report's path. */
    public void print(PrintStream out) throws IOException {
      out.println();
      out.print(DemoReport.summary(Files.readString(report)));
      out.println("report: " + report.toAbsolutePath());
    }
  }

  private record Outcomes(DemoResult result, Evaluation end) {}

  /**
   * Runs the demo and writes the Markdown report to {@code settings.report()} and the raw numbers
   * next to it ({@code .json}).
   *
   * @param commandLine how the demo was invoked, for the report's provenance
   */
  public static Outcome run(DemoSettings settings, String commandLine, PrintStream out)
      throws Exception {
    long start = System.nanoTime();
    Outcomes outcomes = new Demo(settings, out).execute(commandLine, start);
    DemoResult result = outcomes.result();
    Path report = DemoReport.write(result, settings.report());
    int kept = 0;
    for (DemoResult.LayerRow l : result.layers()) {
      int last = l.kept().isEmpty() ? -1 : l.kept().get(l.kept().size() - 1);
      kept += last < 0 ? l.neurons() : last;
    }
    return new Outcome(
        report, result.endPerplexity(), outcomes.end(), kept, (System.nanoTime() - start) / 1e9);
  }

  private Outcomes execute(String commandLine, long start) throws Exception {
    DemoSettings s = settings;
    PtbCorpus full = PtbCorpus.load();
    PtbCorpus corpus = full.slice(full.tokenCount(Split.TRAIN), s.evalTokens());
    WorkloadConfig config =
        s.recipe().toBuilder()
            .model(ModelKind.HYBRID)
            .vocabulary(corpus.vocabulary().size())
            .embedding(s.embedding())
            .rnn(s.rnn())
            .snn(s.snn())
            .evalBatch(s.evalBatch())
            .seed(s.seed())
            .build();
    Workload workload = Workload.create(config, corpus);
    PruningPlan plan = PruningPlan.of(s);
    String runId = RUN_PREFIX + Long.toHexString(System.currentTimeMillis());

    out.printf(
        "hybrid RNN/SNN: embedding %d, 2 layers x (%d rnn + %d snn), %,d parameters; %d steps of %,d"
            + " tokens over the %,d training tokens (%.2f epochs), %,d validation tokens%n",
        s.embedding(),
        s.rnn(),
        s.snn(),
        workload.network().numParams(),
        s.trainedSteps(),
        (long) config.batch() * config.bptt(),
        corpus.tokenCount(Split.TRAIN),
        s.trainedSteps() / (double) workload.windowsPerEpoch(),
        corpus.tokenCount(Split.VALID));
    out.printf(
        "cubic schedule to %.0f%% of %d hidden neurons over %d checkpoints every %d steps: planned removals %s;"
            + " snn_ratio %.2f%n",
        100 * s.target(),
        plan.neurons(),
        s.checkpoints(),
        plan.every(),
        plannedList(plan),
        s.snnRatio());
    double startPpl = workload.evaluatePerplexity(Split.VALID);
    AgentConfig.Builder agentBuilder =
        AgentConfig.builder()
            .metricsBind("127.0.0.1")
            .metricsPort(s.metricsPort())
            .snnRatio(s.snnRatio())
            .fusion(s.fusion());
    if (s.recoverySteps() > 0) {
      agentBuilder.outcomeTimeout(recoveredOutcomeTimeout(s.recoverySteps()));
    }
    AgentConfig agentConfig = agentBuilder.build();
    try (EmbeddedDeployment deployment = EmbeddedDeployment.start(agentConfig, out)) {
      PrunewireAgent agent = deployment.agent();
      String metricsUrl = deployment.metricsUrl();
      KafkaTelemetrySink kafkaSink =
          KafkaTelemetrySink.builder(deployment.bootstrapServers(), runId, TRAINER).build();
      // One process here: the trainer's sink and model meters are served on the agent's /metrics
      // too.
      SinkMetrics.bind(kafkaSink, agent.metrics().registry());
      TrainingMetrics training =
          TrainingMetrics.register(agent.metrics().registry(), runId, TRAINER);
      training.validationPerplexity(startPpl);
      RecordingSink sink = deployment.add(new RecordingSink(kafkaSink));
      Trained trained = train(workload, plan, sink, runId, agent, training);
      Map<String, Object> provenance =
          Provenance.of(
              commandLine, s, config, runId, metricsUrl, (System.nanoTime() - start) / 1e9);
      return new Outcomes(
          new DemoResult(
              provenance, startPpl, trained.end.perplexity(), trained.layers, trained.checkpoints),
          trained.end);
    }
  }

  private record Trained(
      Evaluation end,
      List<DemoResult.LayerRow> layers,
      List<DemoResult.CheckpointRow> checkpoints) {}

  private Trained train(
      Workload workload,
      PruningPlan plan,
      RecordingSink sink,
      String runId,
      PrunewireAgent agent,
      TrainingMetrics training) {
    DemoSettings s = settings;
    int every = plan.every();
    Map<Integer, Rho[]> agentRho = new HashMap<>();
    CheckpointMetric before =
        new CheckpointMetric(
            () -> workload.evaluatePerplexity(Split.VALID),
            every,
            s.checkpoints(),
            k -> agentRho.put(k - 1, agentSpearman(agent, runId)));
    CheckpointMetric after =
        new CheckpointMetric(
            () -> workload.evaluatePerplexity(Split.VALID), every, s.checkpoints(), k -> {});
    workload.network().addListeners(before);
    PruningListener.Builder builder =
        plan.listener(workload, s.probes(), s.singles(), s.groups(), s.seed())
            .sink(sink)
            .runId(runId)
            .trainerId(TRAINER)
            .decisionTimeout(
                s.recoverySteps() > 0
                    ? DECISION_TIMEOUT.plus(recoveredOutcomeTimeout(s.recoverySteps()))
                    : DECISION_TIMEOUT)
            .metrics(training);
    if (s.recoverySteps() > 0
        && !plan.recovery(builder, workload, s.recoverySteps(), s.recoveryWindows())) {
      out.println(PruningPlan.NO_RECOVERY_WINDOW);
    }
    PruningListener listener = builder.build().attach();
    workload.network().addListeners(after);

    long t0 = System.nanoTime();
    try (Progress bar = Progress.start("train", s.trainedSteps(), " steps")) {
      workload.train(
          s.trainedSteps(),
          p -> {
            training.window(
                workload.network().getIterationCount(),
                p.loss(),
                p.tokens() / ((System.nanoTime() - t0) / 1e9));
            bar.stepTo(p.window());
            bar.setExtraMessage(
                String.format(
                    java.util.Locale.ROOT,
                    " %.0f tok/s, loss %.3f, ppl %.1f, kept %s",
                    p.tokens() / ((System.nanoTime() - t0) / 1e9),
                    p.loss(),
                    Math.exp(p.loss()),
                    kept(listener.masks(), plan.neurons())));
          });
    }
    listener.close();
    agentRho.put(s.checkpoints(), agentSpearman(agent, runId));
    Evaluation end = workload.evaluate(Split.VALID);
    training.validationPerplexity(end.perplexity());
    return new Trained(end, layerRows(sink), checkpointRows(sink, before, after, agentRho));
  }

  private static String kept(NeuronMasks masks, int neurons) {
    return masks == null ? neurons + "/" + neurons : (neurons - masks.pruned()) + "/" + neurons;
  }

  private List<DemoResult.LayerRow> layerRows(RecordingSink sink) {
    List<DemoResult.LayerRow> rows = new ArrayList<>();
    for (LayerSpec l : sink.layers().values()) {
      List<Integer> kept = new ArrayList<>();
      for (CheckpointEvent c : sink.checkpoints()) {
        kept.add(sink.decision(c.checkpointId()).map(d -> layer(d, l.name()).kept()).orElse(-1));
      }
      LayerRanking r = sink.ranking(l.name());
      rows.add(
          new DemoResult.LayerRow(l.name(), type(l.kind()), l.neurons(), kept, r.fused(), r.hap()));
    }
    return rows;
  }

  private List<DemoResult.CheckpointRow> checkpointRows(
      RecordingSink sink,
      CheckpointMetric before,
      CheckpointMetric after,
      Map<Integer, Rho[]> agentRho) {
    List<DemoResult.CheckpointRow> rows = new ArrayList<>();
    int k = 0;
    for (CheckpointEvent c : sink.checkpoints()) {
      k++;
      int spiking = 0;
      int analog = 0;
      Optional<DecisionEvent> d = sink.decision(c.checkpointId());
      if (d.isPresent()) {
        for (DecisionEvent.LayerDecision l : d.get().layers()) {
          if (sink.layers().get(l.layer()).kind() == LayerKind.SNN) {
            spiking += l.kept();
          } else {
            analog += l.kept();
          }
        }
      }
      int[] ablations = sink.ablations(c.checkpointId());
      Rho[] rho =
          agentRho.getOrDefault(k, new Rho[] {Rho.missing("not read"), Rho.missing("not read")});
      rows.add(
          new DemoResult.CheckpointRow(
              k,
              c.checkpointId(),
              c.header().step() + 1,
              c.plannedRemovals(),
              ablations[0],
              ablations[1],
              d.isPresent() ? spiking : -1,
              d.isPresent() ? analog : -1,
              before.at(k),
              after.at(k),
              sink.decisionWait(c.checkpointId()),
              rho[0],
              rho[1],
              d.map(DecisionEvent::reason)
                  .orElse("no decision within " + DECISION_TIMEOUT.toSeconds() + " s")));
    }
    return rows;
  }

  /** The agent's current held-out Spearman gauges {learned, hap} for the run. */
  private static Rho[] agentSpearman(PrunewireAgent agent, String runId) {
    return new Rho[] {gauge(agent, runId, "learned"), gauge(agent, runId, "hap")};
  }

  private static Rho gauge(PrunewireAgent agent, String runId, String scorer) {
    Gauge g =
        agent
            .metrics()
            .registry()
            .find("prunewire.ranking.spearman")
            .tags("run", runId, "scorer", scorer)
            .gauge();
    if (g == null || Double.isNaN(g.value())) {
      return Rho.missing("agent: fewer than 3 held-out ablations or constant scores");
    }
    return Rho.of(g.value(), 0);
  }

  private static DecisionEvent.LayerDecision layer(DecisionEvent d, String name) {
    return d.layers().stream()
        .filter(l -> l.layer().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException("decision " + d.checkpointId() + " lacks layer " + name));
  }

  private static String type(LayerKind kind) {
    return kind == LayerKind.SNN ? "spiking" : kind.name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String plannedList(PruningPlan plan) {
    List<Integer> planned = new ArrayList<>();
    for (int k = 1; k <= plan.checkpoints(); k++) {
      planned.add(plan.planned(k));
    }
    return planned.toString();
  }
}
