package io.prunewire.service;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The Kafka ACLs of a Prunewire deployment, least privilege for each side. Anyone who may write the
 * decisions topic could prune every trainer's network (signatures guard the trainers too, but the
 * broker should refuse the write in the first place), and telemetry of one team's runs is nobody
 * else's business. So:
 *
 * <ul>
 *   <li>the agent reads telemetry, writes decisions and dead letters, may create those three topics
 *       (it does on its first start), and owns everything Kafka Streams needs under its application
 *       id: changelog topics, the consumer group and the transactional ids of exactly-once
 *       processing;
 *   <li>trainers write telemetry and read decisions, nothing else: not the telemetry of other
 *       trainers, not the dead letters, not the agent's state. {@code prunewire train} reads
 *       decisions without a consumer group; trainers written against PROTOCOL.md that use one must
 *       name it with {@link #trainerGroupPrefix()}.
 * </ul>
 *
 * <p>Everybody else, and everything not listed, is refused by the broker's authorizer ({@code
 * allow.everyone.if.no.acl.found=false}); the broker and the administrator are super users.
 *
 * @param agentUser the agent's SCRAM user (principal {@code User:<name>})
 * @param trainerUsers the trainers' SCRAM users; one shared user or one per team
 * @param applicationId the agent's {@code application.id}: its consumer group, changelog prefix and
 *     transactional-id prefix
 * @param telemetryTopic the agent setting {@code telemetry.topic}
 * @param decisionsTopic the agent setting {@code decisions.topic}
 * @param deadLetterTopic the agent setting {@code dead.letter.topic}
 * @param trainerGroupPrefix consumer groups trainers may use to read decisions
 */
public record PrunewireAcls(
    String agentUser,
    List<String> trainerUsers,
    String applicationId,
    String telemetryTopic,
    String decisionsTopic,
    String deadLetterTopic,
    String trainerGroupPrefix) {

  /** Consumer groups trainers may read decisions with, by default. */
  public static final String DEFAULT_TRAINER_GROUP_PREFIX = "prunewire-trainer-";

  /**
   * A Kafka principal name: SCRAM user names are free text, but these end up in shell commands and
   * JAAS strings.
   */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

  public PrunewireAcls {
    requireName("agent user", agentUser);
    if (trainerUsers.isEmpty()) {
      throw new IllegalArgumentException("trainer users: at least one is needed");
    }
    trainerUsers.forEach(u -> requireName("trainer user", u));
    if (trainerUsers.contains(agentUser)) {
      throw new IllegalArgumentException(
          "trainer user '"
              + agentUser
              + "' is the agent user: a trainer must not"
              + " be able to write decisions");
    }
    trainerUsers = List.copyOf(trainerUsers);
    requireName("application id", applicationId);
    requireName("telemetry topic", telemetryTopic);
    requireName("decisions topic", decisionsTopic);
    requireName("dead-letter topic", deadLetterTopic);
    requireName("trainer group prefix", trainerGroupPrefix);
  }

  /**
   * The ACLs for an agent with these settings ({@code application.id} and the three topics), so
   * that the grants follow the agent's configuration rather than restating it.
   */
  public static PrunewireAcls forAgent(
      AgentConfig agent, String agentUser, List<String> trainerUsers, String trainerGroupPrefix) {
    return new PrunewireAcls(
        agentUser,
        trainerUsers,
        agent.applicationId(),
        agent.topics().telemetry(),
        agent.topics().decisions(),
        agent.topics().deadLetter(),
        trainerGroupPrefix);
  }

  /** Every grant, each with why it is needed. */
  public List<Grant> grants() {
    List<Grant> g = new ArrayList<>();
    String agent = agentUser;
    g.add(
        topic(
            agent,
            telemetryTopic,
            AclOperation.READ,
            "the agent consumes the trainers' telemetry"));
    g.add(
        topic(
            agent,
            decisionsTopic,
            AclOperation.WRITE,
            "the agent is the only writer of decisions"));
    g.add(
        topic(
            agent,
            deadLetterTopic,
            AclOperation.WRITE,
            "the agent dead-letters the records it rejects"));
    for (String t : List.of(telemetryTopic, decisionsTopic, deadLetterTopic)) {
      g.add(
          topic(
              agent,
              t,
              AclOperation.CREATE,
              "the agent creates its topics on first start if they are missing"));
    }
    String internal = applicationId + "-";
    g.add(
        new Grant(
            agent,
            ResourceType.TOPIC,
            internal,
            PatternType.PREFIXED,
            AclOperation.ALL,
            "Kafka Streams creates, reads, writes and trims its changelog and repartition topics "
                + internal
                + "*"));
    g.add(
        new Grant(
            agent,
            ResourceType.GROUP,
            applicationId,
            PatternType.LITERAL,
            AclOperation.READ,
            "the agent's consumer group is its application id"));
    g.add(
        new Grant(
            agent,
            ResourceType.TRANSACTIONAL_ID,
            internal,
            PatternType.PREFIXED,
            AclOperation.WRITE,
            "exactly-once processing: transactional ids " + internal + "<process>-<thread>"));
    for (String trainer : trainerUsers) {
      g.add(topic(trainer, telemetryTopic, AclOperation.WRITE, "trainers publish telemetry"));
      g.add(
          topic(
              trainer,
              decisionsTopic,
              AclOperation.READ,
              "trainers read the decisions of their runs"));
      g.add(
          new Grant(
              trainer,
              ResourceType.GROUP,
              trainerGroupPrefix,
              PatternType.PREFIXED,
              AclOperation.READ,
              "trainers that read decisions in a consumer group name it "
                  + trainerGroupPrefix
                  + "*"));
    }
    return List.copyOf(g);
  }

  /** The grants as Kafka ACL bindings (allow, from any host). */
  public List<AclBinding> bindings() {
    return grants().stream().map(Grant::binding).toList();
  }

  private static Grant topic(String user, String topic, AclOperation op, String why) {
    return new Grant(user, ResourceType.TOPIC, topic, PatternType.LITERAL, op, why);
  }

  private static void requireName(String what, String value) {
    if (value == null || !NAME.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what + ": must be letters, digits, '.', '_' or '-', was " + value);
    }
  }

  /**
   * One allowed operation of one user on one resource, and why the user needs it.
   *
   * @param user the SCRAM user name
   * @param type topic, group or transactional id
   * @param name the resource name, or its prefix
   * @param pattern {@link PatternType#LITERAL} or {@link PatternType#PREFIXED}
   * @param operation what is allowed
   * @param why the reason, printed next to the equivalent Kafka command
   */
  public record Grant(
      String user,
      ResourceType type,
      String name,
      PatternType pattern,
      AclOperation operation,
      String why) {

    /** The principal the broker sees for this user after a SCRAM login. */
    public String principal() {
      return "User:" + user;
    }

    /** The Kafka ACL binding: allow from any host. */
    public AclBinding binding() {
      return new AclBinding(
          new ResourcePattern(type, name, pattern),
          new AccessControlEntry(principal(), "*", operation, AclPermissionType.ALLOW));
    }
  }
}
