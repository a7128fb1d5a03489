package io.prunewire.trainer.listener;

import io.prunewire.protocol.AblationEvent;
import io.prunewire.protocol.ActivationSummaryEvent;
import io.prunewire.protocol.CheckpointEvent;
import io.prunewire.protocol.CurvatureEvent;
import io.prunewire.protocol.DecisionAck;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.GradientSummaryEvent;
import io.prunewire.protocol.Header;
import io.prunewire.protocol.LayerKind;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.protocol.RunStarted;
import io.prunewire.protocol.WeightStatisticsEvent;
import io.prunewire.scorers.stats.ActivationSummary;
import io.prunewire.scorers.stats.CurvatureSummary;
import io.prunewire.trainer.mask.LayerOwnership;
import io.prunewire.trainer.mask.MaskApplier;
import io.prunewire.trainer.mask.NeuronMasks;
import io.prunewire.trainer.model.GateObserver;
import io.prunewire.trainer.model.NeuronKind;
import io.prunewire.trainer.model.PrunableLayer;
import io.prunewire.trainer.model.Workload;
import io.prunewire.trainer.probe.AblationProbe;
import io.prunewire.trainer.probe.CurvatureSamples;
import io.prunewire.trainer.probe.HutchinsonProbe;
import io.prunewire.trainer.probe.LayerCoordinates;
import io.prunewire.trainer.probe.ProbeEvaluator;
import io.prunewire.trainer.telemetry.TelemetrySink;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.IntUnaryOperator;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a workload's training loop into a Prunewire trainer. {@link #attach()} installs it as the
 * gate observer and as a training listener; the loop itself does not change.
 *
 * <ul>
 *   <li>Every {@code sampleEvery} iterations it reduces each prunable layer's activations and
 *       gradients to per-neuron summaries inside the gate's backward pass (activation moments,
 *       counts, histogram, co-activation; gradient moments and signs; the gate gradient
 *       {@code z = Σ a·∂L/∂a} for Taylor and Fisher) and every {@code publishEvery} iterations
 *       publishes them with weight statistics.
 *   <li>Every {@code curvatureEvery} iterations it publishes Hutchinson samples from the probe batch.
 *   <li>Every {@code checkpointEvery} iterations it measures ablations, publishes a checkpoint,
 *       waits for the decision, applies its masks (zeroing owned parameters after every update and
 *       masking the gates), and acknowledges with the mask hash.
 * </ul>
 */
public final class PruningListener extends BaseTrainingListener implements GateObserver {

  private static final Logger LOG = LoggerFactory.getLogger(PruningListener.class);

  private final Workload workload;
  private final MultiLayerNetwork net;
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
  private final boolean weightStatistics;

  private final List<LayerStream> streams = new ArrayList<>();
  private final Map<Integer, List<LayerStream>> byGate = new HashMap<>();
  private final List<LayerCoordinates> incoming = new ArrayList<>();
  private final List<LayerOwnership> ownership = new ArrayList<>();
  private final List<WeightSnapshot> snapshots = new ArrayList<>();
  private final MaskApplier masks;
  private int windowStart;
  private int curvatureStart;
  private boolean started;

  private PruningListener(Builder b) {
    this.workload = b.workload;
    this.net = workload.network();
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
    this.weightStatistics = b.weightStatistics;
    if ((curvatureEvery > 0 || checkpointEvery > 0) && b.probeBatch == null) {
      throw new IllegalArgumentException("curvature and checkpoints need a probeBatch");
    }
    this.evaluator = b.probeBatch == null ? null : ProbeEvaluator.of(workload, b.probeBatch);
    for (PrunableLayer layer : workload.prunableLayers()) {
      ActivationSummary.Spec spec = layer.kind() == NeuronKind.LSTM
          ? b.spec.withHistogram(-1, 1, b.spec.histogramBins()) : b.spec;
      LayerStream s = new LayerStream(layer, spec);
      streams.add(s);
      byGate.computeIfAbsent(layer.gateLayer(), k -> new ArrayList<>()).add(s);
      LayerCoordinates in = LayerCoordinates.of(net, layer);
      LayerOwnership own = LayerOwnership.of(net, layer);
      incoming.add(in);
      ownership.add(own);
      snapshots.add(new WeightSnapshot(in, own));
    }
    this.masks = new MaskApplier(net, ownership);
  }

  /** A listener for {@code workload}; set at least {@code sink} and {@code runId}. */
  public static Builder builder(Workload workload) {
    return new Builder(Objects.requireNonNull(workload, "workload"));
  }

  /** Installs this listener on every gate and as a training listener, and announces the run. */
  public PruningListener attach() {
    workload.setGateObserver(this);
    net.addListeners(this);
    start();
    return this;
  }

  /** The masks in force, or {@code null} before the first decision. */
  public NeuronMasks masks() {
    return masks.masks();
  }

  private void start() {
    if (started) {
      return;
    }
    started = true;
    List<LayerSpec> specs = new ArrayList<>();
    for (LayerStream s : streams) {
      PrunableLayer l = s.layer();
      specs.add(new LayerSpec(l.name(), LayerKind.valueOf(l.kind().name()), l.neurons(), Math.toIntExact(l.fanIn()),
          l.slices().toString()));
    }
    int step = net.getIterationCount();
    windowStart = step;
    curvatureStart = step;
    sink.publish(new RunStarted(header(step), fleetSize, specs));
  }

  @Override
  public void forward(int layerIndex, INDArray activations, boolean training) {
    // Everything is taken in backward, which sees the same activations with their gradients.
  }

  @Override
  public void backward(int layerIndex, INDArray activations, INDArray epsilon, INDArray gateGradient) {
    if (net.getIterationCount() % sampleEvery != 0) {
      return;
    }
    List<LayerStream> group = byGate.get(layerIndex);
    if (group != null) {
      for (LayerStream s : group) {
        s.observe(activations, epsilon, gateGradient);
      }
    }
  }

  @Override
  public void iterationDone(Model model, int iteration, int epoch) {
    masks.rezero();
    int done = iteration + 1;
    if (done % publishEvery == 0) {
      publishSummaries(iteration, done - windowStart);
      windowStart = done;
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
    float[] params = weightStatistics ? net.params().toFloatVector() : null;
    for (int l = 0; l < streams.size(); l++) {
      LayerStream s = streams.get(l);
      String name = s.layer().name();
      if (s.hasSamples()) {
        sink.publish(new ActivationSummaryEvent(header(step), name, window, s.activations()));
        sink.publish(new GradientSummaryEvent(header(step), name, window, s.gradients()));
        s.reset();
      }
      if (params != null) {
        sink.publish(new WeightStatisticsEvent(header(step), name, window, snapshots.get(l).of(params)));
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
      throw new IllegalStateException("planned removals at " + checkpointId + " must be >= 0, got " + planned);
    }
    List<AblationEvent.Measurement> measured =
        ablation.measure(evaluator, ownership, masks.masks(), planned, step);
    if (!measured.isEmpty()) {
      sink.publish(new AblationEvent(header(step), checkpointId, measured));
    }
    sink.publish(new CheckpointEvent(header(step), checkpointId, planned));
    sink.flush();
    Optional<DecisionEvent> decision;
    try {
      decision = sink.awaitDecision(runId, checkpointId, decisionTimeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the decision of " + checkpointId, e);
    }
    if (decision.isEmpty()) {
      LOG.warn("run {}: no decision for checkpoint {} within {}; training on unchanged", runId, checkpointId,
          decisionTimeout);
      return;
    }
    NeuronMasks applied = masks.apply(NeuronMasks.of(decision.get()));
    maskGates(applied);
    sink.publish(new DecisionAck(header(step), checkpointId, applied.hash()));
  }

  /** Gate masks stop pruned neurons' outputs in the forward pass too (training and inference). */
  private void maskGates(NeuronMasks applied) {
    byGate.forEach((gate, group) -> {
      boolean[] keep = workload.gate(gate).mask();
      for (LayerStream s : group) {
        String name = s.layer().name();
        if (applied.layers().contains(name)) {
          System.arraycopy(applied.keep(name), 0, keep, s.layer().gateOffset(), s.layer().neurons());
        }
      }
      workload.gate(gate).setMask(keep);
    });
  }

  private Header header(long step) {
    return new Header(runId, trainerId, step, System.currentTimeMillis());
  }

  /** Settings of a {@link PruningListener}. */
  public static final class Builder {
    private final Workload workload;
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
    private HutchinsonProbe hutchinson = HutchinsonProbe.builder().build();
    private AblationProbe ablation = AblationProbe.builder().build();
    private DataSet probeBatch;
    private ActivationSummary.Spec spec = ActivationSummary.Spec.DEFAULT;
    private boolean weightStatistics = true;

    private Builder(Workload workload) {
      this.workload = workload;
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

    /** Publish summaries and weight statistics every n iterations (default 100). */
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
     * A checkpoint every n iterations (0, the default, never), with the removals the schedule
     * plans per checkpoint (the ablation group size) and the ablation probe.
     */
    public Builder checkpointEvery(int n, int removalsPerCheckpoint, AblationProbe probe) {
      int removals = nonNegative("removalsPerCheckpoint", removalsPerCheckpoint);
      return checkpointEvery(n, k -> removals, probe);
    }

    /**
     * A checkpoint every n iterations whose planned removals follow a schedule:
     * {@code plannedRemovals.applyAsInt(k)} for the k-th checkpoint (1-based), e.g. the
     * differences of a cubic sparsity schedule; a negative value fails that checkpoint.
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

    /** The fixed held-out batch for curvature and ablation probes (e.g. a validation window). */
    public Builder probeBatch(DataSet batch) {
      this.probeBatch = Objects.requireNonNull(batch, "batch");
      return this;
    }

    /** Histogram bins and co-activation anchors (default {@link ActivationSummary.Spec#DEFAULT}). */
    public Builder activationSpec(ActivationSummary.Spec spec) {
      this.spec = Objects.requireNonNull(spec, "spec");
      return this;
    }

    /** Publish weight statistics with the summaries (default true). */
    public Builder weightStatistics(boolean on) {
      this.weightStatistics = on;
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
