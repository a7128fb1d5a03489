package io.prunewire.service;

import io.prunewire.scorers.criteria.Criteria;
import io.prunewire.scorers.retention.CoefficientOfVariation;
import io.prunewire.scorers.retention.FixedRatio;
import io.prunewire.scorers.retention.GlobalBudget;
import io.prunewire.scorers.retention.Percentile;
import io.prunewire.scorers.retention.RetentionPolicy;
import io.prunewire.scorers.retention.TopK;
import io.prunewire.scorers.retention.TypeAware;
import io.prunewire.scorers.schedule.Cubic;
import io.prunewire.scorers.schedule.Linear;
import io.prunewire.scorers.schedule.OneShot;
import io.prunewire.scorers.schedule.Ramp;
import io.prunewire.scorers.schedule.SparsitySchedule;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * Immutable configuration of the agent service.
 *
 * <p>Every setting has a key ({@code bootstrap.servers}), an environment variable ({@code
 * PRUNEWIRE_BOOTSTRAP_SERVERS}) and, in the launcher, a flag ({@code --bootstrap-servers}). {@link
 * #resolve} layers them: defaults, then the properties file, then the environment, then explicit
 * overrides (flags). Unknown keys and unparsable values fail with the key and the source.
 */
public final class AgentConfig {

  /** Prefix of the environment variables the agent reads. */
  public static final String ENV_PREFIX = "PRUNEWIRE_";

  /**
   * {@code PRUNEWIRE_*} variables of the launcher and deploy scripts, not agent settings: never
   * refused.
   */
  static final Set<String> LAUNCHER_VARIABLES =
      Set.of("PRUNEWIRE_JAVA_OPTS", "PRUNEWIRE_STACK_DIR");

  private final Optional<String> bootstrapServers;
  private final String applicationId;
  private final Path stateDir;
  private final TopicSettings topics;
  private final String metricsBind;
  private final int metricsPort;
  private final Duration barrierTimeout;
  private final Duration commitInterval;
  private final long cacheMaxBytes;
  private final int maxMessageBytes;
  private final int streamThreads;
  private final RailSettings rails;
  private final NormalizerChoice normalizer;
  private final FusionChoice fusion;
  private final RetentionSettings retention;
  private final OutcomeSettings outcome;
  private final ScheduleSettings schedule;
  private final Map<String, String> kafkaClientProperties;
  private final Limits limits;
  private final Optional<Signing> signing;
  private final Optional<String> instanceId;
  private final Duration sessionTimeout;
  private final int standbyReplicas;

  private AgentConfig(Builder b) {
    this.bootstrapServers = Optional.ofNullable(b.bootstrapServers);
    this.applicationId = b.applicationId;
    this.stateDir = b.stateDir;
    this.topics =
        new TopicSettings(
            b.telemetryTopic,
            b.decisionsTopic,
            b.deadLetterTopic,
            b.partitions,
            b.replicationFactor);
    this.metricsBind = b.metricsBind;
    this.metricsPort = b.metricsPort;
    this.barrierTimeout = b.barrierTimeout;
    this.commitInterval = b.commitInterval;
    this.cacheMaxBytes = b.cacheMaxBytes;
    this.maxMessageBytes = b.maxMessageBytes;
    this.streamThreads = b.streamThreads;
    this.rails = new RailSettings(b.minKeptFraction, b.maxRemovedFraction, b.protectedLayers);
    this.normalizer = b.normalizer;
    this.fusion = b.fusion;
    this.retention =
        new RetentionSettings(
            b.retention, b.snnRatio, b.retentionPercentile, b.retentionK, b.retentionCvShare);
    this.outcome =
        new OutcomeSettings(
            b.outcomeTimeout,
            b.outcomeCandidates,
            b.outcomeFraction,
            b.outcomeStart,
            b.outcomeMargin);
    this.schedule =
        new ScheduleSettings(
            b.schedule,
            b.targetSparsity,
            b.scheduleStart,
            b.scheduleCheckpoints,
            b.scheduleInterval);
    this.kafkaClientProperties =
        Collections.unmodifiableMap(new TreeMap<>(b.kafkaClientProperties));
    this.limits =
        new Limits(
            b.maxLayersPerRun,
            b.maxNeuronsPerLayer,
            b.maxActiveRuns,
            b.maxStateBytesPerRun,
            b.runRetention);
    this.signing = Optional.ofNullable(b.signingKeyFile).map(f -> new Signing(f, b.signingKeyId));
    this.instanceId = Optional.ofNullable(b.instanceId);
    this.sessionTimeout = b.sessionTimeout;
    this.standbyReplicas = b.standbyReplicas;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this configuration's values, to derive a variant. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.bootstrapServers = bootstrapServers.orElse(null);
    b.applicationId = applicationId;
    b.stateDir = stateDir;
    b.telemetryTopic = topics.telemetry();
    b.decisionsTopic = topics.decisions();
    b.deadLetterTopic = topics.deadLetter();
    b.partitions = topics.partitions();
    b.replicationFactor = topics.replicationFactor();
    b.metricsBind = metricsBind;
    b.metricsPort = metricsPort;
    b.barrierTimeout = barrierTimeout;
    b.commitInterval = commitInterval;
    b.cacheMaxBytes = cacheMaxBytes;
    b.maxMessageBytes = maxMessageBytes;
    b.streamThreads = streamThreads;
    b.snnRatio = retention.snnRatio();
    b.minKeptFraction = rails.minKeptFraction();
    b.maxRemovedFraction = rails.maxRemovedFraction();
    b.protectedLayers = rails.protectedLayers();
    b.normalizer = normalizer;
    b.fusion = fusion;
    b.retention = retention.choice();
    b.retentionPercentile = retention.percentile();
    b.retentionK = retention.k();
    b.retentionCvShare = retention.cvShare();
    b.outcomeTimeout = outcome.timeout();
    b.outcomeCandidates = outcome.candidates();
    b.outcomeFraction = outcome.fraction();
    b.outcomeStart = outcome.start();
    b.outcomeMargin = outcome.margin();
    b.schedule = schedule.choice();
    b.targetSparsity = schedule.targetSparsity();
    b.scheduleStart = schedule.start();
    b.scheduleCheckpoints = schedule.checkpoints();
    b.scheduleInterval = schedule.interval();
    b.kafkaClientProperties = kafkaClientProperties;
    b.maxLayersPerRun = limits.maxLayersPerRun();
    b.maxNeuronsPerLayer = limits.maxNeuronsPerLayer();
    b.maxActiveRuns = limits.maxActiveRuns();
    b.maxStateBytesPerRun = limits.maxStateBytesPerRun();
    b.runRetention = limits.runRetention();
    b.signingKeyFile = signing.map(Signing::keyFile).orElse(null);
    b.signingKeyId = signing.map(Signing::keyId).orElse("");
    b.instanceId = instanceId.orElse(null);
    b.sessionTimeout = sessionTimeout;
    b.standbyReplicas = standbyReplicas;
    return b;
  }

  /**
   * Layers the sources: defaults &lt; {@code file} &lt; environment ({@code PRUNEWIRE_*}) &lt;
   * {@code overrides}. Keys are the dotted names listed by {@link #keys()}.
   *
   * @param file a properties file, if any
   * @param env the process environment (only {@code PRUNEWIRE_*} variables are read; one that names
   *     no setting and is not a launcher variable is an error)
   * @param overrides explicit settings, e.g. from command-line flags, by key
   * @throws IllegalArgumentException naming the key and its source on an unknown key or bad value
   * @throws IOException if the file cannot be read
   */
  public static AgentConfig resolve(
      Optional<Path> file, Map<String, String> env, Map<String, String> overrides)
      throws IOException {
    Builder b = builder();
    if (file.isPresent()) {
      Properties props = new Properties();
      try (Reader r = Files.newBufferedReader(file.get())) {
        props.load(r);
      }
      for (String key : props.stringPropertyNames()) {
        b.set(key, props.getProperty(key).trim(), "file " + file.get());
      }
    }
    for (Map.Entry<String, String> e : new java.util.TreeMap<>(env).entrySet()) {
      String name = e.getKey();
      if (name.startsWith(ENV_PREFIX) && !LAUNCHER_VARIABLES.contains(name)) {
        String key = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
        if (!SETTERS.containsKey(key)) {
          // A misspelt variable would otherwise leave its setting at the default without a word.
          throw new IllegalArgumentException(
              "environment variable "
                  + name
                  + " is not an agent setting (no key '"
                  + key
                  + "')"
                  + NearestName.hint(key, new java.util.TreeSet<>(SETTERS.keySet()))
                  + "; settings are "
                  + new java.util.TreeSet<>(SETTERS.keySet())
                  + " as PRUNEWIRE_<KEY>, and "
                  + LAUNCHER_VARIABLES
                  + " belong to the scripts");
        }
        b.set(key, e.getValue().trim(), "environment variable " + name);
      }
    }
    for (Map.Entry<String, String> e : overrides.entrySet()) {
      b.set(e.getKey(), e.getValue(), "override");
    }
    return b.build();
  }

  /** The setting keys understood by {@link #resolve} and {@link Builder#set}. */
  public static Set<String> keys() {
    return SETTERS.keySet();
  }

  /** Kafka bootstrap servers; empty means "start the embedded broker". */
  public Optional<String> bootstrapServers() {
    return bootstrapServers;
  }

  /** Kafka Streams application id; also the consumer group and the changelog topic prefix. */
  public String applicationId() {
    return applicationId;
  }

  /** Local directory of the RocksDB stores (a cache: the changelogs are the truth). */
  public Path stateDir() {
    return stateDir;
  }

  /**
   * The agent's topics ({@code telemetry.topic}, {@code decisions.topic}, {@code
   * dead.letter.topic}) and how it creates them ({@code partitions}, {@code replication.factor}).
   *
   * @param partitions partitions of the topics the agent creates; instances scale out up to this
   *     many
   */
  public record TopicSettings(
      String telemetry,
      String decisions,
      String deadLetter,
      int partitions,
      short replicationFactor) {}

  /** The agent's topics and how it creates them. */
  public TopicSettings topics() {
    return topics;
  }

  /** Address the HTTP server binds to; loopback unless told otherwise. */
  public String metricsBind() {
    return metricsBind;
  }

  /** Port of {@code /metrics}, {@code /health}, {@code /ready}; 0 picks a free port. */
  public int metricsPort() {
    return metricsPort;
  }

  /** How long a checkpoint barrier waits for missing trainers before deciding without them. */
  public Duration barrierTimeout() {
    return barrierTimeout;
  }

  /** Kafka Streams commit interval: state, offsets and decisions are committed together. */
  public Duration commitInterval() {
    return commitInterval;
  }

  /** Record cache in bytes that absorbs store updates between commits. */
  public long cacheMaxBytes() {
    return cacheMaxBytes;
  }

  /**
   * Largest record in bytes: applied to the agent's topics ({@code max.message.bytes}), changelog
   * topics, the producer ({@code max.request.size}) and the consumer's fetch sizes.
   */
  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  public int streamThreads() {
    return streamThreads;
  }

  /**
   * Safety rails that hold whatever the policy asks.
   *
   * @param minKeptFraction every layer keeps at least this fraction of its neurons ({@code
   *     min.kept.fraction})
   * @param maxRemovedFraction at most this fraction of a layer's neurons is removed at one
   *     checkpoint ({@code max.removed.fraction})
   * @param protectedLayers layers that are never pruned ({@code protected.layers})
   */
  public record RailSettings(
      double minKeptFraction, double maxRemovedFraction, Set<String> protectedLayers) {
    public RailSettings {
      protectedLayers = Set.copyOf(protectedLayers);
    }
  }

  /** Safety rails that hold whatever the policy asks. */
  public RailSettings rails() {
    return rails;
  }

  /**
   * Per-layer normalisation of every criterion before fusion: {@code rank} (default), {@code
   * robust_z} or {@code min_max}.
   */
  public NormalizerChoice normalizer() {
    return normalizer;
  }

  /**
   * Fusion strategy of the decisions: {@code outcome} (the default: criteria chosen from the
   * measured damage of removal candidates that protocol-v2 trainers measure at each checkpoint),
   * {@code learned} (fitted to the run's ablation probes), {@code simple} (equal weights), {@code
   * seed} (the original proposal's fixed weights), {@code adaptive} (weights from each criterion's
   * rank stability between the run's decisions, per layer) or {@code criterion:<name>} (one
   * criterion of the registry alone, e.g. {@code criterion:magnitude} for gradual magnitude
   * pruning). The learned fusion is fitted and its Spearman reported whichever strategy decides.
   */
  public FusionChoice fusion() {
    return fusion;
  }

  /**
   * How many neurons of each layer are kept.
   *
   * @param choice {@code retention}: {@code type-aware} (default: HSTNN's, {@code snnRatio} of the
   *     kept neurons spiking, to the target sparsity), {@code fixed-ratio} (every layer to the
   *     target), {@code global} (one budget over all layers, to the target), {@code cv} (the
   *     original proposal's coefficient-of-variation rule, {@code cvShare}), {@code percentile}
   *     (prune below the layer's {@code percentile}-th percentile) or {@code top-k} (every layer
   *     keeps {@code k}). The last three choose their own counts: the target sparsity does not
   *     apply to them, the rails do.
   * @param snnRatio share of the kept neurons that are spiking ({@code snn.ratio}); spiking and
   *     analog neurons are ranked separately
   * @param percentile {@code retention.percentile}
   * @param k {@code retention.k}
   * @param cvShare {@code retention.cv.share}
   */
  public record RetentionSettings(
      RetentionChoice choice, double snnRatio, double percentile, int k, double cvShare) {

    /** The policy that prunes to {@code sparsity} (where the policy follows a target). */
    public RetentionPolicy policy(double sparsity) {
      return switch (choice) {
        case FIXED_RATIO -> new FixedRatio(sparsity);
        case GLOBAL -> new GlobalBudget(sparsity);
        case CV -> new CoefficientOfVariation(cvShare);
        case PERCENTILE -> new Percentile(percentile);
        case TOP_K -> new TopK(k);
        case TYPE_AWARE -> new TypeAware(sparsity, snnRatio);
      };
    }
  }

  /** How many neurons of each layer are kept. */
  public RetentionSettings retention() {
    return retention;
  }

  /**
   * The removal candidates of {@code fusion=outcome}.
   *
   * @param timeout how long a checkpoint's decision waits for the outcomes of its candidates
   *     ({@code outcome.timeout})
   * @param candidates most candidates per checkpoint ({@code outcome.candidates})
   * @param fraction how much of each layer's live neurons a candidate removes: a fixed share or the
   *     checkpoint's planned one ({@code outcome.fraction})
   * @param start the criteria a run's fusion starts from, before any outcome ({@code
   *     outcome.start}, comma-separated, or {@code every}, the default: every criterion, empty
   *     here); a run whose criteria lack one of them starts from every criterion
   * @param margin how many combined standard errors of the measured outcomes a candidate's gain
   *     over the incumbent must exceed before the fusion adopts it ({@code outcome.margin}, ≥ 0;
   *     default 0: any measured gain)
   */
  public record OutcomeSettings(
      Duration timeout,
      int candidates,
      CandidateFraction fraction,
      List<String> start,
      double margin) {
    public OutcomeSettings {
      start = List.copyOf(start);
    }
  }

  /** The removal candidates of {@code fusion=outcome}. */
  public OutcomeSettings outcome() {
    return outcome;
  }

  /**
   * The sparsity schedule.
   *
   * @param choice {@code schedule}: {@code trainer} (default: follow the trainers, each checkpoint
   *     removes its {@code plannedRemovals}), {@code one-shot}, {@code linear} or {@code cubic}
   * @param targetSparsity {@code target.sparsity}
   * @param start {@code schedule.start}, a training step
   * @param checkpoints {@code schedule.checkpoints}
   * @param interval {@code schedule.interval}, training steps between checkpoints
   */
  public record ScheduleSettings(
      ScheduleChoice choice, double targetSparsity, long start, int checkpoints, long interval) {

    /**
     * The schedule the agent applies, or empty ({@code trainer}) to follow the trainers. Otherwise
     * the target at a checkpoint is the schedule's sparsity at the checkpoint's step: {@code
     * one-shot} jumps to {@code targetSparsity} at {@code start}; {@code linear} and {@code cubic}
     * (Zhu &amp; Gupta 2017) ramp from 0 at {@code start} to it over {@code checkpoints} steps of
     * {@code interval} training steps.
     */
    public Optional<SparsitySchedule> sparsity() {
      Ramp ramp = new Ramp(0, targetSparsity, start, checkpoints, interval);
      return switch (choice) {
        case ONE_SHOT -> Optional.of(new OneShot(start, targetSparsity));
        case LINEAR -> Optional.of(new Linear(ramp));
        case CUBIC -> Optional.of(new Cubic(ramp));
        case TRAINER -> Optional.empty();
      };
    }
  }

  /** The sparsity schedule. */
  public ScheduleSettings schedule() {
    return schedule;
  }

  /**
   * Kafka client properties (TLS, SASL, timeouts, ...) given to every client the agent makes: the
   * Kafka Streams consumer, restore consumer, producer and admin, and the admin that creates its
   * topics. Kafka Streams' prefixes ({@code consumer.}, {@code producer.}, {@code admin.}, ...)
   * address one kind of client. Keys the agent sets itself are refused by {@link Builder#build()}.
   */
  public Map<String, String> kafkaClientProperties() {
    return kafkaClientProperties;
  }

  /**
   * What one run may make the agent hold ({@code max.layers.per.run}, {@code
   * max.neurons.per.layer}, {@code max.active.runs}, {@code max.state.bytes.per.run}) and how long
   * a quiet run is kept ({@code run.retention}). A {@code RunStarted} or summary beyond a limit is
   * dead-lettered ({@code limit_exceeded}) before the agent allocates anything for it.
   *
   * @param maxLayersPerRun layers a run may declare
   * @param maxNeuronsPerLayer neurons one declared layer may have
   * @param maxActiveRuns runs one partition's state may hold (the state of a Kafka Streams task; an
   *     instance holds as many as it owns partitions)
   * @param maxStateBytesPerRun bytes of a run's state, its entry in the runs store plus its merged
   *     evidence (every layer's activation, gradient, curvature and weight-statistics state, as
   *     encoded in the store); a summary whose merge would exceed it leaves the state as it was
   * @param runRetention how long a run's state outlives the run's last applied event, in stream
   *     time (the newest record timestamp of its partition, see {@code RunRetirement}). A run quiet
   *     for longer is retired: every store entry of it is deleted, its per-run gauges are removed
   *     and it no longer counts towards {@code maxActiveRuns}; a trainer that sends again must send
   *     {@code RunStarted} and starts a fresh run. It exceeds {@link #barrierTimeout()} plus {@link
   *     OutcomeSettings#timeout()}, the longest a trainer waits silently for a decision the agent
   *     still owes it.
   */
  public record Limits(
      int maxLayersPerRun,
      int maxNeuronsPerLayer,
      int maxActiveRuns,
      long maxStateBytesPerRun,
      Duration runRetention) {}

  /** What one run may make the agent hold, and how long a quiet run is kept. */
  public Limits limits() {
    return limits;
  }

  /**
   * The key with which the agent signs every decision it publishes ({@code DecisionSignatures}),
   * from {@code signing.key.file} and {@code signing.key.id}, which go together.
   *
   * @param keyFile PEM (PKCS#8) Ed25519 private key
   * @param keyId id of the key, sent with every signature so trainers pick the public key to verify
   *     with
   */
  public record Signing(Path keyFile, String keyId) {}

  /** The decision signing key; empty: decisions go unsigned. */
  public Optional<Signing> signing() {
    return signing;
  }

  /**
   * This instance's stable id in the consumer group (Kafka's static membership, {@code
   * group.instance.id}; each stream thread adds its own suffix), e.g. the pod name of a
   * StatefulSet. A restarted instance with the same id takes its partitions back at once, without a
   * rebalance and without waiting for the dead member's session to time out. Empty (default):
   * dynamic membership. Two running instances must never share an id.
   */
  public Optional<String> instanceId() {
    return instanceId;
  }

  /**
   * How long the group coordinator waits for a silent member before it gives the member's
   * partitions to others ({@code session.timeout.ms}). Shorter recovers faster from a crash without
   * static membership; too short evicts members during long GC pauses.
   */
  public Duration sessionTimeout() {
    return sessionTimeout;
  }

  /**
   * Warm copies of every state store kept by other instances ({@code num.standby.replicas}), so
   * that a partition moving to one of them is served without restoring its changelog first.
   */
  public int standbyReplicas() {
    return standbyReplicas;
  }

  @Override
  public String toString() {
    return "AgentConfig{bootstrap.servers="
        + bootstrapServers.orElse("(embedded)")
        + ", application.id="
        + applicationId
        + ", state.dir="
        + stateDir
        + ", topics="
        + topics.telemetry()
        + "/"
        + topics.decisions()
        + "/"
        + topics.deadLetter()
        + ", partitions="
        + topics.partitions()
        + ", metrics="
        + metricsBind
        + ":"
        + metricsPort
        + ", barrier.timeout="
        + barrierTimeout
        + ", commit.interval="
        + commitInterval
        + ", snn.ratio="
        + retention.snnRatio()
        + ", min.kept.fraction="
        + rails.minKeptFraction()
        + ", max.removed.fraction="
        + rails.maxRemovedFraction()
        + ", protected.layers="
        + new TreeSet<>(rails.protectedLayers())
        + ", normalizer="
        + normalizer.settingName()
        + ", fusion="
        + fusion.settingName()
        + (fusion.strategy() == FusionChoice.Strategy.OUTCOME
            ? " (outcome.timeout="
                + outcome.timeout()
                + ", outcome.candidates="
                + outcome.candidates()
                + ", outcome.fraction="
                + outcome.fraction()
                + ", outcome.start="
                + (outcome.start().isEmpty() ? "every" : String.join(",", outcome.start()))
                + ", outcome.margin="
                + outcome.margin()
                + ")"
            : "")
        + ", retention="
        + retention.choice().settingName()
        + ", schedule="
        + schedule.choice().settingName()
        + (schedule.choice() == ScheduleChoice.TRAINER
            ? ""
            : " to "
                + schedule.targetSparsity()
                + " from step "
                + schedule.start()
                + " ("
                + schedule.checkpoints()
                + " x "
                + schedule.interval()
                + " steps)")
        // keys only: values such as sasl.jaas.config hold secrets
        + ", kafka client properties="
        + kafkaClientProperties.keySet()
        + ", limits: max.layers.per.run="
        + limits.maxLayersPerRun()
        + ", max.neurons.per.layer="
        + limits.maxNeuronsPerLayer()
        + ", max.active.runs="
        + limits.maxActiveRuns()
        + ", max.state.bytes.per.run="
        + limits.maxStateBytesPerRun()
        + ", run.retention="
        + limits.runRetention()
        + ", instance.id="
        + instanceId.orElse("(dynamic membership)")
        + ", session.timeout="
        + sessionTimeout
        + ", standby.replicas="
        + standbyReplicas
        + ", signing key="
        + signing.map(k -> k.keyId() + " from " + k.keyFile()).orElse("(decisions unsigned)")
        + "}";
  }

  private static final Map<String, BiConsumer<Builder, String>> SETTERS = new LinkedHashMap<>();

  static {
    SETTERS.put("bootstrap.servers", (b, v) -> b.bootstrapServers(v.isEmpty() ? null : v));
    SETTERS.put("application.id", Builder::applicationId);
    SETTERS.put("state.dir", (b, v) -> b.stateDir(Path.of(v)));
    SETTERS.put("telemetry.topic", Builder::telemetryTopic);
    SETTERS.put("decisions.topic", Builder::decisionsTopic);
    SETTERS.put("dead.letter.topic", Builder::deadLetterTopic);
    SETTERS.put("partitions", (b, v) -> b.partitions(Integer.parseInt(v)));
    SETTERS.put("replication.factor", (b, v) -> b.replicationFactor(Short.parseShort(v)));
    SETTERS.put("metrics.bind", Builder::metricsBind);
    SETTERS.put("metrics.port", (b, v) -> b.metricsPort(Integer.parseInt(v)));
    SETTERS.put("barrier.timeout", (b, v) -> b.barrierTimeout(parseDuration(v)));
    SETTERS.put("commit.interval", (b, v) -> b.commitInterval(parseDuration(v)));
    SETTERS.put("cache.max.bytes", (b, v) -> b.cacheMaxBytes(Long.parseLong(v)));
    SETTERS.put("max.message.bytes", (b, v) -> b.maxMessageBytes(Integer.parseInt(v)));
    SETTERS.put("stream.threads", (b, v) -> b.streamThreads(Integer.parseInt(v)));
    SETTERS.put("snn.ratio", (b, v) -> b.snnRatio(Double.parseDouble(v)));
    SETTERS.put("min.kept.fraction", (b, v) -> b.minKeptFraction(Double.parseDouble(v)));
    SETTERS.put("max.removed.fraction", (b, v) -> b.maxRemovedFraction(Double.parseDouble(v)));
    SETTERS.put("normalizer", Builder::normalizer);
    SETTERS.put("fusion", Builder::fusion);
    SETTERS.put("retention", Builder::retention);
    SETTERS.put("retention.percentile", (b, v) -> b.retentionPercentile(Double.parseDouble(v)));
    SETTERS.put("retention.k", (b, v) -> b.retentionK(Integer.parseInt(v)));
    SETTERS.put("retention.cv.share", (b, v) -> b.retentionCvShare(Double.parseDouble(v)));
    SETTERS.put("outcome.timeout", (b, v) -> b.outcomeTimeout(parseDuration(v)));
    SETTERS.put("outcome.candidates", (b, v) -> b.outcomeCandidates(Integer.parseInt(v)));
    SETTERS.put("outcome.fraction", (b, v) -> b.outcomeFraction(CandidateFraction.parse(v)));
    SETTERS.put("outcome.start", (b, v) -> b.outcomeStart(parseStart(v)));
    SETTERS.put("outcome.margin", (b, v) -> b.outcomeMargin(Double.parseDouble(v)));
    SETTERS.put("schedule", Builder::schedule);
    SETTERS.put("target.sparsity", (b, v) -> b.targetSparsity(Double.parseDouble(v)));
    SETTERS.put("schedule.start", (b, v) -> b.scheduleStart(Long.parseLong(v)));
    SETTERS.put("schedule.checkpoints", (b, v) -> b.scheduleCheckpoints(Integer.parseInt(v)));
    SETTERS.put("schedule.interval", (b, v) -> b.scheduleInterval(Long.parseLong(v)));
    SETTERS.put("max.layers.per.run", (b, v) -> b.maxLayersPerRun(Integer.parseInt(v)));
    SETTERS.put("max.neurons.per.layer", (b, v) -> b.maxNeuronsPerLayer(Integer.parseInt(v)));
    SETTERS.put("max.active.runs", (b, v) -> b.maxActiveRuns(Integer.parseInt(v)));
    SETTERS.put("max.state.bytes.per.run", (b, v) -> b.maxStateBytesPerRun(Long.parseLong(v)));
    SETTERS.put("run.retention", (b, v) -> b.runRetention(parseDuration(v)));
    SETTERS.put("instance.id", (b, v) -> b.instanceId(v.isEmpty() ? null : v));
    SETTERS.put("session.timeout", (b, v) -> b.sessionTimeout(parseDuration(v)));
    SETTERS.put("standby.replicas", (b, v) -> b.standbyReplicas(Integer.parseInt(v)));
    SETTERS.put("signing.key.file", (b, v) -> b.signingKeyFile(v.isEmpty() ? null : Path.of(v)));
    SETTERS.put("signing.key.id", Builder::signingKeyId);
    SETTERS.put(
        "protected.layers",
        (b, v) -> b.protectedLayers(v.isBlank() ? Set.of() : Set.of(v.trim().split("\\s*,\\s*"))));
  }

  /**
   * Durations as ISO-8601 ({@code PT30S}, {@code P1D}) or a number with a unit: {@code 250ms},
   * {@code 30s}, {@code 2m}, {@code 24h}.
   */
  /** {@code every} (empty: every criterion) or comma-separated criterion names. */
  static List<String> parseStart(String v) {
    String s = v.trim();
    return s.equals("every")
        ? List.of()
        : Arrays.stream(s.split(",")).map(String::trim).filter(c -> !c.isEmpty()).toList();
  }

  static Duration parseDuration(String v) {
    String s = v.trim().toLowerCase(Locale.ROOT);
    if (s.startsWith("p")) {
      return Duration.parse(s.toUpperCase(Locale.ROOT));
    }
    if (s.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
    }
    if (s.endsWith("s")) {
      return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
    }
    if (s.endsWith("m")) {
      return Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
    }
    if (s.endsWith("h")) {
      return Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
    }
    throw new IllegalArgumentException(
        "duration '" + v + "' needs a unit (ms, s, m, h) or ISO-8601 form such as PT30S");
  }

  /**
   * Mutable builder; the named choices (normalizer, fusion, retention, schedule) are checked as
   * they are set, every other value by {@link #build()}.
   */
  public static final class Builder {
    private String bootstrapServers;
    private String applicationId = "prunewire-agent";
    private Path stateDir = Path.of(System.getProperty("java.io.tmpdir"), "prunewire-agent-state");
    private String telemetryTopic = "prunewire.telemetry";
    private String decisionsTopic = "prunewire.decisions";
    private String deadLetterTopic = "prunewire.dead-letter";
    private int partitions = 4;
    private short replicationFactor = 1;
    private String metricsBind = "127.0.0.1";
    private int metricsPort = 9404;
    private Duration barrierTimeout = Duration.ofSeconds(60);
    private Duration commitInterval = Duration.ofMillis(500);
    private long cacheMaxBytes = 64L << 20;
    private int maxMessageBytes = 16 << 20;
    private int streamThreads = 1;
    private double snnRatio = 0.5;
    private double minKeptFraction = 0.05;
    private double maxRemovedFraction = 0.5;
    private Set<String> protectedLayers = Set.of();
    private NormalizerChoice normalizer = NormalizerChoice.RANK;
    private FusionChoice fusion = FusionChoice.OUTCOME;
    private RetentionChoice retention = RetentionChoice.TYPE_AWARE;
    private double retentionPercentile = 50;
    private int retentionK = 1;
    private double retentionCvShare = 0.9;
    private Duration outcomeTimeout = Duration.ofSeconds(10);
    private int outcomeCandidates = 10;
    private CandidateFraction outcomeFraction = CandidateFraction.of(0.5);
    private List<String> outcomeStart = List.of();
    private double outcomeMargin = 0;
    private ScheduleChoice schedule = ScheduleChoice.TRAINER;
    private double targetSparsity = 0.5;
    private long scheduleStart = 0;
    private int scheduleCheckpoints = 5;
    private long scheduleInterval = 1000;
    private Map<String, String> kafkaClientProperties = Map.of();
    // Defaults: room for models far wider and deeper than the reference (2 layers of 1,300
    // neurons), while a single run's state stays a fraction of a machine's memory and disk.
    private int maxLayersPerRun = 1024;
    private int maxNeuronsPerLayer = 65_536;
    private int maxActiveRuns = 256;
    private long maxStateBytesPerRun = 256L << 20;
    // A day: far beyond any wait of a live run (barrier and outcome timeouts, a trainer's
    // evaluation between checkpoints), short enough that finished runs leave within a day.
    private Duration runRetention = Duration.ofHours(24);
    private Path signingKeyFile;
    private String signingKeyId = "";
    private String instanceId;
    // Kafka's default is 45 s: a crashed agent's partitions sat unowned that long (issue 13).
    private Duration sessionTimeout = Duration.ofSeconds(10);
    private int standbyReplicas = 0;

    private Builder() {}

    /**
     * Sets one setting by key from text.
     *
     * @param source where the value came from, for the error message
     * @throws IllegalArgumentException on an unknown key or an unparsable value
     */
    public Builder set(String key, String value, String source) {
      BiConsumer<Builder, String> setter = SETTERS.get(key);
      if (setter == null) {
        throw new IllegalArgumentException(
            "unknown setting '"
                + key
                + "' from "
                + source
                + NearestName.hint(key, new java.util.TreeSet<>(SETTERS.keySet()))
                + "; known: "
                + SETTERS.keySet());
      }
      try {
        setter.accept(this, value);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "bad value '"
                + value
                + "' for setting '"
                + key
                + "' from "
                + source
                + ": "
                + e.getMessage(),
            e);
      }
      return this;
    }

    public Builder bootstrapServers(String servers) {
      this.bootstrapServers = servers;
      return this;
    }

    public Builder applicationId(String id) {
      this.applicationId = id;
      return this;
    }

    public Builder stateDir(Path dir) {
      this.stateDir = dir;
      return this;
    }

    public Builder telemetryTopic(String topic) {
      this.telemetryTopic = topic;
      return this;
    }

    public Builder decisionsTopic(String topic) {
      this.decisionsTopic = topic;
      return this;
    }

    public Builder deadLetterTopic(String topic) {
      this.deadLetterTopic = topic;
      return this;
    }

    public Builder partitions(int n) {
      this.partitions = n;
      return this;
    }

    public Builder replicationFactor(short n) {
      this.replicationFactor = n;
      return this;
    }

    public Builder metricsBind(String address) {
      this.metricsBind = address;
      return this;
    }

    public Builder metricsPort(int port) {
      this.metricsPort = port;
      return this;
    }

    public Builder barrierTimeout(Duration timeout) {
      this.barrierTimeout = timeout;
      return this;
    }

    public Builder commitInterval(Duration interval) {
      this.commitInterval = interval;
      return this;
    }

    public Builder cacheMaxBytes(long bytes) {
      this.cacheMaxBytes = bytes;
      return this;
    }

    public Builder maxMessageBytes(int bytes) {
      this.maxMessageBytes = bytes;
      return this;
    }

    public Builder streamThreads(int n) {
      this.streamThreads = n;
      return this;
    }

    public Builder snnRatio(double ratio) {
      this.snnRatio = ratio;
      return this;
    }

    public Builder minKeptFraction(double fraction) {
      this.minKeptFraction = fraction;
      return this;
    }

    public Builder maxRemovedFraction(double fraction) {
      this.maxRemovedFraction = fraction;
      return this;
    }

    public Builder protectedLayers(Set<String> layers) {
      this.protectedLayers = Objects.requireNonNull(layers, "protected.layers");
      return this;
    }

    /** {@code rank} (default), {@code robust_z} or {@code min_max}. */
    public Builder normalizer(String name) {
      return normalizer(NormalizerChoice.of(name));
    }

    public Builder normalizer(NormalizerChoice choice) {
      this.normalizer = Objects.requireNonNull(choice, "normalizer");
      return this;
    }

    /**
     * {@code outcome} (default), {@code learned}, {@code simple}, {@code seed}, {@code adaptive} or
     * {@code criterion:<name>}; see {@link AgentConfig#fusion()}.
     */
    public Builder fusion(String strategy) {
      return fusion(FusionChoice.parse(strategy));
    }

    public Builder fusion(FusionChoice choice) {
      this.fusion = Objects.requireNonNull(choice, "fusion");
      return this;
    }

    /**
     * {@code type-aware} (default), {@code fixed-ratio}, {@code global}, {@code cv}, {@code
     * percentile} or {@code top-k}.
     */
    public Builder retention(String policy) {
      return retention(RetentionChoice.of(policy));
    }

    public Builder retention(RetentionChoice policy) {
      this.retention = Objects.requireNonNull(policy, "retention");
      return this;
    }

    public Builder retentionPercentile(double percentile) {
      this.retentionPercentile = percentile;
      return this;
    }

    public Builder retentionK(int k) {
      this.retentionK = k;
      return this;
    }

    public Builder retentionCvShare(double share) {
      this.retentionCvShare = share;
      return this;
    }

    public Builder outcomeTimeout(Duration timeout) {
      this.outcomeTimeout = timeout;
      return this;
    }

    public Builder outcomeCandidates(int candidates) {
      this.outcomeCandidates = candidates;
      return this;
    }

    public Builder outcomeFraction(double fraction) {
      return outcomeFraction(CandidateFraction.of(fraction));
    }

    public Builder outcomeFraction(CandidateFraction fraction) {
      this.outcomeFraction = Objects.requireNonNull(fraction, "fraction");
      return this;
    }

    /** The criteria a run's outcome fusion starts from; empty for every criterion. */
    public Builder outcomeStart(List<String> criteria) {
      this.outcomeStart = List.copyOf(criteria);
      return this;
    }

    /** Combined standard errors a candidate's measured gain must exceed to be adopted, ≥ 0. */
    public Builder outcomeMargin(double margin) {
      this.outcomeMargin = margin;
      return this;
    }

    /** {@code trainer} (default), {@code one-shot}, {@code linear} or {@code cubic}. */
    public Builder schedule(String name) {
      return schedule(ScheduleChoice.of(name));
    }

    public Builder schedule(ScheduleChoice choice) {
      this.schedule = Objects.requireNonNull(choice, "schedule");
      return this;
    }

    public Builder targetSparsity(double sparsity) {
      this.targetSparsity = sparsity;
      return this;
    }

    public Builder scheduleStart(long step) {
      this.scheduleStart = step;
      return this;
    }

    public Builder scheduleCheckpoints(int n) {
      this.scheduleCheckpoints = n;
      return this;
    }

    public Builder scheduleInterval(long steps) {
      this.scheduleInterval = steps;
      return this;
    }

    /**
     * Kafka client properties for every client of the agent (see {@link
     * AgentConfig#kafkaClientProperties()}), replacing earlier ones.
     */
    public Builder kafkaClientProperties(Map<String, String> properties) {
      this.kafkaClientProperties =
          Map.copyOf(Objects.requireNonNull(properties, "kafka client properties"));
      return this;
    }

    public Builder maxLayersPerRun(int n) {
      this.maxLayersPerRun = n;
      return this;
    }

    public Builder maxNeuronsPerLayer(int n) {
      this.maxNeuronsPerLayer = n;
      return this;
    }

    public Builder maxActiveRuns(int n) {
      this.maxActiveRuns = n;
      return this;
    }

    public Builder maxStateBytesPerRun(long bytes) {
      this.maxStateBytesPerRun = bytes;
      return this;
    }

    public Builder runRetention(Duration retention) {
      this.runRetention = retention;
      return this;
    }

    /** Static group membership under this id; null: dynamic membership. */
    public Builder instanceId(String id) {
      this.instanceId = id;
      return this;
    }

    public Builder sessionTimeout(Duration timeout) {
      this.sessionTimeout = timeout;
      return this;
    }

    public Builder standbyReplicas(int n) {
      this.standbyReplicas = n;
      return this;
    }

    /** Signs decisions with this key (with {@link #signingKeyId}); null: unsigned. */
    public Builder signingKeyFile(Path file) {
      this.signingKeyFile = file;
      return this;
    }

    public Builder signingKeyId(String id) {
      this.signingKeyId = Objects.requireNonNull(id, "signing.key.id");
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first invalid setting
     */
    public AgentConfig build() {
      requireText(applicationId, "application.id");
      Objects.requireNonNull(stateDir, "state.dir");
      requireText(telemetryTopic, "telemetry.topic");
      requireText(decisionsTopic, "decisions.topic");
      requireText(deadLetterTopic, "dead.letter.topic");
      if (telemetryTopic.equals(decisionsTopic)
          || telemetryTopic.equals(deadLetterTopic)
          || decisionsTopic.equals(deadLetterTopic)) {
        throw new IllegalArgumentException(
            "telemetry.topic, decisions.topic and dead.letter.topic"
                + " must differ, got "
                + telemetryTopic
                + ", "
                + decisionsTopic
                + ", "
                + deadLetterTopic);
      }
      requirePositive(partitions, "partitions");
      requirePositive(replicationFactor, "replication.factor");
      requireText(metricsBind, "metrics.bind");
      if (metricsPort < 0 || metricsPort > 65535) {
        throw new IllegalArgumentException(
            "metrics.port must be in [0, 65535], got " + metricsPort);
      }
      requirePositive(barrierTimeout, "barrier.timeout");
      requirePositive(commitInterval, "commit.interval");
      if (cacheMaxBytes < 0) {
        throw new IllegalArgumentException("cache.max.bytes must be >= 0, got " + cacheMaxBytes);
      }
      if (maxMessageBytes < (1 << 20)) {
        throw new IllegalArgumentException(
            "max.message.bytes must be >= 1048576 (a 1,300-neuron layer state is hundreds of KB), got "
                + maxMessageBytes);
      }
      requirePositive(streamThreads, "stream.threads");
      requireFraction(snnRatio, "snn.ratio");
      requireFraction(minKeptFraction, "min.kept.fraction");
      requireFraction(maxRemovedFraction, "max.removed.fraction");
      requireFraction(targetSparsity, "target.sparsity");
      if (scheduleStart < 0) {
        throw new IllegalArgumentException("schedule.start must be >= 0, got " + scheduleStart);
      }
      requirePositive(scheduleCheckpoints, "schedule.checkpoints");
      requirePositive(scheduleInterval, "schedule.interval");
      // the policies check their own parameter and name it
      new Percentile(retentionPercentile);
      new TopK(retentionK);
      new CoefficientOfVariation(retentionCvShare);
      requirePositive(outcomeTimeout, "outcome.timeout");
      requirePositive(outcomeCandidates, "outcome.candidates");
      if (!(outcomeMargin >= 0) || Double.isInfinite(outcomeMargin)) {
        throw new IllegalArgumentException("outcome.margin must be >= 0, got " + outcomeMargin);
      }
      List<String> known = Criteria.defaults().names();
      for (String c : outcomeStart) {
        if (!known.contains(c)) {
          throw new IllegalArgumentException(
              "outcome.start: unknown criterion '" + c + "', known: every, " + known);
        }
      }
      kafkaClientProperties.keySet().forEach(StreamsSettings::requireNotOwned);
      requirePositive(maxLayersPerRun, "max.layers.per.run");
      requirePositive(maxNeuronsPerLayer, "max.neurons.per.layer");
      requirePositive(maxActiveRuns, "max.active.runs");
      requirePositive(maxStateBytesPerRun, "max.state.bytes.per.run");
      requirePositive(runRetention, "run.retention");
      Duration longestWait = barrierTimeout.plus(outcomeTimeout);
      if (runRetention.compareTo(longestWait) <= 0) {
        throw new IllegalArgumentException(
            "run.retention must exceed barrier.timeout + outcome.timeout ("
                + longestWait
                + "): a run whose trainers wait silently for a decision would be retired, got "
                + runRetention);
      }
      if (instanceId != null && instanceId.isBlank()) {
        throw new IllegalArgumentException(
            "instance.id must not be blank (leave it unset for dynamic membership)");
      }
      // The broker accepts session timeouts in [group.min.session.timeout.ms, group.max...]: 6 s to
      // 30 min by default.
      if (sessionTimeout == null
          || sessionTimeout.compareTo(Duration.ofSeconds(6)) < 0
          || sessionTimeout.compareTo(Duration.ofMinutes(30)) > 0) {
        throw new IllegalArgumentException(
            "session.timeout must be within the broker's default bounds, 6s to 30m, got "
                + sessionTimeout);
      }
      if (standbyReplicas < 0) {
        throw new IllegalArgumentException("standby.replicas must be >= 0, got " + standbyReplicas);
      }
      if ((signingKeyFile == null) != signingKeyId.isBlank()) {
        throw new IllegalArgumentException(
            "signing.key.file and signing.key.id go together (the key id travels with"
                + " every signature), got "
                + (signingKeyFile == null ? "only signing.key.id" : "only signing.key.file"));
      }
      return new AgentConfig(this);
    }

    private static void requireFraction(double v, String key) {
      if (!(v >= 0 && v <= 1)) {
        throw new IllegalArgumentException(key + " must be in [0, 1], got " + v);
      }
    }

    private static void requireText(String v, String key) {
      if (v == null || v.isBlank()) {
        throw new IllegalArgumentException(key + " must not be empty");
      }
    }

    private static void requirePositive(long v, String key) {
      if (v <= 0) {
        throw new IllegalArgumentException(key + " must be > 0, got " + v);
      }
    }

    private static void requirePositive(Duration d, String key) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(key + " must be a positive duration, got " + d);
      }
    }
  }
}
