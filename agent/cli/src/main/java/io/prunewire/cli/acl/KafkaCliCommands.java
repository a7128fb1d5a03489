package io.prunewire.cli.acl;

import io.prunewire.service.PrunewireAcls;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The same users and ACLs as {@link AclSetup} applies, written as Kafka's own {@code
 * kafka-configs.sh} and {@code kafka-acls.sh} commands, for operators who run Kafka's tools on a
 * broker host rather than the launcher. Generated from {@link PrunewireAcls#grants()}, so the two
 * ways cannot drift apart. Passwords are never printed: each user's command carries a shell
 * variable to set first.
 */
public final class KafkaCliCommands {

  private KafkaCliCommands() {}

  /**
   * A shell script body: one {@code kafka-configs.sh} command per user, then one {@code
   * kafka-acls.sh} command per grant, each after a comment saying why.
   *
   * @param commandConfig the administrator's client properties file ({@code --command-config})
   */
  public static List<String> render(
      PrunewireAcls acls, Collection<String> users, String bootstrapServers, String commandConfig) {
    String connect =
        "--bootstrap-server "
            + shellQuote(bootstrapServers)
            + " --command-config "
            + shellQuote(commandConfig);
    List<String> lines = new ArrayList<>();
    for (String user : users) {
      lines.add("# SCRAM user " + user + " (set " + passwordVariable(user) + " first)");
      lines.add(
          "kafka-configs.sh "
              + connect
              + " --alter --entity-type users --entity-name "
              + shellQuote(user)
              + " --add-config \"SCRAM-SHA-512=[iterations="
              + AclSetup.SCRAM_ITERATIONS
              + ",password=$"
              + passwordVariable(user)
              + "]\"");
    }
    for (PrunewireAcls.Grant g : acls.grants()) {
      lines.add("# " + g.why());
      lines.add(
          "kafka-acls.sh "
              + connect
              + " --add --allow-principal "
              + g.principal()
              + " --operation "
              + operation(g.operation())
              + " "
              + resource(g.type())
              + " "
              + shellQuote(g.name())
              + (g.pattern() == PatternType.PREFIXED ? " --resource-pattern-type prefixed" : ""));
    }
    return lines;
  }

  /**
   * The shell variable that holds a user's password in the rendered commands, e.g. {@code
   * PASSWORD_prunewire_agent}.
   */
  static String passwordVariable(String user) {
    return "PASSWORD_" + user.replaceAll("[^A-Za-z0-9_]", "_");
  }

  /** kafka-acls.sh spells operations in camel case: Read, Write, Create, All, IdempotentWrite. */
  private static String operation(AclOperation op) {
    StringBuilder s = new StringBuilder();
    for (String part : op.name().split("_")) {
      s.append(part.charAt(0)).append(part.substring(1).toLowerCase(java.util.Locale.ROOT));
    }
    return s.toString();
  }

  private static String resource(ResourceType type) {
    return switch (type) {
      case TOPIC -> "--topic";
      case GROUP -> "--group";
      case TRANSACTIONAL_ID -> "--transactional-id";
      default ->
          throw new IllegalArgumentException("no kafka-acls.sh flag for resource type " + type);
    };
  }

  private static String shellQuote(String s) {
    return s.matches("[A-Za-z0-9._:/,=@-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }
}
