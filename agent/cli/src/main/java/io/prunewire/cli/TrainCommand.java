package io.prunewire.cli;

import static io.prunewire.evaluation.train.Training.QUICK_EPOCHS;
import static io.prunewire.evaluation.train.Training.QUICK_EVAL_TOKENS;
import static io.prunewire.evaluation.train.Training.QUICK_TRAIN_TOKENS;
import static io.prunewire.evaluation.train.Training.QUICK_WIDTH;

import io.prunewire.evaluation.demo.RecoveryWindows;
import io.prunewire.evaluation.train.JoinedRun;
import io.prunewire.evaluation.train.Training;
import io.prunewire.protocol.DecisionSignatures;
import io.prunewire.protocol.Topics;
import io.prunewire.trainer.kafka.KafkaTelemetrySink;
import io.prunewire.trainer.model.ModelKind;
import io.prunewire.trainer.model.Optimizer;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.model.WorkloadConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code prunewire train}: checks the flags of a PTB language model's training (HSTNN hybrid or
 * LSTM), alone or in a deployment, and runs {@link Training}.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Train a word-level Penn Treebank language model: the HSTNN hybrid RNN/SNN model or a 2-layer LSTM."
          + " SGD with (heavy-ball) momentum or Adam, learning rate halved every --lr-halving epochs, global"
          + " gradient-norm clipping, truncated BPTT with the RNN state carried through each epoch."
          + " Prints validation and test perplexity after every epoch. Defaults are the published HSTNN"
          + " settings; --quick trains a small model on a slice of the corpus.",
      "",
      "With --bootstrap-servers the trainer joins a Prunewire deployment: a PruningListener publishes"
          + " activation/gradient summaries, curvature, ablations and checkpoints to that Kafka cluster,"
          + " prunes by a cubic schedule to --target over --checkpoints checkpoints evenly spaced over the"
          + " run (fine-tuning follows the last), waits up to --decision-timeout for the agent's decision"
          + " at each, and serves the model's meters (step, training loss, tokens/s, validation perplexity, kept"
          + " neurons, held-out loss before and after each decision), its sink meters (prunewire_trainer_*,"
          + " resilience4j_circuitbreaker_*) and JVM meters on http://<--metrics-bind>:<--metrics-port>/metrics"
          + " while it trains. Kafka client properties of a secured cluster (TLS, SASL) come from --kafka-config"
          + " FILE and --kafka-property KEY=VALUE, as for prunewire agent.",
      "",
      "Examples:",
      "  prunewire train --model hybrid --quick",
      "  prunewire train --quick --bootstrap-servers 127.0.0.1:9092 --run-id r1 --metrics-port 9405",
      "  prunewire train --model lstm --rnn 200 --epochs 10 --checkpoint-dir runs/lstm",
      "  prunewire train --checkpoint-dir runs/lstm --resume --epochs 20"
    })
public final class TrainCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--model",
      description = "hybrid or lstm (default: ${DEFAULT-VALUE}).",
      defaultValue = "hybrid")
  ModelKind model;

  @Option(names = "--epochs", description = "Total epochs to reach (default: 40; --quick: 2).")
  Integer epochs;

  @Option(names = "--embedding", description = "Embedding width (default: 650; --quick: 64).")
  Integer embedding;

  @Option(
      names = "--rnn",
      description =
          "RNN-half width per hybrid layer, or the LSTM width (default: 650; --quick: 64).")
  Integer rnn;

  @Option(
      names = "--snn",
      description =
          "Spiking-half width per hybrid layer (default: 650; --quick: 64; ignored by lstm).")
  Integer snn;

  @Option(
      names = "--optimizer",
      description =
          "sgd (heavy-ball momentum, the reference) or adam (DL4J's Adam,"
              + " --momentum unused; try --lr 0.002) (default: ${DEFAULT-VALUE}).",
      defaultValue = "sgd")
  Optimizer optimizer;

  @Option(
      names = "--lr",
      description = "Initial learning rate (default: ${DEFAULT-VALUE}).",
      defaultValue = "0.5")
  double learningRate;

  @Option(
      names = "--lr-halving",
      description = "Halve the learning rate every this many epochs (default: ${DEFAULT-VALUE}).",
      defaultValue = "25")
  int lrHalving;

  @Option(
      names = "--momentum",
      description = "SGD momentum (default: ${DEFAULT-VALUE}).",
      defaultValue = "0.9")
  double momentum;

  @Option(
      names = "--clip",
      description =
          "Max global L2 norm of the per-token gradient, 0 = off (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  double clip;

  @Option(
      names = "--dropout",
      description = "Dropout probability (default: ${DEFAULT-VALUE}).",
      defaultValue = "0.5")
  double dropout;

  @Option(
      names = "--embedding-init",
      description =
          "The embedding starts uniform in +-this (default: ${DEFAULT-VALUE};"
              + " 1 leaves the hybrid model's first plateau sooner).",
      defaultValue = "0.1")
  double embeddingInit;

  @Option(
      names = "--bptt",
      description = "Truncated-BPTT window (default: ${DEFAULT-VALUE}).",
      defaultValue = "35")
  int bptt;

  @Option(
      names = "--batch",
      description = "Training batch size (default: ${DEFAULT-VALUE}).",
      defaultValue = "25")
  int batch;

  @Option(
      names = "--eval-batch",
      description = "Evaluation batch size (default: ${DEFAULT-VALUE}).",
      defaultValue = "10")
  int evalBatch;

  @Option(
      names = "--seed",
      description = "Seed for weights and dropout (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  long seed;

  @Option(
      names = "--quick",
      description =
          "Small profile: first "
              + QUICK_TRAIN_TOKENS
              + " training and "
              + QUICK_EVAL_TOKENS
              + " validation/test tokens, widths "
              + QUICK_WIDTH
              + ", "
              + QUICK_EPOCHS
              + " epochs (a few minutes on 2 cores).")
  boolean quick;

  @Option(
      names = "--checkpoint-dir",
      description =
          "Save the model (DL4J zip with updater) and workload.json here after every epoch.")
  Path checkpointDir;

  @Option(
      names = "--resume",
      description =
          "Continue from --checkpoint-dir up to --epochs (the saved configuration wins"
              + " over width/lr flags; repeat --quick if the run used it).")
  boolean resume;

  @ArgGroup(
      exclusive = false,
      heading = "%nJoining a Prunewire deployment (the other flags need --bootstrap-servers):%n")
  Deployment deployment;

  /** Flags of a trainer that publishes to the agent through Kafka. */
  static final class Deployment {
    @Option(
        names = "--bootstrap-servers",
        required = true,
        description = "Kafka bootstrap servers of the deployment.")
    String bootstrapServers;

    @Option(
        names = "--run-id",
        description = "Run id shared by the fleet's trainers (default: train-<hex epoch millis>).")
    String runId;

    @Option(
        names = "--trainer-id",
        description = "This trainer's id in the run (default: ${DEFAULT-VALUE}).",
        defaultValue = "trainer-0")
    String trainerId;

    @Option(
        names = "--fleet-size",
        description =
            "Trainers the agent waits for at each checkpoint (default: ${DEFAULT-VALUE}).",
        defaultValue = "1")
    int fleetSize;

    @Option(
        names = "--checkpoints",
        description = "Pruning checkpoints (default: ${DEFAULT-VALUE}).",
        defaultValue = "3")
    int checkpoints;

    @Option(
        names = "--target",
        description =
            "Final share of hidden neurons pruned, in (0, 1) (default: ${DEFAULT-VALUE}).",
        defaultValue = "0.5")
    double target;

    @Option(
        names = "--decision-timeout",
        description =
            "Seconds to wait for a checkpoint's decision before training on"
                + " unpruned (default: ${DEFAULT-VALUE}).",
        defaultValue = "60")
    int decisionTimeoutSeconds;

    @Option(
        names = "--recovery-steps",
        paramLabel = "N",
        description =
            "Measure each removal candidate the agent asks about (fusion outcome) after N steps of"
                + " recovery that continue from the training optimiser's state, on windows the probes"
                + " never use (--recovery-windows), so that candidates are judged by the damage"
                + " training leaves;"
                + " 0 measures the immediate damage (default: ${DEFAULT-VALUE}). A round then takes"
                + " about N/20 minutes on compare's model: raise the agent's outcome.timeout (10 s by"
                + " default) above it and --decision-timeout above the agent's barrier.timeout plus"
                + " outcome.timeout.",
        defaultValue = "0")
    int recoverySteps;

    @Option(
        names = "--recovery-windows",
        paramLabel = "test|train",
        description =
            RecoveryWindowsHelp.DESCRIPTION
                + " (default: ${DEFAULT-VALUE}; compare's during-training arm recovers 100 steps on"
                + " training windows).",
        defaultValue = "test")
    String recoveryWindows;

    @Option(
        names = "--outcome-batches",
        paramLabel = "N",
        description =
            "Measure each removal candidate on N test windows, each separately, and report the"
                + " mean with its standard error, against which the agent's outcome.margin weighs a"
                + " candidate's gain; 1 reports no standard error (default: ${DEFAULT-VALUE}). Costs"
                + " one forward pass per window and candidate.",
        defaultValue = "1")
    int outcomeBatches;

    @Option(
        names = "--metrics-port",
        description =
            "Port of this trainer's /metrics, 0 = any free port, printed"
                + " (default: ${DEFAULT-VALUE}).",
        defaultValue = "0")
    int metricsPort;

    @Option(
        names = "--metrics-bind",
        description = "Address of this trainer's /metrics (default: ${DEFAULT-VALUE}).",
        defaultValue = "127.0.0.1")
    String metricsBind;

    @ArgGroup(exclusive = false)
    KafkaClientOptions kafka;

    @Option(
        names = "--telemetry-topic",
        description =
            "Topic to publish telemetry to: the agent's telemetry.topic (default: ${DEFAULT-VALUE}).",
        defaultValue = Topics.TELEMETRY)
    String telemetryTopic;

    @Option(
        names = "--decisions-topic",
        description =
            "Topic to read decisions from: the agent's decisions.topic (default: ${DEFAULT-VALUE}).",
        defaultValue = Topics.DECISIONS)
    String decisionsTopic;

    @Option(
        names = "--decision-key",
        paramLabel = "ID=FILE",
        description =
            "Apply only decisions signed by this"
                + " Ed25519 public key (X.509 PEM, from prunewire keygen), named by its key id; repeat it to trust several"
                + " keys during a rotation. Others are refused and training goes on unpruned. Default: any decision.")
    Map<String, Path> decisionKeys = new LinkedHashMap<>();

    @Option(
        names = "--min-kept-fraction",
        description =
            "Refuse a decision that would keep fewer than this share of a"
                + " layer's neurons; at most the agent's min.kept.fraction (default: ${DEFAULT-VALUE}).",
        defaultValue = "0.01")
    double minKeptFraction;

    @Option(
        names = "--export-shrunk",
        paramLabel = "FILE",
        description =
            "After training, write the network without its pruned neurons to FILE (a DL4J model"
                + " zip, ModelSerializer.restoreMultiLayerNetwork reads it; Prunewire's jars must be on"
                + " the class path for the hybrid layer). It computes what the pruned network computes,"
                + " with fewer parameters; its updater state starts fresh.")
    Path exportShrunk;

    @Option(
        names = "--metrics-linger",
        description =
            "Seconds to keep serving /metrics after training, so that"
                + " Prometheus scrapes the final values of a short run (default: ${DEFAULT-VALUE}).",
        defaultValue = "0")
    int metricsLingerSeconds;
  }

  @Override
  public Integer call() throws InterruptedException, IOException {
    PrintWriter out = spec.commandLine().getOut();
    // Before the corpus and model load, so that a bad file fails at once.
    Map<String, String> kafkaProperties =
        deployment == null ? Map.of() : usage(() -> KafkaClientOptions.resolve(deployment.kafka));
    // A truststore that does not load would fail the Kafka clients only after the model is built.
    usage(
        () -> {
          KeyStoreCheck.check(kafkaProperties);
          return null;
        });
    if (resume
        && (checkpointDir == null
            || !Files.isRegularFile(checkpointDir.resolve("workload.json")))) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--resume needs --checkpoint-dir pointing at a directory written by a previous run (workload.json missing)");
    }
    if (resume && deployment != null) {
      // The listener counts checkpoints from the network's absolute iteration, the plan from this
      // invocation.
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--resume cannot be combined with --bootstrap-servers: a pruning run starts from step 0");
    }
    int totalEpochs = epochs != null ? epochs : quick ? QUICK_EPOCHS : 40;
    Training.run(
        new Training.Settings(
            quick,
            totalEpochs,
            checkpointDir,
            resume,
            deployment == null ? null : deployment.exportShrunk,
            deployment == null ? 0 : deployment.metricsLingerSeconds),
        this::config,
        deployment == null
            ? null
            : (workload, total) -> join(workload, total, kafkaProperties, out),
        out);
    return 0;
  }

  /** The Kafka sink of a trainer in a deployment, as its flags configure it. */
  private static KafkaTelemetrySink.Builder sink(
      Deployment d,
      Map<String, String> kafkaProperties,
      String runId,
      Optional<DecisionSignatures.Verifier> verifier) {
    KafkaTelemetrySink.Builder builder =
        KafkaTelemetrySink.builder(d.bootstrapServers, runId, d.trainerId)
            .telemetryTopic(d.telemetryTopic)
            .decisionsTopic(d.decisionsTopic);
    kafkaProperties.forEach(builder::clientProperty);
    verifier.ifPresent(builder::decisionVerifier);
    return builder;
  }

  /**
   * Checks the deployment flags, then connects to the deployment and attaches a pruning listener
   * whose plan spans the remaining epochs ({@link JoinedRun}).
   */
  private JoinedRun join(
      Workload workload, int totalEpochs, Map<String, String> kafkaProperties, PrintWriter out) {
    Deployment d = deployment;
    if (d.checkpoints < 1
        || !(d.target > 0 && d.target < 1)
        || d.fleetSize < 1
        || d.decisionTimeoutSeconds < 1
        || d.metricsLingerSeconds < 0
        || d.recoverySteps < 0
        || d.outcomeBatches < 1
        || !(d.minKeptFraction >= 0 && d.minKeptFraction < 1)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--checkpoints, --fleet-size, --decision-timeout and --outcome-batches must be >= 1,"
              + " --metrics-linger and --recovery-steps >= 0, --target in (0, 1) and"
              + " --min-kept-fraction in [0, 1), got "
              + d.checkpoints
              + ", "
              + d.fleetSize
              + ", "
              + d.decisionTimeoutSeconds
              + ", "
              + d.outcomeBatches
              + ", "
              + d.metricsLingerSeconds
              + ", "
              + d.recoverySteps
              + ", "
              + d.target
              + " and "
              + d.minKeptFraction);
    }
    String runId =
        d.runId != null ? d.runId : "train-" + Long.toHexString(System.currentTimeMillis());
    Optional<DecisionSignatures.Verifier> verifier =
        d.decisionKeys.isEmpty()
            ? Optional.empty()
            : Optional.of(
                usage(
                    () -> {
                      try {
                        return DecisionSignatures.Verifier.load(d.decisionKeys);
                      } catch (java.io.IOException e) {
                        throw new IllegalArgumentException(
                            "--decision-key: cannot read " + e.getMessage(), e);
                      }
                    }));
    JoinedRun.Settings settings =
        usage(
            () ->
                new JoinedRun.Settings(
                    d.bootstrapServers,
                    runId,
                    d.trainerId,
                    d.fleetSize,
                    d.checkpoints,
                    d.target,
                    Duration.ofSeconds(d.decisionTimeoutSeconds),
                    d.minKeptFraction,
                    d.recoverySteps,
                    RecoveryWindows.parse(d.recoveryWindows),
                    d.outcomeBatches,
                    d.metricsBind,
                    d.metricsPort));
    return usage(
        () ->
            JoinedRun.start(
                workload, totalEpochs, settings, sink(d, kafkaProperties, runId, verifier), out));
  }

  /** Runs {@code step}, reporting bad user input it rejects as a usage error. */
  private <T> T usage(Supplier<T> step) {
    try {
      return step.get();
    } catch (IllegalArgumentException e) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }

  /** The configuration of a new workload over a corpus of {@code vocabulary} words. */
  private WorkloadConfig config(int vocabulary) {
    int width = quick ? QUICK_WIDTH : 650;
    return WorkloadConfig.builder()
        .model(model)
        .vocabulary(vocabulary)
        .embedding(embedding != null ? embedding : width)
        .rnn(rnn != null ? rnn : width)
        .snn(model == ModelKind.LSTM ? 0 : snn != null ? snn : width)
        .optimizer(optimizer)
        .learningRate(learningRate)
        .lrHalvingEpochs(lrHalving)
        .momentum(momentum)
        .clip(clip)
        .dropout(dropout)
        .embeddingInit(embeddingInit)
        .bptt(bptt)
        .batch(batch)
        .evalBatch(evalBatch)
        .seed(seed)
        .build();
  }
}
