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
 * <p>With {@link Builder#saslPlain} or {@link Builder#saslScram} the broker also serves a {@code
 * SASL_PLAINTEXT} listener ({@link #saslBootstrapServers()}) that admits the given users by PLAIN or
 * SCRAM-SHA-512, so that clients' security settings can be tested against a real broker; the plaintext
 * listener stays for the broker itself. With {@link Builder#authorizer} Kafka's KRaft {@code
 * StandardAuthorizer} checks every request against the ACLs in the cluster metadata. With {@link
 * Builder#tls} it also serves an {@code SSL} listener ({@link #tlsBootstrapServers()}) with the
 * given keystore, and the SASL listener, if any, becomes {@code SASL_SSL}.
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
  /** Largest record batch the broker accepts (16 MiB, the trainer sink's {@code max.request.size}). */
  public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

  private final Path dataDir;
  private final boolean ownsDataDir;
  private final int brokerPort;
  private final int partitions;
  private final int saslPort;
  private final SaslListener sasl;
  private final int tlsPort;
  private final TlsKeys tls;
  private final KafkaRaftServer server;
  private boolean closed;

  private EmbeddedKafka(Builder b) throws IOException {
    this.ownsDataDir = b.dataDir == null;
    this.dataDir = ownsDataDir ? Files.createTempDirectory("prunewire-kafka-") : Files.createDirectories(b.dataDir);
    this.partitions = b.partitions;
    Properties remembered = readState(dataDir);
    int[] ports = choosePorts(b.port, remembered);
    this.brokerPort = ports[0];
    int controllerPort = ports[1];
    this.sasl = b.sasl;
    this.tls = b.tls;
    int[] extraPorts = freePorts(2, brokerPort, controllerPort);
    this.saslPort = sasl == null ? 0 : extraPorts[0];
    this.tlsPort = tls == null ? 0 : extraPorts[1];
    String clusterId = remembered.getProperty("cluster.id", Uuid.randomUuid().toString());
    Path logDir = dataDir.resolve("kraft");
    Properties config = config(logDir, brokerPort, controllerPort);
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
      format(config, clusterId, sasl == null ? List.of() : sasl.formatArguments());
    } else if (sasl != null && !sasl.formatArguments().isEmpty()) {
      LOG.info("SCRAM users of {} are those of its first start; change them with Admin.alterUserScramCredentials"
          + " (prunewire acls --users)", dataDir);
    }
    writeState(dataDir, clusterId, brokerPort, controllerPort);
    long t0 = System.nanoTime();
    server = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
    try {
      server.startup();
    } catch (RuntimeException e) {
      abandon();
      throw new IllegalStateException("embedded Kafka could not start on " + bootstrapServers() + " (controller port " + controllerPort
          + ", data " + dataDir + "): " + e.getMessage(), e);
    }
    awaitReady();
    LOG.info("embedded Kafka on {} ready in {} ms (data {})", bootstrapServers(), (System.nanoTime() - t0) / 1_000_000, dataDir);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The {@code bootstrap.servers} value for clients, e.g. {@code 127.0.0.1:40123}. */
  public String bootstrapServers() {
    return HOST + ":" + brokerPort;
  }

  /**
   * The {@code bootstrap.servers} value of the SASL listener ({@code SASL_PLAINTEXT}, or {@code SASL_SSL}
   * with {@link Builder#tls}).
   *
   * @throws IllegalStateException if the broker was built without {@link Builder#saslPlain} or {@link
   *     Builder#saslScram}
   */
  public String saslBootstrapServers() {
    if (saslPort == 0) {
      throw new IllegalStateException("embedded Kafka has no SASL listener: build it with saslPlain or saslScram");
    }
    return HOST + ":" + saslPort;
  }

  /**
   * The client properties ({@code security.protocol}, {@code sasl.mechanism}, {@code sasl.jaas.config},
   * and with TLS the {@code ssl.truststore.*}) that log in to the SASL listener as {@code user} with
   * {@code password}; any name and password, so that refusals can be tested too.
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

  /** Creates each topic (with the builder's partition count, replication 1) unless it exists. */
  public void createTopics(String... topics) {
    List<NewTopic> requested = new ArrayList<>();
    for (String t : topics) {
      requested.add(new NewTopic(t, partitions, (short) 1));
    }
    try (Admin admin = admin()) {
      admin.createTopics(requested).values().forEach((name, future) -> {
        try {
          future.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw new IllegalStateException("creating topic " + name + " failed", e.getCause());
          }
        } catch (Exception e) {
          throw new IllegalStateException("creating topic " + name + " failed", e);
        }
      });
    }
  }

  /** Stops the broker cleanly; deletes the data directory if this instance created it. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.shutdown();
    server.awaitShutdown();
    if (ownsDataDir) {
      deleteRecursively(dataDir);
    }
  }

  /** Releases what a failed start left behind; errors here would hide the original failure. */
  private void abandon() {
    closed = true;
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      LOG.debug("shutting down a broker that failed to start: {}", e.toString());
    }
    if (ownsDataDir) {
      deleteRecursively(dataDir);
    }
  }

  private Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
  }

  private void awaitReady() {
    try (Admin admin = admin()) {
      admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      close();
      throw new IllegalStateException("embedded Kafka on " + bootstrapServers() + " did not become ready", e);
    }
  }

  private Properties config(Path logDir, int brokerPort, int controllerPort) {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", String.valueOf(NODE_ID));
    p.put("controller.quorum.bootstrap.servers", HOST + ":" + controllerPort);
    p.put("listeners", "PLAINTEXT://" + HOST + ":" + brokerPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + brokerPort);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    p.put("num.partitions", String.valueOf(partitions));
    p.put("auto.create.topics.enable", "false");
    // One broker: every internal topic can have one replica only.
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "1");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
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
    p.put("listener.security.protocol.map", p.getProperty("listener.security.protocol.map") + "," + protocol + ":" + protocol);
  }

  /**
   * Turns on the KRaft authorizer. The broker talks to itself (controller, topic creation) over its
   * plaintext listeners, where every client is {@code User:ANONYMOUS}: that principal must be a super
   * user or the broker could not run. Those listeners bind 127.0.0.1 only; an embedded broker is a
   * development and test broker, not a security boundary against processes on its own machine.
   */
  private static void addAuthorizer(Properties p, List<String> superUsers) {
    p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    StringBuilder supers = new StringBuilder("User:ANONYMOUS");
    superUsers.forEach(u -> supers.append(";User:").append(u));
    p.put("super.users", supers.toString());
    p.put("allow.everyone.if.no.acl.found", "false");
  }

  private static void format(Properties config, String clusterId, List<String> extraArguments) throws IOException {
    Path cfg = Files.createTempFile("prunewire-kafka-", ".properties");
    try {
      try (OutputStream out = Files.newOutputStream(cfg)) {
        config.store(out, "embedded Kafka");
      }
      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      int rc;
      try (PrintStream ps = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
        List<String> args = new ArrayList<>(List.of("format", "--standalone", "-t", clusterId, "-c", cfg.toString()));
        args.addAll(extraArguments);
        rc = StorageTool.execute(args.toArray(String[]::new), ps);
      }
      if (rc != 0) {
        throw new IllegalStateException("formatting Kafka storage failed (exit " + rc + "): " + captured.toString(StandardCharsets.UTF_8));
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
    int broker = requested > 0 ? requested : Integer.parseInt(remembered.getProperty("broker.port", "0"));
    int controller = Integer.parseInt(remembered.getProperty("controller.port", "0"));
    if (controller == broker) {
      controller = 0;
    }
    int[] fresh = freePorts((broker == 0 ? 1 : 0) + (controller == 0 ? 1 : 0), broker, controller);
    int k = 0;
    if (broker == 0) {
      broker = fresh[k++];
    }
    if (controller == 0) {
      controller = fresh[k];
    }
    return new int[] {broker, controller};
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

  private static void writeState(Path dir, String clusterId, int brokerPort, int controllerPort) throws IOException {
    Properties p = new Properties();
    p.put("cluster.id", clusterId);
    p.put("broker.port", String.valueOf(brokerPort));
    p.put("controller.port", String.valueOf(controllerPort));
    try (OutputStream out = Files.newOutputStream(dir.resolve(STATE_FILE))) {
      p.store(out, "embedded Kafka: cluster id and ports reused on restart");
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
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
    private SaslListener sasl;
    private List<String> superUsers;
    private TlsKeys tls;

    private Builder() {}

    /**
     * Also serve an {@code SSL} listener ({@link EmbeddedKafka#tlsBootstrapServers()}) that presents
     * the certificate of {@code keys} (e.g. {@link TlsKeys#generate}); a SASL listener then runs over
     * TLS too ({@code SASL_SSL}). Clients need {@link TlsKeys#clientProperties()}; the broker does not
     * ask for client certificates.
     */
    public Builder tls(TlsKeys keys) {
      this.tls = Objects.requireNonNull(keys, "keys");
      return this;
    }

    /**
     * Also serve a {@code SASL_PLAINTEXT} listener ({@link EmbeddedKafka#saslBootstrapServers()}) that
     * accepts this one user by the PLAIN mechanism; clients then need {@code security.protocol=SASL_PLAINTEXT},
     * {@code sasl.mechanism=PLAIN} and a {@code sasl.jaas.config} with these credentials.
     */
    public Builder saslPlain(String user, String password) {
      return sasl(SaslListener.Mechanism.PLAIN, Collections.singletonMap(user, password));
    }

    /**
     * Also serve a {@code SASL_PLAINTEXT} listener ({@link EmbeddedKafka#saslBootstrapServers()}) that
     * admits these users (name to password) by SCRAM-SHA-512. The credentials are written when the
     * storage is formatted, so they exist before any client can connect; a restart on an existing data
     * directory keeps the users of its first start. Clients log in with {@link
     * EmbeddedKafka#saslClientProperties}.
     */
    public Builder saslScram(Map<String, String> users) {
      return sasl(SaslListener.Mechanism.SCRAM_SHA_512, users);
    }

    private Builder sasl(SaslListener.Mechanism mechanism, Map<String, String> users) {
      if (sasl != null) {
        throw new IllegalStateException("the embedded broker has one SASL listener: saslPlain or saslScram, once");
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
          throw new IllegalArgumentException("super user: must be letters, digits, '_' or '-', was " + u);
        }
      }
      this.superUsers = List.of(superUsers);
      return this;
    }

    /** The client port; 0 (default) picks a free one, or the one remembered in the data directory. */
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
