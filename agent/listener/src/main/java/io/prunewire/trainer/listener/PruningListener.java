package io.prunewire.trainer.listener;

import io.prunewire.protocol.AblationEvent;
import io.prunewire.protocol.ActivationSummaryEvent;
import io.prunewire.protocol.CheckpointEvent;
import io.prunewire.protocol.CurvatureEvent;
import io.prunewire.protocol.DecisionAck;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.DecisionRefusal;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.GradientSummaryEvent;
import io.prunewire.protocol.Header;
import io.prunewire.protocol.LayerKind;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.protocol.RefusalReason;
import io.prunewire.protocol.RemovalCandidates;
import io.prunewire.protocol.RemovalOutcome;
import io.prunewire.protocol.RunStarted;
import io.prunewire.protocol.WeightStatisticsEvent;
import io.prunewire.scorers.stats.ActivationSummary;
import io.prunewire.scorers.stats.CurvatureSummary;
import io.prunewire.scorers.stats.WeightStatistics;
import io.prunewire.trainer.gate.GateObserver;
import io.prunewire.trainer.mask.LayerOwnership;
import io.prunewire.trainer.mask.MaskApplier;
import io.prunewire.trainer.mask.NeuronMasks;
import io.prunewire.trainer.network.LayerAdapter;
import io.prunewire.trainer.network.LayerGradients;
import io.prunewire.trainer.network.NeuronKind;
import io.prunewire.trainer.network.PrunableLayer;
import io.prunewire.trainer.network.PrunableLayers;
import io.prunewire.trainer.network.TrainedNetwork;
import io.prunewire.trainer.probe.AblationProbe;
import io.prunewire.trainer.probe.BatchMean;
import io.prunewire.trainer.probe.CurvatureSamples;
import io.prunewire.trainer.probe.HutchinsonProbe;
import io.prunewire.trainer.probe.LayerCoordinates;
import io.prunewire.trainer.probe.ProbeEvaluator;
import io.prunewire.trainer.probe.RecoveredAblation;
import io.prunewire.trainer.telemetry.TelemetrySink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.IntUnaryOperator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.adapter.MultiDataSetIteratorAdapter;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.MultiDataSetIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a training loop into a Prunewire trainer: a reference workload's ({@link
 * #builder(PrunedNetwork)}) or any DL4J {@link MultiLayerNetwork}'s or {@link ComputationGraph}'s
 * ({@link #forNetwork(MultiLayerNetwork)}, {@link #forNetwork(ComputationGraph)}; layers found and
 * owned by {@link io.prunewire.trainer.network.LayerAdapter}s). All go through one code path; they
 * differ only in how activations and gradients are seen ({@link PrunedNetwork}): a workload's gate
 * layers call {@link #backward} inside DL4J's own pass, a plain network or graph gets one extra
 * pass per sampled iteration ({@link TrainedNetwork#pass}). {@link #attach()} installs it as the
 * gate observer (where there are gates) and as a training listener; the loop itself does not
 * change.
 *
 * <ul>
 *   <li>Every {@code sampleEvery} iterations it copies each prunable layer's activations and
 *       gradients inside the gate's backward pass and reduces them to per-neuron summaries on a
 *       second background thread, in order (activation moments, counts, histogram, co-activation;
 *       gradient moments and signs; the gate gradient {@code z = Σ a·∂L/∂a} for Taylor and Fisher);
 *       every {@code publishEvery} iterations it waits for that thread and publishes them. The
 *       training thread pays for the copies only.
 *   <li>Every {@code weightStatisticsEvery} iterations (default: with the summaries) it copies the
 *       parameters and computes each layer's {@link WeightStatistics} on one background thread: the
 *       exact effective-rank drop costs {@code O(m³)} and takes seconds at widths of hundreds of
 *       neurons, which must not stall training. The finished events are published from the training
 *       thread at the next callback, so the sink only ever sees the training thread. At most one
 *       computation runs; a newer snapshot replaces one still queued (latest wins, counted by
 *       {@link #weightSnapshotsReplaced()}). A computation that throws fails the next callback with
 *       an {@link IllegalStateException} naming the layer and step, as the same exception would
 *       have inside the callback.
 *   <li>Every {@code curvatureEvery} iterations it publishes Hutchinson samples from the probe
 *       batch.
 *   <li>Every {@code checkpointEvery} iterations it measures ablations, waits (at most {@code
 *       weightStatisticsWait}) for weight statistics still being computed and publishes them,
 *       publishes a checkpoint, waits for the decision, applies its masks (zeroing owned parameters
 *       after every update and masking the gates), and acknowledges with the mask hash. With {@link
 *       Builder#metrics} it reports the kept neurons and the probe batch's loss right before and
 *       after the masks ({@link TrainingMetrics}). With a probe batch the listener speaks protocol
 *       v2 ({@code RunStarted} with version byte 2): if the agent answers the checkpoint with
 *       removal candidates first, it measures those assigned to it on the probe batch and publishes
 *       their outcomes, then waits on for the decision.
 * </ul>
 *
 * <p>{@link #close()} publishes the last weight statistics and stops the background thread.
 */
public final class PruningListener extends BaseTrainingListener
    implements GateObserver, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PruningListener.class);

  private final PrunedNetwork target;
  private final TrainedNetwork network;
  private final TelemetrySink sink;
  private final String runId;
  private final String trainerId;
  private final int fleetSize;
  private final int sampleEvery;
  private final int publishEvery;
  private final int curvatureEvery;
  private final int checkpointEvery;
  private final IntUnaryOperator removalsPerCheckpoint;
  private final Duration decisionTimeout;
  private final HutchinsonProbe hutchinson;
  private final AblationProbe ablation;
  private final ProbeEvaluator evaluator;
  private final int weightStatisticsEvery;
  private final Duration weightStatisticsWait;
  private final BiFunction<WeightSnapshot, float[], WeightStatistics> statistics;

  /** Where kept neurons and each decision's held-out loss go; null when nobody watches. */
  private final TrainingMetrics metrics;

  /**
   * Computes weight statistics off the training thread; null when they are off or computed inline.
   */
  private final LatestWinsWorker<ParameterSnapshot, List<WeightStatisticsEvent>> weightWorker;

  private final List<LayerStream> streams = new ArrayList<>();
  private final InOrderWorker reducer;
  private final Map<Integer, List<LayerStream>> byGate = new HashMap<>();
  private final List<LayerCoordinates> incoming = new ArrayList<>();
  private final List<LayerOwnership> ownership = new ArrayList<>();
  private final List<WeightSnapshot> snapshots = new ArrayList<>();
  private final MaskApplier masks;
  private final DecisionCheck decisionCheck;
  private int windowStart;
  private int curvatureStart;
  private int weightsStart;
  private boolean started;
  private boolean closed;

  /** True when gates call {@link #backward}; false when the listener takes a pass itself. */
  private boolean gated;

  /** The batch of the sampled iteration in progress, for {@link #observePass}; else null. */
  private DataSet sampledBatch;

  /**
   * The flattened parameters at {@code step}, {@code window} iterations after the previous
   * snapshot.
   */
  private record ParameterSnapshot(int step, int window, float[] params) {}

  /** Measures candidates after a short recovery, or null to measure immediately. */
  private final RecoveredAblation recovery;

  /** One evaluator per recovery batch (disjoint from the probe batches); empty without recovery. */
  private final List<ProbeEvaluator> recoveryEvaluators;

  /** One per batch that removal candidates are measured on. */
  private final List<ProbeEvaluator> outcomeEvaluators;

  /**
   * Negative: recovery from fresh Adam moments; else it continues from the training optimiser's
   * Adam state, gradients clipped to this global norm (0: unclipped).
   */
  private final double recoveryClipNorm;

  private PruningListener(Builder b) {
    this.target = b.target();
    this.network = target.network();
    this.sink = Objects.requireNonNull(b.sink, "sink");
    this.runId = Objects.requireNonNull(b.runId, "runId");
    this.trainerId = b.trainerId;
    this.fleetSize = b.fleetSize;
    this.sampleEvery = b.sampleEvery;
    this.publishEvery = b.publishEvery;
    this.curvatureEvery = b.curvatureEvery;
    this.checkpointEvery = b.checkpointEvery;
    this.removalsPerCheckpoint = b.removalsPerCheckpoint;
    this.decisionTimeout = b.decisionTimeout;
    this.hutchinson = b.hutchinson;
    this.ablation = b.ablation;
    this.weightStatisticsEvery =
        !b.weightStatistics
            ? 0
            : b.weightStatisticsEvery > 0 ? b.weightStatisticsEvery : b.publishEvery;
    this.weightStatisticsWait = b.weightStatisticsWait;
    this.statistics = b.statistics;
    this.metrics = b.metrics;
    if ((curvatureEvery > 0 || checkpointEvery > 0) && b.heldOut.isEmpty()) {
      throw new IllegalArgumentException("curvature and checkpoints need a probeBatch (heldOut)");
    }
    this.evaluator = b.heldOut.isEmpty() ? null : target.evaluator(b.heldOut);
    this.outcomeEvaluators =
        (b.outcomeBatches.isEmpty() ? b.heldOut : b.outcomeBatches)
            .stream().map(d -> target.evaluator(List.of(d))).toList();
    if (b.recoverySteps > 0) {
      if (b.recoveryBatches.isEmpty()) {
        throw new IllegalArgumentException(
            "outcomeRecoverySteps needs recovery batches disjoint from the probe batches");
      }
      this.recovery = new RecoveredAblation(b.recoverySteps, b.recoveryLearningRate);
      this.recoveryClipNorm = b.recoveryClipNorm;
      this.recoveryEvaluators =
          b.recoveryBatches.stream().map(d -> target.evaluator(List.of(d))).toList();
    } else {
      this.recovery = null;
      this.recoveryClipNorm = -1;
      this.recoveryEvaluators = List.of();
    }
    for (PrunableLayer layer : target.layers()) {
      ActivationSummary.Spec spec =
          layer.kind() == NeuronKind.LSTM
              ? b.spec.withHistogram(-1, 1, b.spec.histogramBins())
              : b.spec;
      LayerStream s = new LayerStream(layer, spec);
      streams.add(s);
      byGate.computeIfAbsent(layer.gateLayer(), k -> new ArrayList<>()).add(s);
      LayerCoordinates in = LayerCoordinates.of(network.model(), layer);
      LayerOwnership own = LayerOwnership.of(network.model(), layer);
      incoming.add(in);
      ownership.add(own);
      snapshots.add(new WeightSnapshot(in, own));
    }
    this.masks = new MaskApplier(network.model(), ownership);
    Map<String, Integer> layerSizes = new LinkedHashMap<>();
    ownership.forEach(o -> layerSizes.put(o.layer(), o.neurons()));
    this.decisionCheck = new DecisionCheck(runId, layerSizes, b.minKeptFraction);
    this.weightWorker =
        weightStatisticsEvery == 0 || b.weightStatisticsOnTrainingThread
            ? null
            : new LatestWinsWorker<>(
                "prunewire-weight-statistics-" + runId, this::weightStatisticsEvents);
    // Two sampled steps of every layer may wait: enough to overlap a reduction with the next step,
    // bounded so that a slow worker slows training rather than filling the heap.
    this.reducer = new InOrderWorker("prunewire-summaries-" + runId, 2 * streams.size());
  }

  /**
   * A listener for {@code network}, one particular network with its own prunable table (e.g. a
   * reference workload with gate layers); set at least {@code sink} and {@code runId}.
   */
  public static Builder builder(PrunedNetwork network) {
    Objects.requireNonNull(network, "network");
    return new Builder(network.network(), network);
  }

  /**
   * A listener for any initialised {@link MultiLayerNetwork} whose layers an adapter handles (see
   * {@link io.prunewire.trainer.network.PrunableLayers}); set at least {@code sink} and {@code
   * runId}, and {@code heldOut} for curvature and checkpoints. Every sampled iteration costs one
   * more forward and backward pass over that iteration's batch ({@link LayerGradients}).
   */
  public static Builder forNetwork(MultiLayerNetwork net) {
    Objects.requireNonNull(net, "net");
    requireInitialised(net);
    return new Builder(TrainedNetwork.of(net), null);
  }

  /**
   * A listener for any initialised {@link ComputationGraph} with one input and one output: its
   * layer vertices that an adapter handles and that only layers read ({@link
   * PrunableLayers#find(ComputationGraph, List, PrunableLayers.Selection)}), or those named with
   * {@link Builder#layers(String...)} (vertex names). As for a network, every sampled iteration
   * costs one more forward and backward pass.
   *
   * @throws IllegalArgumentException if the graph has several inputs or outputs, naming them
   */
  public static Builder forNetwork(ComputationGraph graph) {
    Objects.requireNonNull(graph, "graph");
    requireInitialised(graph);
    return new Builder(TrainedNetwork.of(graph), null);
  }

  private static void requireInitialised(Model net) {
    if (net.params() == null) {
      throw new IllegalArgumentException("call init() before attaching a PruningListener");
    }
  }

  /**
   * Installs this listener on every gate (if the network has gates) and as a training listener, and
   * announces the run.
   */
  public PruningListener attach() {
    gated = target.observeGates(this);
    network.model().addListeners(this);
    start();
    return this;
  }

  /** The masks in force, or {@code null} before the first decision. */
  public NeuronMasks masks() {
    return masks.masks();
  }

  /**
   * Weight snapshots dropped unprocessed because a newer one arrived while the background thread
   * was still busy with an earlier one (0 when statistics are computed on the training thread).
   */
  public long weightSnapshotsReplaced() {
    return weightWorker == null ? 0 : weightWorker.replaced();
  }

  /**
   * Waits up to {@code timeout} for weight statistics still being computed and publishes every
   * finished one; call it on the training thread (the sink is not shared with the worker).
   *
   * @return false if a computation was still queued or running when the time was up
   * @throws IllegalStateException if a computation failed (naming the layer and step)
   */
  public boolean awaitWeightStatistics(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (weightWorker == null) {
      return true;
    }
    boolean idle;
    try {
      idle = weightWorker.awaitIdle(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "run " + runId + ": interrupted while waiting for weight statistics", e);
    }
    publishFinishedWeightStatistics();
    return idle;
  }

  /**
   * Publishes weight statistics still being computed (waiting at most {@code weightStatisticsWait})
   * and stops the background thread; call it on the training thread when training ends. Later
   * weight snapshots fail. Omitting it leaks nothing but the last snapshot's statistics: the thread
   * is a daemon that idles until the JVM exits.
   *
   * @throws IllegalStateException if a computation failed (the thread is stopped all the same)
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    try {
      if (!awaitWeightStatistics(weightStatisticsWait)) {
        LOG.warn(
            "run {}: weight statistics still being computed after {} at close; they are dropped",
            runId,
            weightStatisticsWait);
      }
    } finally {
      closed = true;
      if (weightWorker != null) {
        weightWorker.close();
      }
      reducer.close();
    }
  }

  /**
   * A listener added with {@code addListeners} alone would never announce its run and would take a
   * gated network for one without gates (an extra pass every sampled step): refuse at once.
   */
  private void requireAttached() {
    if (!started) {
      throw new IllegalStateException(
          "run "
              + runId
              + ": the PruningListener was added with addListeners(...) but not attached; call"
              + " listener.attach() instead, which installs it on the network's gates and as a"
              + " training listener and announces the run");
    }
  }

  private void start() {
    if (started) {
      return;
    }
    started = true;
    List<LayerSpec> specs = new ArrayList<>();
    for (LayerStream s : streams) {
      PrunableLayer l = s.layer();
      specs.add(
          new LayerSpec(
              l.name(),
              LayerKind.valueOf(l.kind().name()),
              l.neurons(),
              Math.toIntExact(l.fanIn()),
              l.slices().toString()));
    }
    int step = network.iterationCount();
    windowStart = step;
    curvatureStart = step;
    weightsStart = step;
    // A listener with a probe batch measures the agent's removal candidates: protocol v2.
    sink.publish(
        new RunStarted(
            header(step), fleetSize, specs, evaluator == null ? Event.VERSION_1 : Event.VERSION_2));
    if (metrics != null) {
      for (LayerStream s : streams) {
        metrics.neuronsKept(s.layer().name(), type(s.layer()), s.layer().neurons());
      }
    }
  }

  private static String type(PrunableLayer layer) {
    return layer.kind().name().toLowerCase(Locale.ROOT);
  }

  @Override
  public void forward(int layerIndex, INDArray activations, boolean training) {
    // Everything is taken in backward, which sees the same activations with their gradients.
  }

  @Override
  public void backward(
      int layerIndex, INDArray activations, INDArray epsilon, INDArray gateGradient) {
    if (network.iterationCount() % sampleEvery != 0) {
      return;
    }
    List<LayerStream> group = byGate.get(layerIndex);
    if (group != null) {
      requireOpen();
      for (LayerStream s : group) {
        s.observe(activations, epsilon, gateGradient, null, reducer);
      }
    }
  }

  /**
   * Remembers the batch of a sampled iteration for {@link #observePass}: a graph forgets its labels
   * before {@code iterationDone}.
   */
  @Override
  public void onBackwardPass(Model model) {
    requireAttached();
    if (!gated && network.iterationCount() % sampleEvery == 0) {
      sampledBatch = network.trainingBatch().orElse(null);
    }
  }

  /**
   * Takes this iteration's activations and gradients for a network without gates: a pass of its own
   * over the batch just trained on, after the update and the masks, so pruned neurons show.
   */
  private void observePass() {
    DataSet batch = sampledBatch;
    sampledBatch = null;
    if (batch == null) {
      LOG.debug("run {}: no batch to observe at iteration {}", runId, network.iterationCount());
      return;
    }
    requireOpen();
    LayerGradients pass = network.pass(batch, byGate.keySet());
    // padded time steps: those the features mask marks, else (a network that did not keep it) the
    // labels mask's
    INDArray steps =
        batch.getFeaturesMaskArray() != null
            ? batch.getFeaturesMaskArray()
            : batch.getLabelsMaskArray();
    byGate.forEach(
        (layer, group) -> {
          INDArray a = pass.activations().get(layer);
          INDArray eps = pass.gradients().get(layer);
          // z_i = Σ_{batch,time} a_i·∂L/∂a_i, what a gate's gradient would be; ε is 0 at padded
          // time steps, which the masks in force during the pass exclude from the loss
          INDArray z =
              a.mul(eps)
                  .sum(a.rank() == 3 ? new int[] {0, 2} : new int[] {0})
                  .reshape(1, a.size(1));
          for (LayerStream s : group) {
            s.observe(a, eps, z, steps, reducer);
          }
        });
  }

  @Override
  public void iterationDone(Model model, int iteration, int epoch) {
    requireAttached();
    masks.rezero();
    if (!gated && iteration % sampleEvery == 0) {
      observePass();
    }
    publishFinishedWeightStatistics();
    int done = iteration + 1;
    if (done % publishEvery == 0) {
      publishSummaries(iteration, done - windowStart);
      windowStart = done;
    }
    if (weightStatisticsEvery > 0 && done % weightStatisticsEvery == 0) {
      snapshotWeights(iteration, done - weightsStart);
      weightsStart = done;
    }
    if (curvatureEvery > 0 && done % curvatureEvery == 0) {
      publishCurvature(iteration, done - curvatureStart);
      curvatureStart = done;
    }
    if (checkpointEvery > 0 && done % checkpointEvery == 0) {
      checkpoint(iteration, "step-" + done);
    }
  }

  private void publishSummaries(int step, int window) {
    reducer.drain();
    for (LayerStream s : streams) {
      if (s.hasSamples()) {
        String name = s.layer().name();
        sink.publish(new ActivationSummaryEvent(header(step), name, window, s.activations()));
        sink.publish(new GradientSummaryEvent(header(step), name, window, s.gradients()));
        s.reset();
      }
    }
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException(
          "run " + runId + ": the PruningListener is closed; detach it before training on");
    }
  }

  /**
   * Copies the parameters (one bulk copy; the statistics need every layer's incoming and outgoing
   * weights, most of the network) and computes their statistics inline or hands them to the worker.
   */
  private void snapshotWeights(int step, int window) {
    requireOpen();
    ParameterSnapshot snapshot =
        new ParameterSnapshot(step, window, network.model().params().toFloatVector());
    if (weightWorker == null) {
      weightStatisticsEvents(snapshot).forEach(sink::publish);
    } else if (weightWorker.submit(snapshot)) {
      LOG.debug(
          "run {}: weight snapshot of step {} replaced one still queued ({} replaced so far)",
          runId,
          step,
          weightWorker.replaced());
    }
  }

  /** Every layer's statistics of one snapshot; runs on the worker unless computed inline. */
  private List<WeightStatisticsEvent> weightStatisticsEvents(ParameterSnapshot snapshot) {
    List<WeightStatisticsEvent> events = new ArrayList<>(streams.size());
    for (int l = 0; l < streams.size(); l++) {
      String name = streams.get(l).layer().name();
      try {
        WeightStatistics stats = statistics.apply(snapshots.get(l), snapshot.params());
        events.add(
            new WeightStatisticsEvent(header(snapshot.step()), name, snapshot.window(), stats));
      } catch (RuntimeException e) {
        throw new IllegalStateException(
            "run "
                + runId
                + ": weight statistics of layer "
                + name
                + " at step "
                + snapshot.step()
                + " failed: "
                + e.getMessage(),
            e);
      }
    }
    return events;
  }

  /** Publishes what the worker finished, on the training thread; rethrows a failed computation. */
  private void publishFinishedWeightStatistics() {
    if (weightWorker != null) {
      for (List<WeightStatisticsEvent> events : weightWorker.takeFinished()) {
        events.forEach(sink::publish);
      }
    }
  }

  private void publishCurvature(int step, int window) {
    List<CurvatureSamples> samples = hutchinson.sample(evaluator, incoming, step);
    for (CurvatureSamples s : samples) {
      CurvatureSummary summary = CurvatureSummary.empty(s.samples()[0].length);
      for (double[] probe : s.samples()) {
        summary.addProbe(probe);
      }
      sink.publish(new CurvatureEvent(header(step), s.layer(), window, summary));
    }
  }

  private void checkpoint(int step, String checkpointId) {
    int planned = removalsPerCheckpoint.applyAsInt((step + 1) / checkpointEvery);
    if (planned < 0) {
      throw new IllegalStateException(
          "planned removals at " + checkpointId + " must be >= 0, got " + planned);
    }
    List<AblationEvent.Measurement> measured =
        ablation.measure(evaluator, ownership, masks.masks(), planned, step);
    if (!measured.isEmpty()) {
      sink.publish(new AblationEvent(header(step), checkpointId, measured));
    }
    // The agent should decide with weights no older than the last snapshot, but not at any price.
    if (!awaitWeightStatistics(weightStatisticsWait)) {
      LOG.warn(
          "run {}: weight statistics still being computed after {} at checkpoint {}; the agent decides with"
              + " older ones",
          runId,
          weightStatisticsWait,
          checkpointId);
    }
    sink.publish(new CheckpointEvent(header(step), checkpointId, planned));
    sink.flush();
    Optional<DecisionEvent> decision;
    try {
      long deadline = System.nanoTime() + decisionTimeout.toNanos();
      Optional<Event> first = sink.awaitCandidatesOrDecision(runId, checkpointId, decisionTimeout);
      if (first.isPresent() && first.get() instanceof RemovalCandidates candidates) {
        try {
          measure(step, candidates);
        } catch (RuntimeException e) {
          // candidates this trainer cannot measure (a layer or neuron it does not have) must not
          // stop training
          LOG.warn(
              "run {}: cannot measure the removal candidates of checkpoint {}: {}; waiting for the decision",
              runId,
              checkpointId,
              e.getMessage());
        }
        decision =
            sink.awaitDecision(
                runId, checkpointId, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      } else {
        decision = first.map(DecisionEvent.class::cast);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(
          "interrupted while waiting for the decision of " + checkpointId, e);
    }
    if (decision.isEmpty()) {
      LOG.warn(
          "run {}: no decision for checkpoint {} within {}; training on unchanged",
          runId,
          checkpointId,
          decisionTimeout);
      return;
    }
    Optional<DecisionCheck.Refusal> refusal =
        decisionCheck.check(decision.get(), checkpointId, masks.masks());
    if (refusal.isPresent()) {
      refuse(step, checkpointId, refusal.get());
      return;
    }
    double lossBefore = metrics == null ? Double.NaN : evaluator.loss();
    NeuronMasks applied;
    try {
      applied = masks.apply(NeuronMasks.of(decision.get()));
    } catch (IllegalArgumentException e) {
      refuse(
          step,
          checkpointId,
          new DecisionCheck.Refusal(RefusalReason.INAPPLICABLE, e.getMessage()));
      return;
    }
    target.maskForward(applied);
    sink.publish(new DecisionAck(header(step), checkpointId, applied.hash()));
    if (metrics != null) {
      reportApplied(applied, lossBefore);
    }
  }

  /** Kept neurons per layer and the held-out loss before and after the masks just applied. */
  private void reportApplied(NeuronMasks applied, double lossBefore) {
    for (LayerStream s : streams) {
      String name = s.layer().name();
      if (applied.layers().contains(name)) {
        int kept = 0;
        for (boolean k : applied.keep(name)) {
          kept += k ? 1 : 0;
        }
        metrics.neuronsKept(name, type(s.layer()), kept);
      }
    }
    metrics.decisionApplied(lossBefore, evaluator.loss());
  }

  /** Trains on with the masks in force and tells the agent (and whoever reads telemetry) why. */
  private void refuse(int step, String checkpointId, DecisionCheck.Refusal refusal) {
    LOG.warn(
        "run {}: refused the decision of checkpoint {} ({}): {}; training on unchanged",
        runId,
        checkpointId,
        refusal.reason().code(),
        refusal.detail());
    sink.publish(
        new DecisionRefusal(
            header(step),
            checkpointId,
            refusal.reason().code(),
            DecisionRefusal.truncated(refusal.detail())));
  }

  /**
   * Measures the candidates the agent assigned to this trainer — each a masked forward pass on
   * every outcome batch with every parameter the removed neurons own zeroed (after the recovery, if
   * one is set), the network restored exactly afterwards (nothing is applied) — and publishes one
   * {@link RemovalOutcome} each: the mean Δloss over the batches and its standard error.
   */
  private void measure(int step, RemovalCandidates candidates) {
    List<RemovalCandidates.Candidate> mine = candidates.assignedTo(trainerId);
    if (mine.isEmpty()) {
      return;
    }
    List<List<int[]>> removals = new ArrayList<>();
    for (RemovalCandidates.Candidate c : mine) {
      List<int[]> pairs = new ArrayList<>();
      for (AblationEvent.Removal r : c.removed()) {
        int layer = layerIndex(r.layer());
        for (int n : r.neurons()) {
          pairs.add(new int[] {layer, n});
        }
      }
      removals.add(pairs);
    }
    long t0 = System.nanoTime();
    RecoveredAblation.Continuation from =
        recovery == null || recoveryClipNorm < 0
            ? null
            : RecoveredAblation.trainingState(network.model(), recoveryClipNorm);
    double[][] deltas =
        recovery == null
            ? AblationProbe.deltaLosses(outcomeEvaluators, ownership, removals, () -> {})
            : recovery.deltaLosses(
                outcomeEvaluators,
                recoveryEvaluators,
                ownership,
                removals,
                masks.prunedParameters(),
                from);
    if (recovery != null) {
      LOG.info(
          "run {}: checkpoint {} round {}: {} candidates measured after {} recovery steps ({}) in"
              + " {} s",
          runId,
          candidates.checkpointId(),
          candidates.round(),
          mine.size(),
          recovery.steps(),
          from == null
              ? "fresh Adam"
              : String.format(
                  Locale.ROOT,
                  "training's Adam state, lr %.2e, clip %.1f",
                  from.learningRate(),
                  from.clipNorm()),
          String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9));
    }
    for (int k = 0; k < mine.size(); k++) {
      BatchMean outcome = BatchMean.of(deltas[k]);
      sink.publish(
          new RemovalOutcome(
              header(step),
              candidates.checkpointId(),
              candidates.round(),
              mine.get(k).id(),
              outcome.mean(),
              outcome.batches(),
              outcome.stdErr()));
    }
    sink.flush();
  }

  private int layerIndex(String layer) {
    for (int l = 0; l < ownership.size(); l++) {
      if (ownership.get(l).layer().equals(layer)) {
        return l;
      }
    }
    throw new IllegalArgumentException(
        "removal candidates name layer '" + layer + "', which this trainer does not" + " have");
  }

  private Header header(long step) {
    return new Header(runId, trainerId, step, System.currentTimeMillis());
  }

  /** Settings of a {@link PruningListener}. */
  public static final class Builder {
    private final TrainedNetwork network;

    /** The network with its own prunable table; null for one the adapters discover. */
    private final PrunedNetwork fixed;

    private final List<LayerAdapter> adapters = new ArrayList<>();
    private PrunableLayers.Selection selection = PrunableLayers.Selection.ALL;
    private List<DataSet> heldOut = List.of();
    private List<DataSet> outcomeBatches = List.of();
    private TelemetrySink sink;
    private String runId;
    private String trainerId = "trainer-0";
    private int fleetSize = 1;
    private int sampleEvery = 10;
    private int publishEvery = 100;
    private int curvatureEvery;
    private int checkpointEvery;
    private IntUnaryOperator removalsPerCheckpoint = k -> 0;
    private Duration decisionTimeout = Duration.ofSeconds(30);
    private double minKeptFraction = 0.01;
    private HutchinsonProbe hutchinson = HutchinsonProbe.builder().build();
    private AblationProbe ablation = AblationProbe.builder().build();
    private ActivationSummary.Spec spec = ActivationSummary.Spec.DEFAULT;
    private boolean weightStatistics = true;
    private int weightStatisticsEvery;
    private Duration weightStatisticsWait = Duration.ofSeconds(60);
    private boolean weightStatisticsOnTrainingThread;
    private BiFunction<WeightSnapshot, float[], WeightStatistics> statistics = WeightSnapshot::of;
    private TrainingMetrics metrics;
    private int recoverySteps;
    private double recoveryLearningRate = 0.002;
    private List<DataSet> recoveryBatches = List.of();
    private double recoveryClipNorm = -1;

    private Builder(TrainedNetwork network, PrunedNetwork fixed) {
      this.network = network;
      this.fixed = fixed;
    }

    /**
     * Prune only the layers named (DL4J layer names, {@code layer<index>} unless set; a graph's
     * vertex names); default: every layer but the output layer that an adapter handles.
     */
    public Builder layers(String... names) {
      requireNetwork("layers");
      this.selection = PrunableLayers.Selection.names(names);
      return this;
    }

    /** Prune only the layers at these network indices (not for a graph: name its vertices). */
    public Builder layers(int... indices) {
      requireNetwork("layers");
      this.selection = PrunableLayers.Selection.indices(indices);
      return this;
    }

    /**
     * Registers an adapter for a layer type the built-in ones do not handle; asked before them, in
     * the order registered.
     */
    public Builder adapter(LayerAdapter adapter) {
      requireNetwork("adapter");
      this.adapters.add(Objects.requireNonNull(adapter, "adapter"));
      return this;
    }

    /** The held-out batch for curvature and ablation probes; same as {@link #probeBatch}. */
    public Builder heldOut(DataSet batch) {
      return probeBatch(batch);
    }

    /**
     * Held-out batches for curvature and ablation probes: every batch of {@code batches} (reset
     * first when it can be), read once now; probes average over them, so keep it small.
     */
    public Builder heldOut(DataSetIterator batches) {
      return heldOut(new MultiDataSetIteratorAdapter(Objects.requireNonNull(batches, "batches")));
    }

    /**
     * Held-out batches of a graph's data, as {@link #heldOut(DataSetIterator)}; each must hold one
     * features array and one labels array (with their masks, if any).
     */
    public Builder heldOut(MultiDataSetIterator batches) {
      Objects.requireNonNull(batches, "batches");
      if (batches.resetSupported()) {
        batches.reset();
      }
      List<DataSet> all = new ArrayList<>();
      while (batches.hasNext()) {
        MultiDataSet m = batches.next();
        if (m.numFeatureArrays() != 1 || m.numLabelsArrays() != 1) {
          throw new IllegalArgumentException(
              "heldOut: a batch has "
                  + m.numFeatureArrays()
                  + " features arrays and "
                  + m.numLabelsArrays()
                  + " labels arrays; one of each is supported (graphs with one input and one"
                  + " output)");
        }
        all.add(
            new DataSet(
                m.getFeatures(0),
                m.getLabels(0),
                m.getFeaturesMaskArray(0),
                m.getLabelsMaskArray(0)));
      }
      if (all.isEmpty()) {
        throw new IllegalArgumentException("heldOut: the iterator has no batch");
      }
      this.heldOut = List.copyOf(all);
      return this;
    }

    private void requireNetwork(String setting) {
      if (fixed != null) {
        throw new IllegalStateException(
            setting
                + ": this network's prunable layers are fixed (builder); use forNetwork to let"
                + " the adapters find them");
      }
    }

    /** The network as the listener sees it: the one given, or discovered by the adapters. */
    private PrunedNetwork target() {
      if (fixed != null) {
        return fixed;
      }
      List<LayerAdapter> all = new ArrayList<>(adapters);
      all.addAll(PrunableLayers.builtIn());
      return new UserNetwork(network, network.prunableLayers(all, selection));
    }

    public Builder sink(TelemetrySink sink) {
      this.sink = Objects.requireNonNull(sink, "sink");
      return this;
    }

    public Builder runId(String runId) {
      this.runId = Objects.requireNonNull(runId, "runId");
      return this;
    }

    public Builder trainerId(String trainerId) {
      this.trainerId = Objects.requireNonNull(trainerId, "trainerId");
      return this;
    }

    /** Trainers of the run (data-parallel replicas), default 1. */
    public Builder fleetSize(int fleetSize) {
      this.fleetSize = positive("fleetSize", fleetSize);
      return this;
    }

    /** Reduce activations and gradients on every k-th iteration (default 10). */
    public Builder sampleEvery(int k) {
      this.sampleEvery = positive("sampleEvery", k);
      return this;
    }

    /** Publish activation and gradient summaries every n iterations (default 100). */
    public Builder publishEvery(int n) {
      this.publishEvery = positive("publishEvery", n);
      return this;
    }

    /** Hutchinson probes every n iterations; 0 (default) turns curvature off. */
    public Builder curvatureEvery(int n, HutchinsonProbe probe) {
      this.curvatureEvery = nonNegative("curvatureEvery", n);
      this.hutchinson = Objects.requireNonNull(probe, "probe");
      return this;
    }

    /**
     * A checkpoint every n iterations (0, the default, never), with the removals the schedule plans
     * per checkpoint (the ablation group size) and the ablation probe.
     */
    public Builder checkpointEvery(int n, int removalsPerCheckpoint, AblationProbe probe) {
      int removals = nonNegative("removalsPerCheckpoint", removalsPerCheckpoint);
      return checkpointEvery(n, k -> removals, probe);
    }

    /**
     * A checkpoint every n iterations whose planned removals follow a schedule: {@code
     * plannedRemovals.applyAsInt(k)} for the k-th checkpoint (1-based), e.g. the differences of a
     * cubic sparsity schedule; a negative value fails that checkpoint.
     */
    public Builder checkpointEvery(int n, IntUnaryOperator plannedRemovals, AblationProbe probe) {
      this.checkpointEvery = nonNegative("checkpointEvery", n);
      this.removalsPerCheckpoint = Objects.requireNonNull(plannedRemovals, "plannedRemovals");
      this.ablation = Objects.requireNonNull(probe, "probe");
      return this;
    }

    /** How long a checkpoint waits for the agent's decision (default 30 s). */
    public Builder decisionTimeout(Duration timeout) {
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("decisionTimeout must not be negative, got " + timeout);
      }
      this.decisionTimeout = timeout;
      return this;
    }

    /**
     * The trainer's own rail (default 0.01): a decision that would leave a layer with fewer than
     * {@code ⌈fraction · neurons⌉} neurons, or none, is refused. Keep it at most the agent's {@code
     * min.kept.fraction} (0.05 by default), or genuine decisions are refused too.
     */
    public Builder minKeptFraction(double fraction) {
      if (!(fraction >= 0 && fraction < 1)) {
        throw new IllegalArgumentException("minKeptFraction must be in [0, 1), got " + fraction);
      }
      this.minKeptFraction = fraction;
      return this;
    }

    /** The fixed held-out batch for curvature and ablation probes (e.g. a validation window). */
    public Builder probeBatch(DataSet batch) {
      this.heldOut = List.of(Objects.requireNonNull(batch, "batch"));
      return this;
    }

    /**
     * Histogram bins and co-activation anchors (default {@link ActivationSummary.Spec#DEFAULT}).
     */
    public Builder activationSpec(ActivationSummary.Spec spec) {
      this.spec = Objects.requireNonNull(spec, "spec");
      return this;
    }

    /** Publish weight statistics (default true); false turns them off whatever the cadence. */
    public Builder weightStatistics(boolean on) {
      this.weightStatistics = on;
      return this;
    }

    /**
     * Snapshot the weights for statistics every n iterations (default: every {@code publishEvery}).
     */
    public Builder weightStatisticsEvery(int n) {
      this.weightStatisticsEvery = positive("weightStatisticsEvery", n);
      return this;
    }

    /**
     * How long a checkpoint, and {@link PruningListener#close()}, waits for weight statistics still
     * being computed before going on without them (default 60 s: about three times what the four
     * 650-neuron layers of the reference model took on two busy cores, see docs/BENCHMARKS.md).
     */
    public Builder weightStatisticsWait(Duration wait) {
      if (Objects.requireNonNull(wait, "weightStatisticsWait").isNegative()) {
        throw new IllegalArgumentException(
            "weightStatisticsWait must not be negative, got " + wait);
      }
      this.weightStatisticsWait = wait;
      return this;
    }

    /**
     * Compute weight statistics inside the training callback, as before they moved to a background
     * thread (default false): events are published at the snapshot's own step and training waits
     * for them. For comparing overhead, or where nothing may run beside the training loop.
     */
    public Builder weightStatisticsOnTrainingThread(boolean inline) {
      this.weightStatisticsOnTrainingThread = inline;
      return this;
    }

    /**
     * The statistics of one layer's snapshot (default {@link WeightSnapshot#of}); a seam for tests.
     */
    Builder weightStatisticsFunction(BiFunction<WeightSnapshot, float[], WeightStatistics> f) {
      this.statistics = Objects.requireNonNull(f, "weightStatisticsFunction");
      return this;
    }

    /**
     * Report kept neurons per layer (at start and after every applied decision) and the probe
     * batch's held-out loss right before and after each decision's masks (two extra forward passes
     * per checkpoint); off by default.
     */
    public Builder metrics(TrainingMetrics metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /**
     * Measures the agent's removal candidates after a short recovery instead of immediately, so
     * that during training the outcome fusion judges a removal by the damage training leaves:
     * {@code steps} Adam steps (learning rate {@code learningRate}) on {@code batches}, one per
     * step in turn, with the candidate's neurons held at zero, then the loss on the probe batches;
     * the network is restored exactly. {@code batches} must be disjoint from the probe batches (and
     * from any data behind reported metrics). {@code steps = 0} (the default) measures immediately.
     */
    public Builder outcomeRecovery(int steps, double learningRate, List<DataSet> batches) {
      this.recoverySteps = nonNegative("outcome recovery steps", steps);
      this.recoveryLearningRate = learningRate;
      this.recoveryBatches = List.copyOf(batches);
      return this;
    }

    /**
     * The recovery of {@link #outcomeRecovery} continues from the training optimiser's Adam state
     * (moments and current learning rate; fresh moments at {@code learningRate} if the updater is
     * not Adam or the network is a ComputationGraph), gradients clipped to global norm {@code
     * clipNorm} (0: unclipped) as training does.
     */
    public Builder outcomeRecoveryFromTrainingState(double clipNorm) {
      if (!(clipNorm >= 0)) {
        throw new IllegalArgumentException("clipNorm must be >= 0, got " + clipNorm);
      }
      this.recoveryClipNorm = clipNorm;
      return this;
    }

    /**
     * The batches removal candidates are measured on, each separately, so that every {@link
     * RemovalOutcome} carries the mean Δloss over them and its standard error (the agent weighs a
     * candidate's gain against it); by default the held-out batches. Disjoint, like them, from any
     * data behind reported metrics and from the recovery batches.
     */
    public Builder outcomeBatches(List<DataSet> batches) {
      if (batches.isEmpty()) {
        throw new IllegalArgumentException("outcomeBatches: no batch");
      }
      this.outcomeBatches = List.copyOf(batches);
      return this;
    }

    public PruningListener build() {
      return new PruningListener(this);
    }

    private static int positive(String name, int v) {
      if (v < 1) {
        throw new IllegalArgumentException(name + " must be >= 1, got " + v);
      }
      return v;
    }

    private static int nonNegative(String name, int v) {
      if (v < 0) {
        throw new IllegalArgumentException(name + " must be >= 0, got " + v);
      }
      return v;
    }
  }
}
