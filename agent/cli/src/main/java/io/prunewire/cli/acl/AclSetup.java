package io.prunewire.cli.acl;

import io.prunewire.service.PrunewireAcls;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.errors.ResourceNotFoundException;

/**
 * Puts SCRAM users and a {@link PrunewireAcls} into a running cluster through Kafka's Admin API
 * (what {@code kafka-configs.sh} and {@code kafka-acls.sh} do), then waits until the broker it
 * talks to reports them. In KRaft both go to the controller and reach each broker's metadata a
 * moment later; a client that logs in right after the call could otherwise be refused by a broker
 * that has not caught up. Creating an ACL or a user twice is harmless, so the setup can be re-run.
 */
public final class AclSetup {

  /**
   * Kafka's default is 4096; SCRAM-SHA-512 allows more, which costs each login a few milliseconds.
   */
  static final int SCRAM_ITERATIONS = 8192;

  private static final Duration POLL = Duration.ofMillis(100);

  private AclSetup() {}

  /**
   * What a setup changed.
   *
   * @param usersUpserted SCRAM users created or given a new password
   * @param aclsCreated ACLs that were not there before
   * @param aclsInPlace ACLs of the set that the broker reports now (all of them)
   */
  public record Result(int usersUpserted, int aclsCreated, int aclsInPlace) {}

  /**
   * Upserts {@code users} (name to password, SCRAM-SHA-512) and creates every ACL of {@code acls},
   * then waits up to {@code timeout} until the broker lists them.
   *
   * @throws IllegalStateException naming what the cluster refused or what did not appear in time
   */
  public static Result apply(
      Admin admin, PrunewireAcls acls, Map<String, String> users, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    if (!users.isEmpty()) {
      List<UserScramCredentialAlteration> upserts = new ArrayList<>();
      users.forEach(
          (user, password) ->
              upserts.add(
                  new UserScramCredentialUpsertion(
                      user,
                      new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS),
                      password)));
      await(
          admin.alterUserScramCredentials(upserts).all(),
          deadline,
          "creating SCRAM users " + users.keySet());
      while (!haveScramCredentials(admin, users.keySet(), deadline)) {
        pause(deadline, "the SCRAM users " + users.keySet() + " to reach the broker");
      }
    }
    List<AclBinding> wanted = acls.bindings();
    Set<AclBinding> before = new HashSet<>(describe(admin, deadline));
    int created = (int) wanted.stream().filter(b -> !before.contains(b)).count();
    await(admin.createAcls(wanted).all(), deadline, "creating ACLs");
    while (!describe(admin, deadline).containsAll(wanted)) {
      pause(deadline, "the ACLs to reach the broker");
    }
    return new Result(users.size(), created, wanted.size());
  }

  private static Collection<AclBinding> describe(Admin admin, long deadline)
      throws InterruptedException {
    return await(admin.describeAcls(AclBindingFilter.ANY).values(), deadline, "listing ACLs");
  }

  /** Whether every user has a SCRAM-SHA-512 credential in the broker's metadata. */
  private static boolean haveScramCredentials(Admin admin, Set<String> users, long deadline)
      throws InterruptedException {
    try {
      Map<String, UserScramCredentialsDescription> found =
          await(
              admin.describeUserScramCredentials(List.copyOf(users)).all(),
              deadline,
              "listing SCRAM users");
      return found.keySet().containsAll(users)
          && found.values().stream()
              .allMatch(
                  d ->
                      d.credentialInfos().stream()
                          .anyMatch(i -> i.mechanism() == ScramMechanism.SCRAM_SHA_512));
    } catch (IllegalStateException e) {
      if (e.getCause() instanceof ResourceNotFoundException) {
        return false; // not there yet
      }
      throw e;
    }
  }

  private static void pause(long deadline, String what) throws InterruptedException {
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException("timed out waiting for " + what);
    }
    Thread.sleep(POLL.toMillis());
  }

  private static <T> T await(
      org.apache.kafka.common.KafkaFuture<T> future, long deadline, String what)
      throws InterruptedException {
    try {
      return future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(what + " failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(what + " timed out", e);
    }
  }
}
