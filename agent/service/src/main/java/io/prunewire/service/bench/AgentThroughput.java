package io.prunewire.service.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/**
 * The agent benchmark in the deployed topology: {@code instances} agent processes (one consumer
 * group, each with its own state directory, instance id and metrics port) and {@code
 * trainerProcesses} processes of simulated trainers ({@link TrainerSim}) on one Kafka cluster. For
 * each offered load the trainers of fresh runs send for {@code loadDuration}; the benchmark samples
 * the consumer group's lag (end offsets of the telemetry topic minus the agents' committed offsets)
 * until it is back to zero, and reads each agent's {@code /metrics} (decisions, decision latency
 * histogram, state bytes), its process CPU time and resident memory, and the growth of the
 * changelog topics.
 *
 * <p>Telemetry is keyed by run; the run ids are chosen so that the runs spread evenly over the
 * partitions (as many hashed runs would), which is what lets several instances share the work.
 */
public final class AgentThroughput {

  private static final Pattern METRICS_URL =
      Pattern.compile(".*metrics on (http://[0-9.:]+)/metrics.*");
  private static final long SAMPLE_MILLIS = 200;
  private static final Pattern SENT = Pattern.compile(TrainerSim.SENT + "(\\d+ \\d+ \\d+ \\S+)");

  /**
   * @param instances agent processes
   * @param trainerProcesses processes the simulated trainers are spread over
   * @param runs runs per load, each a fleet of {@code trainersPerRun}
   * @param neurons neurons per layer; each trainer sends two layers
   * @param rates offered loads in layer summaries per second over all trainers, one after the
   *     other; 0 sends as fast as the producers can
   * @param loadDuration how long the trainers send at each load
   * @param checkpointEvery steps (8 summaries each per trainer) between checkpoints
   * @param partitions partitions of the telemetry topic (at most this many instances share work)
   * @param commitInterval the agents' commit interval
   * @param backlog whether a backlog load follows the offered loads: the agents stop, the trainers
   *     of fresh runs send flat out for {@code loadDuration}, and the agents, started again, drain
   *     what they sent with no trainer running beside them (what the agents sustain on their own)
   */
  public record Settings(
      int instances,
      int trainerProcesses,
      int runs,
      int trainersPerRun,
      int neurons,
      List<Double> rates,
      Duration loadDuration,
      int checkpointEvery,
      int partitions,
      Duration commitInterval,
      boolean backlog) {
    public Settings {
      rates = List.copyOf(rates);
      require(instances >= 1, "instances must be at least 1, got " + instances);
      require(
          trainerProcesses >= 1, "trainer processes must be at least 1, got " + trainerProcesses);
      require(runs >= 1, "runs must be at least 1, got " + runs);
      require(trainersPerRun >= 1, "trainers per run must be at least 1, got " + trainersPerRun);
      require(
          trainerProcesses <= runs * trainersPerRun,
          "trainer processes ("
              + trainerProcesses
              + ") must not exceed the trainers (runs x trainers per run = "
              + runs * trainersPerRun
              + ")");
      require(neurons >= 1, "neurons must be at least 1, got " + neurons);
      require(!rates.isEmpty(), "name at least one rate");
      for (double r : rates) {
        require(r >= 0 && Double.isFinite(r), "rates must be >= 0 (0 = flat out), got " + r);
      }
      require(
          loadDuration.toSeconds() >= 1,
          "the load duration must be at least 1 s, got " + loadDuration);
      require(checkpointEvery >= 1, "checkpoint-every must be at least 1, got " + checkpointEvery);
      require(partitions >= 1, "partitions must be at least 1, got " + partitions);
      require(
          !commitInterval.isNegative() && !commitInterval.isZero(),
          "the commit interval must be positive, got " + commitInterval);
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }

    /** Neurons removed at each checkpoint: 1 % of a layer, at least one. */
    int plannedRemovals() {
      return Math.max(1, neurons / 100);
    }
  }

  /**
   * How to start the child JVMs.
   *
   * @param java the {@code java} executable followed by the class path option, e.g. {@code [java,
   *     -cp, CLASSPATH]}
   * @param agentCommand what follows the JVM options to run {@code prunewire agent}, e.g. {@code
   *     [io.prunewire.cli.Main, agent]}; the benchmark appends its flags ({@code
   *     --bootstrap-servers}, {@code --metrics-port 0}, {@code --state-dir}, {@code --instance-id},
   *     {@code --config}, and {@code --kafka-config} when Kafka client properties are set)
   * @param agentJvmOptions JVM options of each agent (heap, a JFR recording, ...)
   * @param workDir where state directories, settings files and logs go
   * @param kafka Kafka client properties for every client (agents, trainers, the benchmark's admin)
   */
  public record Launch(
      List<String> java,
      List<String> agentCommand,
      List<String> agentJvmOptions,
      Path workDir,
      Map<String, String> kafka) {
    public Launch {
      java = List.copyOf(java);
      agentCommand = List.copyOf(agentCommand);
      agentJvmOptions = List.copyOf(agentJvmOptions);
      kafka = Map.copyOf(kafka);
    }
  }

  /** One sample of the consumer group's lag, seconds after the load started. */
  public record LagSample(double seconds, long produced, long processed) {
    public long lag() {
      return produced - processed;
    }
  }

  /**
   * What one offered load measured.
   *
   * @param offered the offered load in summaries per second (0: flat out)
   * @param backlog whether this was the backlog load: the trainers sent (flat out) while the agents
   *     were stopped, and the agents drained it afterwards
   * @param events events the trainers sent, all acknowledged
   * @param bytes their encoded size
   * @param sendSeconds from the first event seen (lag samples are 0.2 s apart) until the trainer
   *     processes had exited
   * @param processSeconds from the first event seen until the agents had committed every event; for
   *     the backlog load, from the first agent being ready again until then
   * @param decisions decisions the agents issued for completed barriers
   * @param checkpoints checkpoints every trainer of their run reached, summed over the runs: each
   *     completes its barrier and should get a decision (flat out, the faster trainers of a run may
   *     send a checkpoint more, whose barrier waits for its timeout)
   * @param agentP50Millis median decision latency inside the agents (barrier complete to decision),
   *     from their histograms
   * @param agentP99Millis its 99th percentile
   * @param changelogBytes growth of the agents' changelog topics (-1 if the broker does not say)
   * @param agentCpuSeconds CPU time of every agent process during the load
   * @param trainerCpuSeconds CPU time of the trainer processes while they sent
   * @param benchCpuSeconds CPU time of the benchmark's own JVM during the load: the embedded broker
   *     if there is one, and the lag sampling
   * @param stateBytes serialised state of every run held after the load ({@code
   *     prunewire_state_bytes})
   * @param runsHeld runs whose state the agents hold (all loads so far)
   * @param neuronsHeld neurons of those runs
   * @param agentResidentBytes resident memory of the agent processes after the load
   * @param lag the samples, including the drain after the trainers stopped
   */
  public record LoadResult(
      double offered,
      boolean backlog,
      long events,
      long bytes,
      double sendSeconds,
      double processSeconds,
      double decisions,
      long checkpoints,
      double agentP50Millis,
      double agentP99Millis,
      long changelogBytes,
      double agentCpuSeconds,
      double trainerCpuSeconds,
      double benchCpuSeconds,
      double stateBytes,
      int runsHeld,
      long neuronsHeld,
      long agentResidentBytes,
      List<LagSample> lag) {

    /** Events over the time until the lag was back to zero. */
    public double eventsPerSecond() {
      return events / processSeconds;
    }

    /** How long the agents still worked after the trainers had stopped. */
    public double drainSeconds() {
      return backlog ? processSeconds : processSeconds - sendSeconds;
    }

    public long maxLag() {
      return lag.stream().mapToLong(LagSample::lag).max().orElse(0);
    }

    public double cpuMillisPerEvent() {
      return 1e3 * agentCpuSeconds / events;
    }

    public double trainerCpuMillisPerEvent() {
      return 1e3 * trainerCpuSeconds / events;
    }

    public double benchCpuMillisPerEvent() {
      return 1e3 * benchCpuSeconds / events;
    }
  }

  private AgentThroughput() {}

  /**
   * Starts the agents on {@code bootstrap}, runs every load of {@code s.rates()} (then the backlog
   * load if {@code s.backlog()}) and stops them. Every child process is stopped when this returns
   * or throws (and when the JVM exits).
   *
   * @param progress receives a line of what happens and a lag sample five times a second
   */
  public static List<LoadResult> run(
      String bootstrap, Settings s, Launch launch, Consumer<String> progress)
      throws IOException, InterruptedException, ExecutionException, TimeoutException {
    String app = "prunewire-bench-" + System.currentTimeMillis();
    String topic = app + ".telemetry";
    Files.createDirectories(launch.workDir());
    Path kafkaConfig =
        launch.kafka().isEmpty()
            ? null
            : writeProperties(launch.workDir().resolve("kafka-client.properties"), launch.kafka());
    Map<String, String> agentSettings = new HashMap<>();
    agentSettings.put("application.id", app);
    agentSettings.put("telemetry.topic", topic);
    agentSettings.put("decisions.topic", app + ".decisions");
    agentSettings.put("dead.letter.topic", app + ".dead-letter");
    agentSettings.put("partitions", Integer.toString(s.partitions()));
    agentSettings.put("commit.interval", s.commitInterval().toMillis() + "ms");
    Path agentConfig = writeProperties(launch.workDir().resolve("agent.properties"), agentSettings);
    Properties adminProps = new Properties();
    adminProps.putAll(launch.kafka());
    adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(adminProps);
        Agents agents =
            new Agents(s.instances(), bootstrap, app, agentConfig, kafkaConfig, launch)) {
      agents.start(progress);
      List<TopicPartition> partitions = new ArrayList<>();
      for (int p = 0; p < s.partitions(); p++) {
        partitions.add(new TopicPartition(topic, p));
      }
      Load load =
          new Load(
              s, launch, bootstrap, topic, kafkaConfig, admin, app, partitions, agents, progress);
      List<LoadResult> results = new ArrayList<>();
      for (double rate : s.rates()) {
        results.add(load.run(results.size(), rate, false));
      }
      if (s.backlog()) {
        results.add(load.run(results.size(), 0, true));
      }
      return results;
    }
  }

  /**
   * The agent processes: started once, and stopped and started again (same state directories and
   * instance ids, so each takes its partitions back) around the backlog load.
   */
  private static final class Agents implements AutoCloseable {

    private final List<List<String>> commands = new ArrayList<>();
    private final Path workDir;
    private final List<ChildProcess> processes = new ArrayList<>();
    private final List<String> urls = new ArrayList<>();
    private int starts;

    Agents(
        int instances,
        String bootstrap,
        String app,
        Path agentConfig,
        Path kafkaConfig,
        Launch launch) {
      this.workDir = launch.workDir();
      for (int i = 0; i < instances; i++) {
        List<String> cmd = new ArrayList<>(launch.java());
        cmd.addAll(launch.agentJvmOptions());
        cmd.addAll(launch.agentCommand());
        cmd.addAll(
            List.of(
                "--bootstrap-servers",
                bootstrap,
                "--metrics-port",
                "0",
                "--state-dir",
                workDir.resolve("agent-" + i + "-state").toString(),
                "--instance-id",
                app + "-" + i,
                "--config",
                agentConfig.toString()));
        if (kafkaConfig != null) {
          cmd.addAll(List.of("--kafka-config", kafkaConfig.toString()));
        }
        commands.add(cmd);
      }
    }

    /**
     * Starts every agent at once and waits until each is ready (processing). The first one ready
     * processes every partition until the others join, as in a deployment that restarts.
     */
    Readiness start(Consumer<String> progress) throws IOException, InterruptedException {
      starts++;
      for (int i = 0; i < commands.size(); i++) {
        Path log = workDir.resolve("agent-" + i + (starts == 1 ? "" : "-start-" + starts) + ".log");
        processes.add(ChildProcess.start("agent " + i, commands.get(i), log));
      }
      for (ChildProcess agent : processes) {
        urls.add(agent.awaitLine(METRICS_URL, Duration.ofMinutes(3)));
        progress.accept(agent.name() + " started (pid log " + agent.log() + ")");
      }
      Readiness readiness = awaitReady(processes, urls);
      progress.accept("agents ready");
      return readiness;
    }

    /** Stops every agent gracefully (SIGTERM). */
    void stop() throws InterruptedException {
      for (ChildProcess a : processes) {
        a.close();
      }
      processes.clear();
      urls.clear();
    }

    AgentScrape scrape() throws IOException, InterruptedException {
      return AgentThroughput.scrape(urls);
    }

    /** CPU time of the running agent processes since they started. */
    double cpuSeconds() {
      double total = 0;
      for (ChildProcess a : processes) {
        total += a.cpu().toNanos() / 1e9;
      }
      return total;
    }

    long residentBytes() {
      long resident = 0;
      for (ChildProcess a : processes) {
        resident += Math.max(0, a.residentBytes());
      }
      return resident;
    }

    @Override
    public void close() throws InterruptedException {
      stop();
    }
  }

  /** One load after another, on the same cluster, topic and agents. */
  private record Load(
      Settings s,
      Launch launch,
      String bootstrap,
      String topic,
      Path kafkaConfig,
      Admin admin,
      String app,
      List<TopicPartition> partitions,
      Agents agents,
      Consumer<String> progress) {

    /**
     * Load number {@code index}: fresh runs send at {@code rate} (0: flat out); for the backlog
     * load they send flat out while the agents are stopped, and the clock starts when the first
     * agent is ready again.
     */
    LoadResult run(int index, double rate, boolean backlog)
        throws IOException, InterruptedException, ExecutionException, TimeoutException {
      List<List<String>> perProcess = new ArrayList<>();
      for (int m = 0; m < s.trainerProcesses(); m++) {
        perProcess.add(new ArrayList<>());
      }
      int k = 0;
      for (String run : runIds(app + "-l" + index, s.runs(), s.partitions())) {
        for (int t = 0; t < s.trainersPerRun(); t++) {
          perProcess.get(k++ % s.trainerProcesses()).add(run + "/" + t);
        }
      }
      if (backlog) {
        agents.stop();
        progress.accept("agents stopped: the trainers fill a backlog");
      }
      Offsets offsets = new Offsets(admin, app, partitions);
      long base = offsets.end();
      AgentScrape before = backlog ? null : agents.scrape();
      double cpuBefore = agents.cpuSeconds();
      long benchCpuBefore = TrainerSim.processCpuNanos();
      long changelogBefore = changelogBytes(admin, app);
      List<ChildProcess> trainers = new ArrayList<>();
      List<LagSample> lag = new ArrayList<>();
      long start = System.nanoTime();
      try {
        for (int m = 0; m < perProcess.size(); m++) {
          List<String> mine = perProcess.get(m);
          List<String> cmd = new ArrayList<>(launch.java());
          cmd.addAll(List.of("-Xmx768m", TrainerSim.class.getName()));
          cmd.addAll(
              TrainerSim.arguments(
                  bootstrap,
                  topic,
                  mine,
                  s.trainersPerRun(),
                  s.neurons(),
                  rate * mine.size() / (s.runs() * s.trainersPerRun()),
                  s.loadDuration().toSeconds(),
                  s.checkpointEvery(),
                  s.plannedRemovals(),
                  kafkaConfig));
          trainers.add(
              ChildProcess.start(
                  "trainers " + m,
                  cmd,
                  launch.workDir().resolve("load-" + index + "-trainers-" + m + ".log")));
        }
        while (trainers.stream().anyMatch(ChildProcess::alive)) {
          lag.add(sample(start, base, offsets, progress));
          Thread.sleep(SAMPLE_MILLIS);
        }
        double sendSeconds = (System.nanoTime() - start) / 1e9;
        long events = 0;
        long bytes = 0;
        Map<String, Long> reached = new HashMap<>();
        long trainerCpuNanos = 0;
        for (ChildProcess t : trainers) {
          if (t.exitValue() != 0) {
            throw new IllegalStateException(
                t.name() + " failed (exit " + t.exitValue() + "); its output:\n" + t.tail());
          }
          String[] sent = t.awaitLine(SENT, Duration.ofSeconds(5)).split(" ");
          events += Long.parseLong(sent[0]);
          bytes += Long.parseLong(sent[1]);
          trainerCpuNanos += Long.parseLong(sent[2]);
          for (String trainer : sent[3].split(",")) {
            int eq = trainer.lastIndexOf('=');
            String run = trainer.substring(0, trainer.lastIndexOf('/', eq));
            reached.merge(run, Long.parseLong(trainer.substring(eq + 1)), Math::min);
          }
        }
        double readySeconds = 0;
        if (backlog) {
          lag.add(sample(start, base, offsets, progress));
          benchCpuBefore = TrainerSim.processCpuNanos();
          Readiness readiness = agents.start(progress);
          // fresh processes: their counters start at zero, and only their start-up CPU is not load
          readySeconds = (readiness.firstReadyNanos() - start) / 1e9;
          before = AgentScrape.EMPTY;
          cpuBefore = readiness.startUpCpuSeconds();
        }
        long drainDeadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        LagSample last;
        do {
          Thread.sleep(SAMPLE_MILLIS);
          last = sample(start, base, offsets, progress);
          lag.add(last);
        } while (last.lag() > 0 && System.nanoTime() < drainDeadline);
        if (last.lag() > 0) {
          throw new IllegalStateException(
              "the agents did not catch up within 10 minutes after the trainers stopped (lag "
                  + last.lag()
                  + ")");
        }
        AgentScrape after = agents.scrape();
        long changelogAfter = changelogBytes(admin, app);
        int runsHeld = (index + 1) * s.runs();
        // the clock starts at the first sample that saw an event (JVM start-up is not load); the
        // backlog's processing clock when the agents are ready again
        double firstEvent =
            lag.stream().filter(l -> l.produced() > 0).findFirst().orElse(last).seconds();
        double first = backlog ? readySeconds : firstEvent;
        AgentScrape delta = after.minus(before);
        return new LoadResult(
            rate,
            backlog,
            events,
            bytes,
            sendSeconds - firstEvent,
            last.seconds() - first,
            delta.decisions(),
            reached.values().stream().mapToLong(Long::longValue).sum(),
            delta.latencyMillis(0.5),
            delta.latencyMillis(0.99),
            changelogBefore < 0 || changelogAfter < 0 ? -1 : changelogAfter - changelogBefore,
            agents.cpuSeconds() - cpuBefore,
            trainerCpuNanos / 1e9,
            (TrainerSim.processCpuNanos() - benchCpuBefore) / 1e9,
            after.stateBytes(),
            runsHeld,
            2L * s.neurons() * runsHeld,
            agents.residentBytes(),
            List.copyOf(lag));
      } finally {
        for (ChildProcess t : trainers) {
          t.close();
        }
      }
    }
  }

  /**
   * {@code count} run ids starting with {@code prefix} whose telemetry partition (Kafka's default
   * partitioner: murmur2 of the key modulo the partitions) goes round-robin over the partitions.
   */
  static List<String> runIds(String prefix, int count, int partitions) {
    List<String> ids = new ArrayList<>();
    int suffix = 0;
    for (int r = 0; r < count; r++) {
      String id;
      do {
        id = prefix + "-r" + r + "-" + suffix++;
      } while (partition(id, partitions) != r % partitions);
      ids.add(id);
    }
    return ids;
  }

  static int partition(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }

  private static LagSample sample(long start, long base, Offsets offsets, Consumer<String> progress)
      throws InterruptedException, ExecutionException, TimeoutException {
    long end = offsets.end();
    long committed = offsets.committed(base);
    LagSample sample =
        new LagSample((System.nanoTime() - start) / 1e9, end - base, committed - base);
    progress.accept(String.format(Locale.ROOT, "%.1f s lag %d", sample.seconds(), sample.lag()));
    return sample;
  }

  /**
   * The telemetry topic's end offsets and the agents' committed offsets, summed over partitions.
   */
  private record Offsets(Admin admin, String group, List<TopicPartition> partitions) {

    long end() throws InterruptedException, ExecutionException, TimeoutException {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
      long total = 0;
      for (var info : admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).values()) {
        total += info.offset();
      }
      return total;
    }

    /** Committed offsets; a partition without one counts as {@code base}'s share (nothing yet). */
    long committed(long base) throws InterruptedException, ExecutionException, TimeoutException {
      Map<TopicPartition, OffsetAndMetadata> c =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(30, TimeUnit.SECONDS);
      long total = 0;
      boolean all = true;
      for (TopicPartition p : partitions) {
        OffsetAndMetadata o = c.get(p);
        if (o == null) {
          all = false;
        } else {
          total += o.offset();
        }
      }
      return all ? total : Math.min(total, base);
    }
  }

  /**
   * When agents came up: the first one ready (from then on partitions are processed) and each
   * agent's CPU time at its own readiness (its start-up, not load).
   */
  private record Readiness(long firstReadyNanos, double startUpCpuSeconds) {}

  private static Readiness awaitReady(List<ChildProcess> agents, List<String> urls)
      throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    boolean[] ready = new boolean[urls.size()];
    long firstReady = 0;
    double startUpCpu = 0;
    int waiting = urls.size();
    while (waiting > 0) {
      for (int i = 0; i < urls.size(); i++) {
        if (ready[i]) {
          continue;
        }
        try {
          if (http.send(
                      HttpRequest.newBuilder(URI.create(urls.get(i) + "/ready")).build(),
                      HttpResponse.BodyHandlers.discarding())
                  .statusCode()
              == 200) {
            ready[i] = true;
            waiting--;
            startUpCpu += agents.get(i).cpu().toNanos() / 1e9;
            if (firstReady == 0) {
              firstReady = System.nanoTime();
            }
            continue;
          }
        } catch (IOException e) {
          // not listening yet
        }
        if (!agents.get(i).alive() || System.nanoTime() > deadline) {
          throw new IllegalStateException(
              agents.get(i).name() + " did not become ready; its output:\n" + agents.get(i).tail());
        }
      }
      if (waiting > 0) {
        Thread.sleep(100);
      }
    }
    return new Readiness(firstReady, startUpCpu);
  }

  private static AgentScrape scrape(List<String> urls) throws IOException, InterruptedException {
    HttpClient http = HttpClient.newHttpClient();
    AgentScrape total = AgentScrape.EMPTY;
    for (String url : urls) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "/metrics")).build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(url + "/metrics answered " + r.statusCode());
      }
      total = total.plus(AgentScrape.parse(r.body()));
    }
    return total;
  }

  /** Total size of the agents' changelog partitions on every broker, or -1 if not reported. */
  private static long changelogBytes(Admin admin, String app) {
    try {
      List<Integer> brokers =
          admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).stream().map(Node::id).toList();
      long total = 0;
      for (Map<String, LogDirDescription> dirs :
          admin.describeLogDirs(brokers).allDescriptions().get(30, TimeUnit.SECONDS).values()) {
        for (LogDirDescription d : dirs.values()) {
          for (var e : d.replicaInfos().entrySet()) {
            String topic = e.getKey().topic();
            if (topic.startsWith(app + "-") && topic.endsWith("-changelog")) {
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

  private static Path writeProperties(Path file, Map<String, String> values) throws IOException {
    Properties p = new Properties();
    p.putAll(values);
    try (OutputStream out = Files.newOutputStream(file)) {
      p.store(out, "prunewire bench agent");
    }
    return file;
  }
}
