package io.prunewire.trainer.kafka;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.DecisionRefusal;
import io.prunewire.protocol.DecisionSignatures;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import io.prunewire.protocol.Header;
import io.prunewire.protocol.Topics;
import io.prunewire.trainer.telemetry.TelemetrySink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's link to Kafka: publishes protocol v1 events of one run to {@code
 * prunewire.telemetry} and receives the run's decisions from {@code prunewire.decisions}.
 *
 * <p>Training must never wait for the broker. {@link #publish} encodes the event and appends it to
 * a bounded in-memory buffer; it does not block and takes time proportional to the event's size
 * only. A sender thread moves the buffer to a Kafka producer, guarded by a resilience4j circuit
 * breaker: when deliveries fail (broker down), the breaker opens and records wait in the buffer
 * until a probe succeeds (capped exponential backoff); refused credentials and denied ACLs are
 * handled the same way, and {@link #senderProblem()} and {@link #receiverProblem()} name the cause
 * and the setting to fix, neither thread ends before {@link #close()}; when the buffer is full,
 * {@code publish} drops the event and counts it ({@link SinkStats#dropped()}). Records already
 * handed to the producer when the broker went away fail after the delivery timeout and are sent
 * again in order ({@link SinkStats#resent()}): an accepted event is lost only to a non-retriable
 * error ({@link SinkStats#failed()}) or when the sink is closed with events still buffered
 * (logged).
 *
 * <p>At a checkpoint the trainer calls {@link #awaitDecision} with its timeout; if no decision came
 * in time it trains on and later picks the decision up with {@link #decision(String)} (its future
 * completes when it arrives) and applies it then.
 *
 * <pre>{@code
 * try (KafkaTelemetrySink sink = KafkaTelemetrySink.builder("127.0.0.1:9092", "run-1", "trainer-0").build()) {
 *   sink.publish(runStarted);
 *   sink.publish(new CheckpointEvent(header, "ckpt-1", 325));
 *   Optional<DecisionEvent> d = sink.awaitDecision("run-1", "ckpt-1", Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class KafkaTelemetrySink implements TelemetrySink {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaTelemetrySink.class);

  /** The longest the open breaker waits before a probe, however long the outage. */
  private static final Duration MAX_BREAKER_OPEN_DURATION = Duration.ofSeconds(16);

  private final String runId;
  private final String trainerId;
  private final BoundedBuffer buffer;
  private final CircuitBreakerRegistry breakers;
  private final CircuitBreaker breaker;
  private final TelemetrySender sender;
  private final DecisionReceiver receiver;
  private final Thread senderThread;
  private final Thread receiverThread;
  private final Duration closeTimeout;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final Map<String, AtomicLong> refusals = new ConcurrentHashMap<>();

  /** The newest step published, the step of refusals the receiver thread sends. */
  private final AtomicLong lastStep = new AtomicLong();

  private volatile boolean closed;

  private KafkaTelemetrySink(Builder b) {
    this.runId = b.runId;
    this.trainerId = b.trainerId;
    this.closeTimeout = b.closeTimeout;
    this.buffer = new BoundedBuffer(b.bufferBytes);
    // In a registry of its own so that SinkMetrics can bind resilience4j's standard meters to it.
    this.breakers =
        CircuitBreakerRegistry.of(
            CircuitBreakerConfig.custom()
                .slidingWindowSize(b.breakerWindow)
                .minimumNumberOfCalls(b.breakerWindow)
                .failureRateThreshold(50)
                // capped exponential backoff: an outage or refused credentials that last do not
                // get a probe every two seconds, and a short outage is still over quickly
                .waitIntervalFunctionInOpenState(
                    IntervalFunction.ofExponentialBackoff(
                        b.breakerOpenDuration,
                        2,
                        max(b.breakerOpenDuration, MAX_BREAKER_OPEN_DURATION)))
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
    // Tagged with run and trainer: trainers of different runs share the default trainer id.
    this.breaker =
        breakers.circuitBreaker(
            "prunewire-telemetry-" + b.trainerId, Map.of("run", runId, "trainer", b.trainerId));
    Map<String, Object> producerConfig = producerConfig(b);
    KafkaFailures explain = new KafkaFailures(b.bootstrapServers, producerConfig);
    // The sender makes a new producer if the broker refused the first one's login.
    Supplier<org.apache.kafka.clients.producer.Producer<byte[], byte[]>> producers =
        () ->
            client(
                explain,
                () ->
                    new KafkaProducer<>(
                        producerConfig, new ByteArraySerializer(), new ByteArraySerializer()));
    this.sender =
        new TelemetrySender(
            buffer,
            producers,
            b.telemetryTopic,
            runId.getBytes(StandardCharsets.UTF_8),
            breaker,
            b.maxUnacknowledged,
            explain,
            runId,
            problem -> b.problemListener.accept("sender", problem));
    KafkaConsumer<byte[], byte[]> consumer;
    try {
      consumer =
          client(
              explain,
              () ->
                  new KafkaConsumer<>(
                      consumerConfig(b), new ByteArrayDeserializer(), new ByteArrayDeserializer()));
    } catch (RuntimeException e) {
      sender.closeProducer(Duration.ZERO);
      throw e;
    }
    this.receiver =
        new DecisionReceiver(
            consumer,
            b.decisionsTopic,
            runId,
            System.currentTimeMillis() - b.decisionLookBack.toMillis(),
            Optional.ofNullable(b.decisionVerifier),
            (checkpointId, failure) ->
                publish(
                    new DecisionRefusal(
                        new Header(runId, trainerId, lastStep.get(), System.currentTimeMillis()),
                        checkpointId,
                        failure.reason().code(),
                        failure.detail())),
            explain,
            problem -> b.problemListener.accept("receiver", problem));
    this.senderThread = daemon(sender, "prunewire-telemetry-sender-" + b.trainerId, sender::died);
    this.receiverThread =
        daemon(receiver, "prunewire-decision-receiver-" + b.trainerId, receiver::died);
    senderThread.start();
    receiverThread.start();
  }

  /** A builder for a sink of one run and trainer. */
  public static Builder builder(String bootstrapServers, String runId, String trainerId) {
    return new Builder(bootstrapServers, runId, trainerId);
  }

  /**
   * Encodes the event and queues it for sending, without blocking; if the buffer is full the event
   * is dropped and counted in {@link SinkStats#dropped()}.
   *
   * @throws IllegalArgumentException if the event belongs to another run (a programming error)
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public void publish(Event event) {
    Objects.requireNonNull(event, "event");
    if (closed) {
      throw new IllegalStateException("telemetry sink of run " + runId + " is closed");
    }
    requireRun(event.runId());
    lastStep.accumulateAndGet(event.step(), Math::max);
    if (event instanceof DecisionRefusal r) {
      refusals.computeIfAbsent(r.reason(), k -> new AtomicLong()).incrementAndGet();
    }
    if (buffer.offer(EventCodec.encode(event))) {
      accepted.incrementAndGet();
      return;
    }
    long n = dropped.incrementAndGet();
    if (Long.bitCount(n)
        == 1) { // 1, 2, 4, 8, ...: report without flooding the log during an outage
      LOG.warn(
          "telemetry buffer full ({} bytes): dropped {} event(s) so far, latest {}",
          buffer.bytes(),
          n,
          event.type());
    }
  }

  /**
   * The decision of a checkpoint as a future; it completes when the decision arrives, maybe already
   * has. Each call returns a new dependent future, so a caller that cancels or completes its own
   * does not affect others.
   */
  public CompletableFuture<DecisionEvent> decision(String checkpointId) {
    return receiver.decision(Objects.requireNonNull(checkpointId, "checkpointId")).copy();
  }

  /**
   * Waits up to {@code timeout} for the decision of a checkpoint; empty if it has not arrived by
   * then. A decision that comes later is kept: a training loop that trained on polls for it with
   * {@code Duration.ZERO} (or holds {@link #decision(String)}'s future) and applies it then.
   */
  @Override
  public Optional<DecisionEvent> awaitDecision(String runId, String checkpointId, Duration timeout)
      throws InterruptedException {
    requireRun(runId);
    try {
      return Optional.of(
          receiver
              .decision(Objects.requireNonNull(checkpointId, "checkpointId"))
              .get(timeout.toNanos(), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      throw new IllegalStateException("decision future failed", e.getCause());
    }
  }

  /**
   * The candidates or the decision of a checkpoint, whichever the agent sent first; empty after
   * {@code timeout}.
   */
  @Override
  public Optional<Event> awaitCandidatesOrDecision(
      String runId, String checkpointId, Duration timeout) throws InterruptedException {
    requireRun(runId);
    Objects.requireNonNull(checkpointId, "checkpointId");
    try {
      return Optional.of(
          (Event)
              CompletableFuture.anyOf(
                      receiver.candidates(checkpointId).copy(),
                      receiver.decision(checkpointId).copy())
                  .get(timeout.toNanos(), TimeUnit.NANOSECONDS));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (ExecutionException e) {
      throw new IllegalStateException("decision future failed", e.getCause());
    }
  }

  /**
   * Waits until every event published so far was acknowledged by the broker or given up on — at
   * most the close timeout, and not at all while the circuit breaker is open (the broker is away;
   * training must not wait for it).
   */
  @Override
  public void flush() {
    long deadline = System.nanoTime() + closeTimeout.toNanos();
    try {
      while (buffer.size() + sender.retrying() > 0
          && breaker.getState() != CircuitBreaker.State.OPEN
          && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      sender.awaitUnacknowledged(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  String runId() {
    return runId;
  }

  String trainerId() {
    return trainerId;
  }

  /** Decisions this trainer refused with {@code reason} (a {@code RefusalReason} code). */
  long refusals(String reason) {
    AtomicLong n = refusals.get(reason);
    return n == null ? 0 : n.get();
  }

  /**
   * What the decision receiver is doing: {@code STARTING}, {@code RECEIVING}, {@code RETRYING} or
   * {@code STOPPED}.
   */
  public String receiverState() {
    return receiver.state().name();
  }

  /**
   * Attempts of the decision receiver to reach the broker that failed (e.g. refused credentials).
   */
  public long receiverFailures() {
    return receiver.failures();
  }

  /**
   * Why the decision receiver's last attempt failed, naming the setting to fix (e.g. {@code
   * ssl.truststore.location}, {@code sasl.jaas.config}, a topic's ACL); empty while it reads
   * decisions. Meanwhile checkpoints time out and training goes on unpruned.
   */
  public Optional<String> receiverProblem() {
    return receiver.problem();
  }

  /**
   * Why the last delivery of telemetry failed, naming the setting to fix; empty while deliveries
   * succeed. Meanwhile events wait in the buffer ({@link SinkStats#bufferedEvents()}).
   */
  public Optional<String> senderProblem() {
    return sender.problem();
  }

  CircuitBreakerRegistry breakers() {
    return breakers;
  }

  public SinkStats stats() {
    return new SinkStats(
        accepted.get(),
        sender.delivered(),
        dropped.get(),
        sender.failed(),
        sender.resent(),
        buffer.size() + sender.retrying(),
        buffer.bytes(),
        breaker.getState().name(),
        receiver.received());
  }

  /**
   * Sends what is buffered (for up to the close timeout while the broker is reachable), then stops
   * both threads and closes the clients. Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    sender.stop();
    try {
      senderThread.join(closeTimeout.toMillis());
      if (senderThread.isAlive()) {
        senderThread.interrupt();
        senderThread.join();
      }
      sender.awaitUnacknowledged(closeTimeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sender.closeProducer(closeTimeout);
    receiver.stop();
    try {
      receiverThread.join(closeTimeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    SinkStats s = stats();
    if (s.bufferedEvents() > 0 || s.dropped() > 0 || s.failed() > 0) {
      LOG.warn(
          "telemetry sink of run {} closed with {} unsent, {} dropped and {} failed event(s)",
          runId,
          s.bufferedEvents(),
          s.dropped(),
          s.failed());
    }
  }

  private void requireRun(String eventRunId) {
    if (!runId.equals(eventRunId)) {
      throw new IllegalArgumentException(
          "run '" + eventRunId + "' used with the telemetry sink of run '" + runId + "'");
    }
  }

  /**
   * A daemon thread whose death by an Error is logged and recorded in the sink's state ({@link
   * #senderProblem()}, {@link #receiverProblem()}), not only printed to stderr.
   */
  private static Thread daemon(
      Runnable r, String name, java.util.function.Consumer<Throwable> died) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.setUncaughtExceptionHandler(
        (thread, e) -> {
          LOG.error("{} died; the trainer goes on without it", thread.getName(), e);
          died.accept(e);
        });
    return t;
  }

  /**
   * Creates a Kafka client; a configuration it cannot load (a missing truststore, a wrong password)
   * becomes an IllegalArgumentException naming the setting, as it is the user's input.
   */
  private static <T> T client(KafkaFailures explain, Supplier<T> create) {
    try {
      return create.get();
    } catch (KafkaException e) {
      throw new IllegalArgumentException(explain.describeConstruction(e), e);
    }
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static Map<String, Object> producerConfig(Builder b) {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "prunewire-" + b.runId + "-" + b.trainerId);
    // idempotence keeps a run's events in order and free of duplicates across producer retries
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, b.maxRecordBytes);
    // an outage must surface within seconds so the breaker can open and the buffer take over
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) b.deliveryTimeout.toMillis() / 2);
    p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) b.deliveryTimeout.toMillis() / 2);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) b.deliveryTimeout.toMillis());
    p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    p.putAll(b.clientOverrides);
    return p;
  }

  private static Map<String, Object> consumerConfig(Builder b) {
    Map<String, Object> c = new HashMap<>();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, b.bootstrapServers);
    c.put(ConsumerConfig.CLIENT_ID_CONFIG, "prunewire-decisions-" + b.runId + "-" + b.trainerId);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // The agent writes decisions in exactly-once transactions: never apply one that may be aborted.
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Math.max(b.maxRecordBytes, 50 * 1024 * 1024));
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, b.maxRecordBytes);
    c.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000);
    c.putAll(b.clientOverrides);
    return c;
  }

  /** Client keys the sink sets itself, each with what to use instead. */
  private static final Map<String, String> OWNED_CLIENT_KEYS = ownedClientKeys();

  private static Map<String, String> ownedClientKeys() {
    Map<String, String> owned = new HashMap<>();
    owned.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "use --bootstrap-servers");
    owned.put(ProducerConfig.CLIENT_ID_CONFIG, "fixed: it names the run and trainer");
    for (String key :
        List.of(
            ProducerConfig.ACKS_CONFIG,
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            ConsumerConfig.GROUP_ID_CONFIG)) {
      owned.put(key, "fixed: ordered, duplicate-free telemetry and committed decisions only");
    }
    for (String key :
        List.of(
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG)) {
      owned.put(
          key,
          "derived from the delivery timeout, which bounds how fast an outage opens the breaker");
    }
    for (String key :
        List.of(
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
            ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG,
            ConsumerConfig.FETCH_MAX_BYTES_CONFIG)) {
      owned.put(key, "fixed: whole-layer summaries and decisions need it");
    }
    for (String key :
        List.of(
            ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
            ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
            ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG)) {
      owned.put(key, "fixed: the wire format needs it");
    }
    return Map.copyOf(owned);
  }

  /**
   * Configuration of a {@link KafkaTelemetrySink}; every setting has a default that suits training.
   */
  public static final class Builder {
    private final String bootstrapServers;
    private final String runId;
    private final String trainerId;
    private long bufferBytes = 64L * 1024 * 1024;
    private int maxUnacknowledged = 32;
    private int maxRecordBytes = 16 * 1024 * 1024;
    private Duration deliveryTimeout = Duration.ofSeconds(4);
    private Duration breakerOpenDuration = Duration.ofSeconds(2);
    private int breakerWindow = 4;
    private Duration decisionLookBack = Duration.ofSeconds(30);
    private Duration closeTimeout = Duration.ofSeconds(5);
    private String telemetryTopic = Topics.TELEMETRY;
    private String decisionsTopic = Topics.DECISIONS;
    private final Map<String, Object> clientOverrides = new HashMap<>();
    private DecisionSignatures.Verifier decisionVerifier;
    private java.util.function.BiConsumer<String, Optional<String>> problemListener =
        (thread, problem) -> {};

    private Builder(String bootstrapServers, String runId, String trainerId) {
      this.bootstrapServers = nonEmpty("bootstrapServers", bootstrapServers);
      this.runId = nonEmpty("runId", runId);
      this.trainerId = nonEmpty("trainerId", trainerId);
    }

    /**
     * Bytes of encoded events held while the broker is slow or away (default 64 MiB); beyond it
     * events are dropped.
     */
    public Builder bufferBytes(long bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("bufferBytes: must be > 0, was " + bytes);
      }
      this.bufferBytes = bytes;
      return this;
    }

    /**
     * Records handed to the producer but not yet acknowledged (default 32): what an outage can
     * lose.
     */
    public Builder maxUnacknowledged(int records) {
      if (records < 1) {
        throw new IllegalArgumentException("maxUnacknowledged: must be >= 1, was " + records);
      }
      this.maxUnacknowledged = records;
      return this;
    }

    /**
     * Time after which the producer gives up on a record (default 4 s); also bounds how fast an
     * outage is noticed.
     */
    public Builder deliveryTimeout(Duration timeout) {
      if (timeout.toMillis() < 100) {
        throw new IllegalArgumentException("deliveryTimeout: must be >= 100 ms, was " + timeout);
      }
      this.deliveryTimeout = timeout;
      return this;
    }

    /**
     * How long the open breaker holds events before it sends a probe (default 2 s); each failed
     * probe doubles it, up to 16 s (or this duration, if longer).
     */
    public Builder breakerOpenDuration(Duration duration) {
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("breakerOpenDuration: must be > 0, was " + duration);
      }
      this.breakerOpenDuration = duration;
      return this;
    }

    /** Deliveries the breaker judges (default 4); it opens when half of them failed. */
    public Builder breakerWindow(int deliveries) {
      if (deliveries < 1) {
        throw new IllegalArgumentException("breakerWindow: must be >= 1, was " + deliveries);
      }
      this.breakerWindow = deliveries;
      return this;
    }

    /**
     * How far before the sink's creation to look for decisions of this run (default 30 s; covers
     * clock skew and a restarted trainer).
     */
    public Builder decisionLookBack(Duration lookBack) {
      if (lookBack.isNegative()) {
        throw new IllegalArgumentException("decisionLookBack: must be >= 0, was " + lookBack);
      }
      this.decisionLookBack = lookBack;
      return this;
    }

    /**
     * The topic events are published to (default {@value Topics#TELEMETRY}); it must be the agent's
     * {@code telemetry.topic}.
     */
    public Builder telemetryTopic(String topic) {
      this.telemetryTopic = nonEmpty("telemetry topic", topic);
      return this;
    }

    /**
     * The topic decisions are read from (default {@value Topics#DECISIONS}); it must be the agent's
     * {@code decisions.topic}.
     */
    public Builder decisionsTopic(String topic) {
      this.decisionsTopic = nonEmpty("decisions topic", topic);
      return this;
    }

    /** How long {@link #close()} may spend flushing the buffer (default 5 s). */
    public Builder closeTimeout(Duration timeout) {
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("closeTimeout: must be >= 0, was " + timeout);
      }
      this.closeTimeout = timeout;
      return this;
    }

    /**
     * A Kafka client setting for both the producer and the decision consumer, e.g. {@code
     * security.protocol} and {@code sasl.jaas.config} of a secured cluster, or a tuning default
     * such as {@code linger.ms}.
     *
     * @throws IllegalArgumentException if the sink sets the key itself (its delivery guarantees,
     *     timeouts and wire format depend on it), naming the key
     */
    public Builder clientProperty(String key, Object value) {
      String instead = OWNED_CLIENT_KEYS.get(nonEmpty("client property", key));
      if (instead != null) {
        throw new IllegalArgumentException(
            "Kafka client property '"
                + key
                + "' is set by the telemetry sink itself ("
                + instead
                + ")");
      }
      clientOverrides.put(key, Objects.requireNonNull(value, key));
      return this;
    }

    /**
     * Accept only decisions signed by one of these keys (default: any decision); others are refused
     * with a {@code DecisionRefusal} and never applied.
     */
    public Builder decisionVerifier(DecisionSignatures.Verifier verifier) {
      this.decisionVerifier = Objects.requireNonNull(verifier, "verifier");
      return this;
    }

    /**
     * Told ({@code "sender"} or {@code "receiver"}, problem) of every failed attempt of a client
     * thread and (empty) of its end; on the failing thread, so it must be quick. For tests that
     * wait on a latch.
     */
    Builder problemListener(java.util.function.BiConsumer<String, Optional<String>> listener) {
      this.problemListener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Connects (lazily; the broker need not be up) and starts the sender and receiver threads.
     *
     * @throws IllegalArgumentException if the Kafka clients cannot be created from the client
     *     properties (e.g. a truststore that does not load), naming the setting
     */
    public KafkaTelemetrySink build() {
      return new KafkaTelemetrySink(this);
    }

    private static String nonEmpty(String field, String value) {
      if (value == null || value.isBlank()) {
        throw new IllegalArgumentException(field + ": must be a non-empty string");
      }
      return value;
    }
  }
}
