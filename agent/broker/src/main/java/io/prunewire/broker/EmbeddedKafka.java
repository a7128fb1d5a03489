package io.prunewire.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Apache Kafka broker (KRaft, combined broker + controller) running inside this JVM,
 * built from Kafka's own jars — the default when no cluster is given, and what the tests use.
 *
 * <p>It binds 127.0.0.1 only, sets every internal topic to replication factor 1 (one broker can
 * hold no more), a single offsets partition, transaction-log settings that allow exactly-once with
 * one broker, and turns automatic topic creation off: topics are created with {@link
 * #createTopics}. Storage is formatted on first use; restarting on the same data directory keeps
 * the data, the cluster id and the ports (remembered in {@value #STATE_FILE}).
 *
 * <p>With {@link Builder#nodes} above 1 it is a cluster of that many combined broker + controller
 * nodes in this JVM, a static quorum of all of them: topics and internal topics get replication
 * factor min(nodes, 3) and {@code min.insync.replicas} one less (at least 1), so that a cluster of
 * three keeps accepting {@code acks=all} writes and transactions with one node stopped ({@link
 * #stopNode}, {@link #startNode}). Its data lives in one directory per node under the data
 * directory.
 *
 * <p>With {@link Builder#saslPlain} or {@link Builder#saslScram} the broker also serves a {@code
 * SASL_PLAINTEXT} listener ({@link #saslBootstrapServers()}) that admits the given users by PLAIN
 * or SCRAM-SHA-512, so that clients' security settings can be tested against a real broker; the
 * plaintext listener stays for the broker itself. With {@link Builder#authorizer} Kafka's KRaft
 * {@code StandardAuthorizer} checks every request against the ACLs in the cluster metadata. With
 * {@link Builder#tls} it also serves an {@code SSL} listener ({@link #tlsBootstrapServers()}) with
 * the given keystore, and the SASL listener, if any, becomes {@code SASL_SSL}.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = EmbeddedKafka.builder().partitions(3).start()) {
 *   kafka.createTopics("prunewire.telemetry");
 *   String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {
  /** File in the data directory that remembers the cluster id and ports across restarts. */
  static final String STATE_FILE = "prunewire-embedded.properties";

  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final String HOST = "127.0.0.1";
  private static final int NODE_ID = 1;

  /**
   * Largest record batch the broker accepts (16 MiB, the trainer sink's {@code max.request.size}).
   */
  public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  private final Path dataDir;
  private final boolean ownsDataDir;
  private final int partitions;
  private final int saslPort;
  private final SaslListener sasl;
  private final int tlsPort;
  private final TlsKeys tls;
  private final List<Node> nodes = new ArrayList<>();
  private boolean closed;

  /**
   * One combined broker + controller: its ports and configuration outlive its server across a stop.
   */
  private static final class Node {
    final int id;
    final int brokerPort;
    final Properties config;
    KafkaRaftServer server;

    Node(int id, int brokerPort, Properties config) {
      this.id = id;
      this.brokerPort = brokerPort;
      this.config = config;
    }
  }

  private EmbeddedKafka(Builder b) throws IOException {
    if (b.nodes > 1 && (b.sasl != null || b.superUsers != null || b.tls != null)) {
      throw new IllegalArgumentException(
          "SASL and TLS listeners and the authorizer are for a single node; nodes was " + b.nodes);
    }
    this.ownsDataDir = b.dataDir == null;
    this.dataDir =
        ownsDataDir
            ? Files.createTempDirectory("prunewire-kafka-")
            : Files.createDirectories(b.dataDir);
    this.partitions = b.partitions;
    Properties remembered = readState(dataDir);
    int[] ports = choosePorts(b.port, remembered, b.nodes);
    this.sasl = b.sasl;
    this.tls = b.tls;
    int[] extraPorts = freePorts(2, ports);
    this.saslPort = sasl == null ? 0 : extraPorts[0];
    this.tlsPort = tls == null ? 0 : extraPorts[1];
    String clusterId = remembered.getProperty("cluster.id", Uuid.randomUuid().toString());
    StringBuilder voters = new StringBuilder();
    for (int i = 0; i < b.nodes; i++) {
      voters
          .append(i == 0 ? "" : ",")
          .append(NODE_ID + i)
          .append('@')
          .append(HOST)
          .append(':')
          .append(ports[2 * i + 1]);
    }
    for (int i = 0; i < b.nodes; i++) {
      int id = NODE_ID + i;
      // A single node keeps its historical layout (data/kraft), so existing data directories still
      // start.
      Path logDir =
          b.nodes == 1 ? dataDir.resolve("kraft") : dataDir.resolve("node-" + id).resolve("kraft");
      Properties config =
          config(id, b.nodes, voters.toString(), logDir, ports[2 * i], ports[2 * i + 1]);
      if (sasl != null) {
        sasl.addTo(config, HOST, saslPort, tls != null);
      }
      if (tls != null) {
        addListener(config, "SSL", HOST, tlsPort);
        tls.addTo(config);
      }
      if (b.superUsers != null) {
        addAuthorizer(config, b.superUsers);
      }
      if (!Files.exists(logDir.resolve("meta.properties"))) {
        List<String> extra = new ArrayList<>(sasl == null ? List.of() : sasl.formatArguments());
        // One node is its own dynamic quorum; several share the static voters of their
        // configuration.
        if (b.nodes == 1) {
          extra.add(0, "--standalone");
        }
        format(config, clusterId, extra);
      } else if (sasl != null && !sasl.formatArguments().isEmpty()) {
        LOG.info(
            "SCRAM users of {} are those of its first start; change them with Admin.alterUserScramCredentials"
                + " (prunewire acls --users)",
            dataDir);
      }
      nodes.add(new Node(id, ports[2 * i], config));
    }
    writeState(dataDir, clusterId, ports);
    long t0 = System.nanoTime();
    // In parallel: a node of a quorum waits in its start for a majority of the voters.
    List<RuntimeException> failures =
        inParallel("start", nodes.stream().<Runnable>map(n -> () -> startServer(n)).toList());
    if (!failures.isEmpty()) {
      abandon();
      RuntimeException first = failures.get(0);
      throw new IllegalStateException(
          "embedded Kafka could not start on "
              + bootstrapServers()
              + " (controller ports "
              + controllerPorts(ports)
              + ", data "
              + dataDir
              + "): "
              + first.getMessage(),
          first);
    }
    awaitBrokers(nodes.size());
    LOG.info(
        "embedded Kafka on {} ready in {} ms (data {})",
        bootstrapServers(),
        (System.nanoTime() - t0) / 1_000_000,
        dataDir);
  }

  /** Runs each task on a thread of its own and waits for all; returns what they threw. */
  private static List<RuntimeException> inParallel(String what, List<Runnable> tasks) {
    List<RuntimeException> failures = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (Runnable task : tasks) {
      Thread t =
          new Thread(
              () -> {
                try {
                  task.run();
                } catch (RuntimeException e) {
                  failures.add(e);
                }
              },
              "embedded-kafka-" + what + "-" + threads.size());
      t.start();
      threads.add(t);
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        failures.add(
            new IllegalStateException(
                "interrupted while waiting for embedded Kafka to " + what, e));
      }
    }
    return failures;
  }

  private static String controllerPorts(int[] ports) {
    StringBuilder s = new StringBuilder();
    for (int i = 1; i < ports.length; i += 2) {
      s.append(i == 1 ? "" : ",").append(ports[i]);
    }
    return s.toString();
  }

  private static void startServer(Node n) {
    n.server = new KafkaRaftServer(KafkaConfig.fromProps(n.config, false), Time.SYSTEM);
    n.server.startup();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The {@code bootstrap.servers} value for clients, e.g. {@code 127.0.0.1:40123}: every node's
   * listener, stopped ones too (clients skip an address that does not answer).
   */
  public String bootstrapServers() {
    StringBuilder s = new StringBuilder();
    for (Node n : nodes) {
      s.append(s.length() == 0 ? "" : ",").append(HOST).append(':').append(n.brokerPort);
    }
    return s.toString();
  }

  /** The node ids, 1 to {@link Builder#nodes}. */
  public List<Integer> nodeIds() {
    return nodes.stream().map(n -> n.id).toList();
  }

  /**
   * Stops one node cleanly (a controlled shutdown: its partitions' leadership moves to the others
   * first); its data stays for {@link #startNode}.
   *
   * @throws IllegalArgumentException if there is no such node
   */
  public synchronized void stopNode(int nodeId) {
    Node n = node(nodeId);
    if (n.server == null) {
      return;
    }
    long t0 = System.nanoTime();
    n.server.shutdown();
    n.server.awaitShutdown();
    n.server = null;
    LOG.info(
        "embedded Kafka node {} stopped in {} ms", nodeId, (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * Starts a node stopped by {@link #stopNode} again, on its ports and data, and waits until the
   * cluster lists it among its brokers. Its replicas then catch up in the background.
   */
  public synchronized void startNode(int nodeId) {
    Node n = node(nodeId);
    if (n.server != null) {
      return;
    }
    long t0 = System.nanoTime();
    startServer(n);
    awaitBrokers((int) nodes.stream().filter(x -> x.server != null).count());
    LOG.info(
        "embedded Kafka node {} started again in {} ms",
        nodeId,
        (System.nanoTime() - t0) / 1_000_000);
  }

  private Node node(int nodeId) {
    return nodes.stream()
        .filter(n -> n.id == nodeId)
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException("no node " + nodeId + "; the nodes are " + nodeIds()));
  }

  /** Replication factor of the topics this cluster creates: all nodes, at most three. */
  public short replicationFactor() {
    return (short) Math.min(nodes.size(), 3);
  }

  /**
   * The {@code bootstrap.servers} value of the SASL listener ({@code SASL_PLAINTEXT}, or {@code
   * SASL_SSL} with {@link Builder#tls}).
   *
   * @throws IllegalStateException if the broker was built without {@link Builder#saslPlain} or
   *     {@link Builder#saslScram}
   */
  public String saslBootstrapServers() {
    if (saslPort == 0) {
      throw new IllegalStateException(
          "embedded Kafka has no SASL listener: build it with saslPlain or saslScram");
    }
    return HOST + ":" + saslPort;
  }

  /**
   * The client properties ({@code security.protocol}, {@code sasl.mechanism}, {@code
   * sasl.jaas.config}, and with TLS the {@code ssl.truststore.*}) that log in to the SASL listener
   * as {@code user} with {@code password}; any name and password, so that refusals can be tested
   * too.
   *
   * @throws IllegalStateException if the broker was built without a SASL listener
   */
  public Map<String, String> saslClientProperties(String user, String password) {
    saslBootstrapServers();
    Map<String, String> p = new HashMap<>(tls == null ? Map.of() : tls.clientProperties());
    p.put("security.protocol", SaslListener.protocol(tls != null));
    p.put("sasl.mechanism", sasl.mechanism().kafkaName());
    p.put("sasl.jaas.config", sasl.clientJaas(user, password));
    return Map.copyOf(p);
  }

  /**
   * The {@code bootstrap.servers} value of the {@code SSL} listener.
   *
   * @throws IllegalStateException if the broker was built without {@link Builder#tls}
   */
  public String tlsBootstrapServers() {
    if (tlsPort == 0) {
      throw new IllegalStateException("embedded Kafka has no TLS listener: build it with tls");
    }
    return HOST + ":" + tlsPort;
  }

  /**
   * The client properties of the {@code SSL} listener: {@code security.protocol=SSL} and the
   * truststore that holds the broker's CA.
   *
   * @throws IllegalStateException if the broker was built without {@link Builder#tls}
   */
  public Map<String, String> tlsClientProperties() {
    tlsBootstrapServers();
    Map<String, String> p = new HashMap<>(tls.clientProperties());
    p.put("security.protocol", "SSL");
    return Map.copyOf(p);
  }

  /** The directory holding the broker's log and metadata. */
  public Path dataDir() {
    return dataDir;
  }

  /**
   * Creates each topic (with the builder's partition count and {@link #replicationFactor()}) unless
   * it exists.
   */
  public void createTopics(String... topics) {
    List<NewTopic> requested = new ArrayList<>();
    for (String t : topics) {
      requested.add(new NewTopic(t, partitions, replicationFactor()));
    }
    try (Admin admin = admin()) {
      admin
          .createTopics(requested)
          .values()
          .forEach(
              (name, future) -> {
                try {
                  future.get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                  if (!(e.getCause() instanceof TopicExistsException)) {
                    throw new IllegalStateException(
                        "creating topic " + name + " failed", e.getCause());
                  }
                } catch (Exception e) {
                  throw new IllegalStateException("creating topic " + name + " failed", e);
                }
              });
    }
  }

  /**
   * Stops the broker cleanly; deletes the data directory if this instance created it. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    shutdownAll();
    if (ownsDataDir) {
      deleteRecursively(dataDir);
    }
  }

  /**
   * Stops every running node: first all at once, so that no node's controlled shutdown waits for a
   * quorum whose other voters are already gone, then waits for each.
   */
  private void shutdownAll() {
    List<KafkaRaftServer> running =
        nodes.stream().map(n -> n.server).filter(java.util.Objects::nonNull).toList();
    inParallel("stop", running.stream().<Runnable>map(server -> server::shutdown).toList());
    running.forEach(KafkaRaftServer::awaitShutdown);
    nodes.forEach(n -> n.server = null);
  }

  /** Releases what a failed start left behind; errors here would hide the original failure. */
  private void abandon() {
    closed = true;
    try {
      shutdownAll();
    } catch (RuntimeException e) {
      LOG.debug("shutting down a broker that failed to start: {}", e.toString());
    }
    if (ownsDataDir) {
      deleteRecursively(dataDir);
    }
  }

  private Admin admin() {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            10_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            30_000));
  }

  /**
   * Waits until the cluster lists {@code count} brokers (a restarted one registers after its
   * start).
   */
  private void awaitBrokers(int count) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try (Admin admin = admin()) {
      while (admin.describeCluster().nodes().get(60, TimeUnit.SECONDS).size() < count) {
        if (System.nanoTime() > deadline) {
          throw new java.util.concurrent.TimeoutException(
              count + " brokers not registered within 60 s");
        }
        Thread.sleep(100);
      }
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      close();
      throw new IllegalStateException(
          "embedded Kafka on " + bootstrapServers() + " did not become ready", e);
    }
  }

  private Properties config(
      int nodeId, int nodeCount, String voters, Path logDir, int brokerPort, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(nodeId));
    if (nodeCount == 1) {
      p.put("controller.quorum.bootstrap.servers", HOST + ":" + controllerPort);
    } else {
      p.put("controller.quorum.voters", voters);
    }
    p.put(
        "listeners",
        "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("num.partitions", String.valueOf(partitions));
    p.put("auto.create.topics.enable", "false");
    // Every internal topic on all nodes (at most three); one replica fewer in sync still accepts
    // writes, so a three-node cluster commits offsets and transactions with one node stopped.
    String replicas = String.valueOf(Math.min(nodeCount, 3));
    String minIsr = String.valueOf(Math.max(1, Math.min(nodeCount, 3) - 1));
    p.put("offsets.topic.replication.factor", replicas);
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", replicas);
    p.put("transaction.state.log.min.isr", minIsr);
    p.put("transaction.state.log.num.partitions", "1");
    // A producer killed mid-transaction holds back read_committed readers of its partitions (the
    // agent's changelogs, on failover) until the broker aborts the transaction; Kafka looks for
    // expired ones every 10 s, which would add up to 10 s on top of transaction.timeout.ms.
    p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
    p.put("share.coordinator.state.topic.replication.factor", replicas);
    p.put("share.coordinator.state.topic.min.isr", minIsr);
    p.put("default.replication.factor", replicas);
    p.put("min.insync.replicas", minIsr);
    // A 1,300-neuron activation summary is ~250 KB; leave room for wide layers and batching.
    p.put("message.max.bytes", String.valueOf(MAX_MESSAGE_BYTES));
    // Consumers of a fresh group start at once instead of waiting for more members.
    p.put("group.initial.rebalance.delay.ms", "0");
    return p;
  }

  /** Adds a client listener named after its security protocol, reachable at {@code host:port}. */
  static void addListener(Properties p, String protocol, String host, int port) {
    String address = protocol + "://" + host + ":" + port;
    p.put("listeners", p.getProperty("listeners") + "," + address);
    p.put("advertised.listeners", p.getProperty("advertised.listeners") + "," + address);
    p.put(
        "listener.security.protocol.map",
        p.getProperty("listener.security.protocol.map") + "," + protocol + ":" + protocol);
  }

  /**
   * Turns on the KRaft authorizer. The broker talks to itself (controller, topic creation) over its
   * plaintext listeners, where every client is {@code User:ANONYMOUS}: that principal must be a
   * super user or the broker could not run. Those listeners bind 127.0.0.1 only; an embedded broker
   * is a development and test broker, not a security boundary against processes on its own machine.
   */
  private static void addAuthorizer(Properties p, List<String> superUsers) {
    p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    StringBuilder supers = new StringBuilder("User:ANONYMOUS");
    superUsers.forEach(u -> supers.append(";User:").append(u));
    p.put("super.users", supers.toString());
    p.put("allow.everyone.if.no.acl.found", "false");
  }

  private static void format(Properties config, String clusterId, List<String> extraArguments)
      throws IOException {
    Path cfg = Files.createTempFile("prunewire-kafka-", ".properties");
    try {
      try (OutputStream out = Files.newOutputStream(cfg)) {
        config.store(out, "embedded Kafka");
      }
      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      int rc;
      try (PrintStream ps = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
        List<String> args =
            new ArrayList<>(List.of("format", "-t", clusterId, "-c", cfg.toString()));
        args.addAll(extraArguments);
        rc = StorageTool.execute(args.toArray(String[]::new), ps);
      }
      if (rc != 0) {
        throw new IllegalStateException(
            "formatting Kafka storage failed (exit "
                + rc
                + "): "
                + captured.toString(StandardCharsets.UTF_8));
      }
    } finally {
      Files.deleteIfExists(cfg);
    }
  }

  /**
   * The broker and controller ports: the requested broker port, else the remembered ones, else free
   * ones; a remembered controller port that clashes with the broker port is replaced.
   */
  static int[] choosePorts(int requested, Properties remembered) throws IOException {
    return choosePorts(requested, remembered, 1);
  }

  /**
   * Broker and controller port of each of {@code nodes} nodes, as {@code [broker1, controller1,
   * broker2, ...]}: the requested port for the first broker, else the remembered ones, else free
   * ones; a remembered port that clashes with one chosen before it is replaced.
   */
  static int[] choosePorts(int requested, Properties remembered, int nodes) throws IOException {
    int[] ports = new int[2 * nodes];
    int missing = 0;
    for (int k = 0; k < ports.length; k++) {
      int want =
          k == 0 && requested > 0
              ? requested
              : Integer.parseInt(
                  remembered.getProperty(
                      portKey(NODE_ID + k / 2, k % 2 == 0 ? "broker" : "controller"), "0"));
      for (int j = 0; j < k; j++) {
        if (ports[j] == want) {
          want = 0;
        }
      }
      ports[k] = want;
      missing += want == 0 ? 1 : 0;
    }
    int[] fresh = freePorts(missing, ports);
    int f = 0;
    for (int k = 0; k < ports.length; k++) {
      if (ports[k] == 0) {
        ports[k] = fresh[f++];
      }
    }
    return ports;
  }

  /**
   * Node 1 keeps the keys of a single node's state file ({@code broker.port}), the others are
   * numbered.
   */
  private static String portKey(int nodeId, String role) {
    return (nodeId == NODE_ID ? "" : "node." + nodeId + ".") + role + ".port";
  }

  /**
   * {@code count} free loopback ports, none of them in {@code taken}. They are picked while all are
   * held open, because the kernel may hand out a port it just released again, and Kafka refuses two
   * listeners on one port.
   */
  private static int[] freePorts(int count, int... taken) throws IOException {
    InetAddress host = InetAddress.getByName(HOST);
    List<ServerSocket> held = new ArrayList<>();
    try {
      int[] ports = new int[count];
      int k = 0;
      while (k < count) {
        ServerSocket s = new ServerSocket(0, 1, host);
        held.add(s);
        int port = s.getLocalPort();
        if (Arrays.stream(taken).noneMatch(t -> t == port)) {
          ports[k++] = port;
        }
      }
      return ports;
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }

  private static Properties readState(Path dir) throws IOException {
    Properties p = new Properties();
    Path f = dir.resolve(STATE_FILE);
    if (Files.exists(f)) {
      try (InputStream in = Files.newInputStream(f)) {
        p.load(in);
      }
    }
    return p;
  }

  private static void writeState(Path dir, String clusterId, int[] ports) throws IOException {
    Properties p = new Properties();
    p.put("cluster.id", clusterId);
    for (int k = 0; k < ports.length; k++) {
      p.put(
          portKey(NODE_ID + k / 2, k % 2 == 0 ? "broker" : "controller"), String.valueOf(ports[k]));
    }
    try (OutputStream out = Files.newOutputStream(dir.resolve(STATE_FILE))) {
      p.store(out, "embedded Kafka: cluster id and ports reused on restart");
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("could not delete {}: {}", dir, e.toString());
    }
  }

  /** Configuration of an {@link EmbeddedKafka}; {@link #start()} launches it. */
  public static final class Builder {
    private int port;
    private Path dataDir;
    private int partitions = 1;
    private int nodes = 1;
    private SaslListener sasl;
    private List<String> superUsers;
    private TlsKeys tls;

    private Builder() {}

    /**
     * Also serve an {@code SSL} listener ({@link EmbeddedKafka#tlsBootstrapServers()}) that
     * presents the certificate of {@code keys} (e.g. {@link TlsKeys#generate}); a SASL listener
     * then runs over TLS too ({@code SASL_SSL}). Clients need {@link TlsKeys#clientProperties()};
     * the broker does not ask for client certificates.
     */
    public Builder tls(TlsKeys keys) {
      this.tls = Objects.requireNonNull(keys, "keys");
      return this;
    }

    /**
     * Also serve a {@code SASL_PLAINTEXT} listener ({@link EmbeddedKafka#saslBootstrapServers()})
     * that accepts this one user by the PLAIN mechanism; clients then need {@code
     * security.protocol=SASL_PLAINTEXT}, {@code sasl.mechanism=PLAIN} and a {@code
     * sasl.jaas.config} with these credentials.
     */
    public Builder saslPlain(String user, String password) {
      return sasl(SaslListener.Mechanism.PLAIN, Collections.singletonMap(user, password));
    }

    /**
     * Also serve a {@code SASL_PLAINTEXT} listener ({@link EmbeddedKafka#saslBootstrapServers()})
     * that admits these users (name to password) by SCRAM-SHA-512. The credentials are written when
     * the storage is formatted, so they exist before any client can connect; a restart on an
     * existing data directory keeps the users of its first start. Clients log in with {@link
     * EmbeddedKafka#saslClientProperties}.
     */
    public Builder saslScram(Map<String, String> users) {
      return sasl(SaslListener.Mechanism.SCRAM_SHA_512, users);
    }

    private Builder sasl(SaslListener.Mechanism mechanism, Map<String, String> users) {
      if (sasl != null) {
        throw new IllegalStateException(
            "the embedded broker has one SASL listener: saslPlain or saslScram, once");
      }
      sasl = new SaslListener(mechanism, users);
      return this;
    }

    /**
     * Check every request with Kafka's KRaft {@code StandardAuthorizer}: the given users (and the
     * broker itself, on its plaintext listener) may do anything, everybody else only what an ACL
     * allows ({@code allow.everyone.if.no.acl.found=false}).
     */
    public Builder authorizer(String... superUsers) {
      for (String u : superUsers) {
        if (u == null || !u.matches("[A-Za-z0-9_-]+")) {
          throw new IllegalArgumentException(
              "super user: must be letters, digits, '_' or '-', was " + u);
        }
      }
      this.superUsers = List.of(superUsers);
      return this;
    }

    /**
     * The (first node's) client port; 0 (default) picks a free one, or the one remembered in the
     * data directory.
     */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port: must be in [0, 65535], was " + port);
      }
      this.port = port;
      return this;
    }

    /** Where the broker keeps its data; by default a temporary directory deleted on close. */
    public Builder dataDir(Path dataDir) {
      this.dataDir = dataDir;
      return this;
    }

    /** Partitions of topics created by {@link EmbeddedKafka#createTopics} (default 1). */
    public Builder partitions(int partitions) {
      if (partitions < 1) {
        throw new IllegalArgumentException("partitions: must be >= 1, was " + partitions);
      }
      this.partitions = partitions;
      return this;
    }

    /**
     * Nodes of the cluster (default 1), each a combined broker + controller on its own loopback
     * ports, all of them voters of the KRaft quorum; topics get replication factor min(nodes, 3).
     * {@link #port} is the first node's. Not with SASL or the authorizer.
     */
    public Builder nodes(int nodes) {
      if (nodes < 1 || nodes > 9) {
        throw new IllegalArgumentException("nodes: must be in [1, 9], was " + nodes);
      }
      this.nodes = nodes;
      return this;
    }

    /** Formats storage if needed, starts the broker and waits until it answers (a few seconds). */
    public EmbeddedKafka start() {
      try {
        return new EmbeddedKafka(this);
      } catch (IOException e) {
        throw new UncheckedIOException("starting embedded Kafka failed", e);
      }
    }
  }
}
