package io.prunewire.service.bench;

import io.prunewire.protocol.Event;
import io.prunewire.protocol.EventCodec;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A process of simulated trainers for the agent benchmark: each trainer ({@link SyntheticTrainer},
 * one thread and one producer) announces its run, then sends its 8 layer summaries per step and a
 * checkpoint every few steps, paced so that the process offers {@code rate} layer summaries per
 * second in total, for {@code seconds}: each trainer sends the same whole number of checkpoint
 * intervals, so every checkpoint of a run completes its barrier. With {@code rate} 0 the trainers
 * send as fast as their producers can and stop at the first checkpoint after {@code seconds} (at
 * least one checkpoint interval each). It ends by printing {@code sent <events> <bytes> <cpu
 * nanoseconds> <run/index>=<checkpoints>,...} once the broker acknowledged every event: the CPU
 * time is the process's from the start of the send window (building the synthetic summaries before
 * it is not counted), then each trainer's checkpoint count (flat out, the trainers of a run may
 * stop at different checkpoints).
 *
 * <p>Started by {@link AgentThroughput} with the same class path; its arguments are {@code
 * key=value}: {@code bootstrap}, {@code topic}, {@code trainers} (comma-separated {@code
 * run/index}), {@code fleet} (trainers per run), {@code neurons}, {@code rate}, {@code seconds},
 * {@code checkpoint.every}, {@code removals} and optionally {@code kafka.config} (a properties file
 * of Kafka client settings).
 */
public final class TrainerSim {

  static final String SENT = "sent ";

  private TrainerSim() {}

  /** The arguments of a process that runs {@code trainers} (each {@code run/index}). */
  static List<String> arguments(
      String bootstrap,
      String topic,
      List<String> trainers,
      int fleet,
      int neurons,
      double rate,
      long seconds,
      int checkpointEvery,
      int removals,
      Path kafkaConfig) {
    List<String> a = new ArrayList<>();
    a.add("bootstrap=" + bootstrap);
    a.add("topic=" + topic);
    a.add("trainers=" + String.join(",", trainers));
    a.add("fleet=" + fleet);
    a.add("neurons=" + neurons);
    a.add("rate=" + rate);
    a.add("seconds=" + seconds);
    a.add("checkpoint.every=" + checkpointEvery);
    a.add("removals=" + removals);
    if (kafkaConfig != null) {
      a.add("kafka.config=" + kafkaConfig);
    }
    return a;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("expected key=value, got " + arg);
      }
      a.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    String[] trainers = a.get("trainers").split(",");
    int fleet = Integer.parseInt(a.get("fleet"));
    int neurons = Integer.parseInt(a.get("neurons"));
    double rate = Double.parseDouble(a.get("rate"));
    long seconds = Long.parseLong(a.get("seconds"));
    int checkpointEvery = Integer.parseInt(a.get("checkpoint.every"));
    int removals = Integer.parseInt(a.get("removals"));
    Properties props = producerProperties(a.get("bootstrap"), a.get("kafka.config"));
    String topic = a.get("topic");
    AtomicLong events = new AtomicLong();
    AtomicLong bytes = new AtomicLong();
    Map<String, AtomicLong> checkpoints = new ConcurrentSkipListMap<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    List<SyntheticTrainer> sims = new ArrayList<>();
    for (String spec : trainers) {
      String run = spec.substring(0, spec.lastIndexOf('/'));
      int index = Integer.parseInt(spec.substring(spec.lastIndexOf('/') + 1));
      sims.add(new SyntheticTrainer(run, "trainer-" + index, fleet, neurons, index));
      checkpoints.put(spec, new AtomicLong());
    }
    // the send window starts once the synthetic summaries are built, which takes a while on a
    // busy machine
    long sendUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    long cpuAtStart = processCpuNanos();
    for (int i = 0; i < sims.size(); i++) {
      SyntheticTrainer t = sims.get(i);
      AtomicLong reached = checkpoints.get(trainers[i]);
      // each trainer's share of the process's rate, as the wait between its steps
      double stepsPerSecond = rate / (t.summaryCount() * trainers.length);
      long stepNanos = rate == 0 ? 0 : (long) (1e9 / stepsPerSecond);
      long steps =
          rate == 0
              ? Long.MAX_VALUE
              : checkpointEvery * Math.max(1, (long) (seconds * stepsPerSecond / checkpointEvery));
      Thread th =
          new Thread(
              () -> {
                try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(props)) {
                  Sender send = e -> send(p, topic, e, events, bytes, failure);
                  send.accept(t.started());
                  p.flush();
                  long next = System.nanoTime();
                  for (long step = 1; step <= steps; step++) {
                    // flat out, every trainer sends at least one checkpoint interval, even one
                    // that got no CPU before the window closed (many trainers in one process)
                    if (rate == 0
                        && step > 1
                        && (step - 1) % checkpointEvery == 0
                        && System.nanoTime() >= sendUntil) {
                      break;
                    }
                    next += stepNanos;
                    pauseUntil(next);
                    for (Event e : t.summaries(step)) {
                      send.accept(e);
                    }
                    if (step % checkpointEvery == 0) {
                      send.accept(t.checkpoint(step, "c" + step / checkpointEvery, removals));
                      reached.incrementAndGet();
                    }
                  }
                  p.flush();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } catch (RuntimeException | Error e) {
                  failure.compareAndSet(null, e);
                }
              },
              t.runId() + "/" + t.trainerId());
      threads.add(th);
      th.start();
    }
    for (Thread th : threads) {
      th.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a simulated trainer failed", failure.get());
    }
    System.out.println(
        SENT
            + events.get()
            + " "
            + bytes.get()
            + " "
            + (processCpuNanos() - cpuAtStart)
            + " "
            + checkpoints.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue().get())
                .collect(Collectors.joining(",")));
  }

  /** CPU time of this JVM (all threads), 0 if the platform does not say. */
  static long processCpuNanos() {
    return ManagementFactory.getOperatingSystemMXBean()
            instanceof com.sun.management.OperatingSystemMXBean os
        ? Math.max(0, os.getProcessCpuTime())
        : 0;
  }

  private interface Sender {
    void accept(Event e) throws InterruptedException;
  }

  private static void pauseUntil(long nanoTime) throws InterruptedException {
    long wait = nanoTime - System.nanoTime();
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  private static void send(
      KafkaProducer<String, byte[]> p,
      String topic,
      Event e,
      AtomicLong events,
      AtomicLong bytes,
      AtomicReference<Throwable> failure) {
    byte[] value = EventCodec.encode(e);
    int size = value.length; // the callback keeps the size, not the bytes
    p.send(
        new ProducerRecord<>(topic, e.runId(), value),
        (meta, error) -> {
          if (error != null) {
            failure.compareAndSet(null, error);
          } else {
            bytes.addAndGet(size);
            events.incrementAndGet();
          }
        });
  }

  private static Properties producerProperties(String bootstrap, String kafkaConfig)
      throws IOException {
    Properties p = new Properties();
    if (kafkaConfig != null) {
      try (InputStream in = Files.newInputStream(Path.of(kafkaConfig))) {
        p.load(in);
      }
    }
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 16 << 20);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 32L << 20);
    return p;
  }
}
