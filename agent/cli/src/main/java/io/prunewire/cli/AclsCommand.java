package io.prunewire.cli;

import io.prunewire.cli.acl.AclSetup;
import io.prunewire.cli.acl.KafkaCliCommands;
import io.prunewire.service.AgentConfig;
import io.prunewire.service.PrunewireAcls;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.resource.PatternType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code prunewire acls}: SCRAM users and the Prunewire ACLs on a cluster with an authorizer. */
@Command(
    name = "acls",
    mixinStandardHelpOptions = true,
    description = {
      "Creates SCRAM-SHA-512 users and the ACLs of a Prunewire deployment on a Kafka cluster whose"
          + " brokers run an authorizer (KRaft: org.apache.kafka.metadata.authorizer.StandardAuthorizer),"
          + " then waits until the broker reports them. Run it as an administrator (a super user):"
          + " --kafka-config admin.properties.",
      "The agent user may read telemetry, write decisions and dead letters, create those topics and"
          + " everything Kafka Streams needs under its application id (changelog topics, consumer group,"
          + " transactional ids). Trainer users may write telemetry and read decisions (and use consumer"
          + " groups named --trainer-group-prefix*), nothing else: a trainer cannot write a decision.",
      "Re-running is harmless. ACLs of users no longer listed are not removed (kafka-acls.sh --remove).",
      "--dry-run prints the same as kafka-configs.sh and kafka-acls.sh commands and changes nothing.",
      "Exit status: 0 done (each ACL is printed with its principal), 1 the cluster refused a request or did not"
          + " report the users and ACLs within --timeout (the message says which), 2 wrong arguments.",
      "Step by step, with what each principal needs and why: deploy/README.md, \"Kafka with ACLs\".",
      "",
      "Example: prunewire acls --bootstrap-servers kafka-1:9093 --kafka-config admin.properties"
          + " --users users.properties --agent-user prunewire-agent --trainer-user prunewire-trainer",
      ""
    })
final class AclsCommand implements Callable<Integer> {

  @Option(
      names = "--bootstrap-servers",
      required = true,
      paramLabel = "HOST:PORT[,...]",
      description = "The cluster's SASL listener.")
  String bootstrapServers;

  @Mixin KafkaClientOptions kafka;

  @Option(
      names = "--users",
      paramLabel = "FILE",
      description =
          "SCRAM users to create or give a new password: one name=password per line (Java"
              + " properties). Without it only the ACLs are created.")
  Path usersFile;

  @Option(
      names = "--agent-user",
      paramLabel = "NAME",
      description = "The agent's user. Default: ${DEFAULT-VALUE}.")
  String agentUser = "prunewire-agent";

  @Option(
      names = "--trainer-user",
      paramLabel = "NAME",
      description = "A trainers' user; repeatable (e.g. one per team). Default: prunewire-trainer.")
  List<String> trainerUsers = List.of();

  @Option(
      names = "--agent-config",
      paramLabel = "FILE",
      description =
          "The agent's settings file (prunewire agent --config): its application.id, telemetry.topic,"
              + " decisions.topic and dead.letter.topic name what the ACLs cover. PRUNEWIRE_* environment variables"
              + " count as for the agent. Default: the agent's defaults.")
  Path agentConfig;

  @Option(
      names = "--trainer-group-prefix",
      paramLabel = "PREFIX",
      description =
          "Consumer groups trainers may read decisions with (prunewire train uses none). Default: ${DEFAULT-VALUE}.")
  String trainerGroupPrefix = PrunewireAcls.DEFAULT_TRAINER_GROUP_PREFIX;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "How long to wait for the cluster. Default: ${DEFAULT-VALUE}.")
  int timeoutSeconds = 60;

  @Option(
      names = "--dry-run",
      description = "Print the equivalent kafka-configs.sh and kafka-acls.sh commands only.")
  boolean dryRun;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrunewireAcls acls;
    Map<String, String> users;
    Map<String, String> client;
    try {
      AgentConfig agent =
          AgentConfig.resolve(Optional.ofNullable(agentConfig), System.getenv(), Map.of());
      acls =
          PrunewireAcls.forAgent(
              agent,
              agentUser,
              trainerUsers.isEmpty() ? List.of("prunewire-trainer") : trainerUsers,
              trainerGroupPrefix);
      users = readUsers();
      client = kafka.resolve();
    } catch (NoSuchFileException e) {
      throw new ParameterException(
          spec.commandLine(), "--agent-config " + agentConfig + ": no such file", e);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (dryRun) {
      String config = kafka.file == null ? "admin.properties" : kafka.file.toString();
      KafkaCliCommands.render(acls, users.keySet(), bootstrapServers, config).forEach(out::println);
      out.flush();
      return 0;
    }
    Map<String, Object> adminConfig = new HashMap<>(client);
    adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin admin = Admin.create(adminConfig)) {
      AclSetup.Result r = AclSetup.apply(admin, acls, users, Duration.ofSeconds(timeoutSeconds));
      for (PrunewireAcls.Grant g : acls.grants()) {
        out.printf(
            "%-24s %-6s %-16s %s%s%n",
            g.principal(),
            g.operation(),
            g.type(),
            g.name(),
            g.pattern() == PatternType.PREFIXED ? "*" : "");
      }
      out.printf(
          "%d SCRAM user(s) created or updated; %d ACL(s) in place, %d of them new%n",
          r.usersUpserted(), r.aclsInPlace(), r.aclsCreated());
      out.flush();
    } catch (IllegalStateException e) {
      spec.commandLine().getErr().println("prunewire acls: " + e.getMessage());
      return 1;
    }
    return 0;
  }

  private Map<String, String> readUsers() {
    if (usersFile == null) {
      return Map.of();
    }
    try {
      return new LinkedHashMap<>(KafkaClientFile.read(usersFile));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("--users " + usersFile + ": no such file", e);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--users " + usersFile + ": cannot be read: " + e.getMessage(), e);
    }
  }
}
