package io.prunewire.service.bench;

import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import io.prunewire.service.AgentConfig;
import io.prunewire.service.PrunewireAgent;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Agent throughput through a real broker: simulated trainers of one run send layer summaries as
 * fast as the producer allows, reaching a checkpoint every few steps; the benchmark samples the lag
 * (events produced and acknowledged by the broker minus events the agent has processed) over time,
 * waits for it to return to zero, and measures decision latency both inside the agent (barrier
 * complete to decision produced) and end to end (last trainer's checkpoint acknowledged to the
 * decision readable by a {@code read_committed} consumer, which includes the commit interval of
 * exactly-once processing).
 */
public final class AgentThroughput {

  /**
   * @param trainers simulated trainers of the run (the fleet)
   * @param neurons neurons per layer; each trainer sends two layers
   * @param duration how long the trainers send
   * @param checkpointEvery steps between checkpoints
   * @param plannedRemovals neurons to remove at each checkpoint
   * @param rate layer summaries per second over all trainers, or 0 to send as fast as the producers
   *     can (an offered load above the agent's capacity builds a backlog, and decisions then wait
   *     behind it)
   */
  public record Settings(
      int trainers,
      int neurons,
      Duration duration,
      int checkpointEvery,
      int plannedRemovals,
      double rate) {
    public Settings {
      if (trainers < 1
          || neurons < 1
          || checkpointEvery < 1
          || plannedRemovals < 0
          || duration.isNegative()
          || duration.isZero()
          || !(rate >= 0)) {
        throw new IllegalArgumentException(
            "benchmark settings: trainers, neurons, duration and"
                + " checkpointEvery must be positive, plannedRemovals and rate >= 0, got "
                + this);
      }
    }
  }

  /** One sample of the lag: events acknowledged by the broker and events the agent processed. */
  public record LagSample(double seconds, long produced, long processed) {
    public long lag() {
      return produced - processed;
    }
  }

  /**
   * What a run measured.
   *
   * @param events events the trainers sent (all acknowledged)
   * @param bytes their total size
   * @param sendSeconds how long the trainers sent
   * @param processSeconds from the first send until the agent had processed every event
   * @param lag samples over the whole run, including the drain after sending stopped
   * @param endToEndMillis decision latencies as a trainer sees them, one per decided checkpoint
   * @param agentP50Millis median decision latency inside the agent
   * @param agentP99Millis 99th percentile decision latency inside the agent
   * @param changelogBytes bytes the agent's changelog topics grew by during the run (-1 if the
   *     broker does not report log sizes)
   * @param streamThreadCpuSeconds CPU time the agent's stream threads used during the run: on a
   *     shared machine {@code events / streamThreadCpuSeconds} estimates the rate one idle core
   *     could sustain
   */
  public record Result(
      long events,
      long bytes,
      double sendSeconds,
      double processSeconds,
      List<LagSample> lag,
      List<Double> endToEndMillis,
      double agentP50Millis,
      double agentP99Millis,
      long changelogBytes,
      double streamThreadCpuSeconds) {

    /** Sustained processing rate: events over the time until the lag returned to zero. */
    public double eventsPerSecond() {
      return events / processSeconds;
    }

    public double endToEndPercentile(double q) {
      return percentile(endToEndMillis, q);
    }
  }

  private AgentThroughput() {}

  /**
   * Runs the benchmark against a running agent.
   *
   * @param progress receives a lag sample about twice a second
   */
  public static Result run(
      String bootstrapServers, PrunewireAgent agent, Settings s, Consumer<LagSample> progress)
      throws InterruptedException {
    AgentConfig config = agent.config();
    String run = "bench-" + System.currentTimeMillis();
    List<SyntheticTrainer> trainers = new ArrayList<>();
    for (int t = 0; t < s.trainers(); t++) {
      trainers.add(new SyntheticTrainer(run, "trainer-" + t, s.trainers(), s.neurons(), t));
    }
    long changelogBefore = changelogBytes(bootstrapServers, config);
    long cpuBefore = streamThreadCpuNanos();
    long processedBefore = agent.metrics().eventsProcessed();
    AtomicLong produced = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    Map<String, Long> checkpointAckedNanos = new ConcurrentHashMap<>();
    Map<String, Long> decidedNanos = new ConcurrentHashMap<>();
    AtomicBoolean stop = new AtomicBoolean();
    Thread reader = decisionReader(bootstrapServers, config, run, decidedNanos, stop);
    long start = System.nanoTime();
    long sendUntil = start + s.duration().toNanos();
    CountDownLatch sent = new CountDownLatch(trainers.size());
    for (SyntheticTrainer t : trainers) {
      Thread th =
          new Thread(
              () -> {
                try (KafkaProducer<String, byte[]> p = producer(bootstrapServers, config)) {
                  send(p, config.telemetryTopic(), t.started(), produced, bytes, null);
                  p.flush();
                  long stepNanos =
                      s.rate() == 0 ? 0 : (long) (1e9 * t.summaryCount() * s.trainers() / s.rate());
                  long next = System.nanoTime();
                  for (long step = 1; System.nanoTime() < sendUntil; step++) {
                    next += stepNanos;
                    pauseUntil(next);
                    for (Event e : t.summaries(step)) {
                      send(p, config.telemetryTopic(), e, produced, bytes, null);
                    }
                    if (step % s.checkpointEvery() == 0) {
                      String id = "c" + step / s.checkpointEvery();
                      send(
                          p,
                          config.telemetryTopic(),
                          t.checkpoint(step, id, s.plannedRemovals()),
                          produced,
                          bytes,
                          () -> checkpointAckedNanos.merge(id, System.nanoTime(), Math::max));
                    }
                  }
                  p.flush();
                } finally {
                  sent.countDown();
                }
              },
              "bench-" + t.trainerId());
      th.setDaemon(true);
      th.start();
    }
    List<LagSample> lag = Collections.synchronizedList(new ArrayList<>());
    while (!sent.await(500, TimeUnit.MILLISECONDS)) {
      lag.add(sample(start, produced, agent, processedBefore, progress));
    }
    double sendSeconds = (System.nanoTime() - start) / 1e9;
    long drainDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    LagSample last;
    do {
      Thread.sleep(200);
      last = sample(start, produced, agent, processedBefore, progress);
      lag.add(last);
    } while (last.lag() > 0 && System.nanoTime() < drainDeadline);
    double processSeconds = last.seconds();
    long decisionDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (decidedNanos.size() < checkpointAckedNanos.size()
        && System.nanoTime() < decisionDeadline) {
      Thread.sleep(100);
    }
    stop.set(true);
    reader.join(5_000);
    List<Double> e2e = new ArrayList<>();
    checkpointAckedNanos.forEach(
        (id, acked) -> {
          Long decided = decidedNanos.get(id);
          if (decided != null) {
            e2e.add(Math.max(0, decided - acked) / 1e6);
          }
        });
    long cpuAfter = streamThreadCpuNanos();
    long changelogAfter = changelogBytes(bootstrapServers, config);
    return new Result(
        produced.get(),
        bytes.get(),
        sendSeconds,
        processSeconds,
        List.copyOf(lag),
        e2e,
        agent.metrics().decisionLatencyMillis(0.5),
        agent.metrics().decisionLatencyMillis(0.99),
        changelogBefore < 0 || changelogAfter < 0 ? -1 : changelogAfter - changelogBefore,
        (cpuAfter - cpuBefore) / 1e9);
  }

  private static void pauseUntil(long nanoTime) {
    long wait = nanoTime - System.nanoTime();
    if (wait > 0) {
      try {
        TimeUnit.NANOSECONDS.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static LagSample sample(
      long start,
      AtomicLong produced,
      PrunewireAgent agent,
      long processedBefore,
      Consumer<LagSample> progress) {
    LagSample sample =
        new LagSample(
            (System.nanoTime() - start) / 1e9,
            produced.get(),
            agent.metrics().eventsProcessed() - processedBefore);
    progress.accept(sample);
    return sample;
  }

  private static void send(
      KafkaProducer<String, byte[]> p,
      String topic,
      Event e,
      AtomicLong produced,
      AtomicLong bytes,
      Runnable onAck) {
    byte[] value = EventCodec.encode(e);
    p.send(
        new ProducerRecord<>(topic, e.runId(), value),
        (meta, error) -> {
          if (error != null) {
            throw new IllegalStateException("benchmark send failed", error);
          }
          bytes.addAndGet(value.length);
          produced.incrementAndGet();
          if (onAck != null) {
            onAck.run();
          }
        });
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap, AgentConfig config) {
    Properties p = new Properties();
    p.putAll(config.kafkaClientProperties());
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, config.maxMessageBytes());
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 64L << 20);
    return new KafkaProducer<>(p);
  }

  private static Thread decisionReader(
      String bootstrap,
      AgentConfig config,
      String run,
      Map<String, Long> decidedNanos,
      AtomicBoolean stop)
      throws InterruptedException {
    String topic = config.decisionsTopic();
    Properties p = new Properties();
    p.putAll(config.kafkaClientProperties());
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 << 20);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    CountDownLatch positioned = new CountDownLatch(1);
    Thread t =
        new Thread(
            () -> {
              try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
                List<TopicPartition> parts =
                    c.partitionsFor(topic).stream()
                        .map(i -> new TopicPartition(topic, i.partition()))
                        .toList();
                c.assign(parts);
                c.seekToEnd(parts);
                parts.forEach(c::position);
                positioned.countDown();
                while (!stop.get()) {
                  for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(50))) {
                    if (run.equals(r.key())) {
                      DecisionEvent d = (DecisionEvent) EventCodec.decode(r.value());
                      decidedNanos.putIfAbsent(d.checkpointId(), System.nanoTime());
                    }
                  }
                }
              }
            },
            "bench-decisions");
    t.setDaemon(true);
    t.start();
    positioned.await(30, TimeUnit.SECONDS);
    return t;
  }

  /** CPU time so far of this JVM's Kafka Streams threads, in nanoseconds. */
  private static long streamThreadCpuNanos() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (info != null && info.getThreadName().contains("-StreamThread-")) {
        total += Math.max(0, mx.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
  }

  /** Total size of the agent's changelog partitions on every broker, or -1 if not reported. */
  private static long changelogBytes(String bootstrap, AgentConfig config) {
    Properties p = new Properties();
    p.putAll(config.kafkaClientProperties());
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(p)) {
      List<Integer> brokers =
          admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream().map(Node::id).toList();
      long total = 0;
      for (Map<String, LogDirDescription> dirs :
          admin.describeLogDirs(brokers).allDescriptions().get(30, TimeUnit.SECONDS).values()) {
        for (LogDirDescription d : dirs.values()) {
          for (var e : d.replicaInfos().entrySet()) {
            String topic = e.getKey().topic();
            if (topic.startsWith(config.applicationId() + "-") && topic.endsWith("-changelog")) {
              total += e.getValue().size();
            }
          }
        }
      }
      return total;
    } catch (Exception e) {
      return -1;
    }
  }

  static double percentile(List<Double> values, double q) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int index = (int) Math.ceil(q * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }
}
