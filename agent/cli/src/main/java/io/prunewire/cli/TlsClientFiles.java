package io.prunewire.cli;

import io.prunewire.broker.EmbeddedKafka;
import io.prunewire.broker.TlsKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The files {@code prunewire broker --tls} writes so that an operator can try TLS on one machine:
 * the key material of a CA made at start and, for clients, {@code truststore.p12}, {@code
 * client-ssl.properties} and one {@code client-USER.properties} per SCRAM user. The directory is
 * 0700 and every file 0600: the properties hold the truststore's and the users' passwords, and
 * {@code ca.p12} the CA's private key.
 */
record TlsClientFiles(Path dir, TlsKeys keys) {

  private static final Set<PosixFilePermission> OWNER_DIR =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_FILE =
      PosixFilePermissions.fromString("rw-------");

  /**
   * Makes {@code dir} (0700) and a new CA and broker certificate in it; files of an earlier start
   * are replaced (keytool refuses to add a key to a store that has one under the same alias).
   */
  static TlsClientFiles prepare(Path dir) throws IOException {
    Files.createDirectories(dir);
    restrict(dir, OWNER_DIR);
    for (String old :
        List.of(
            "ca.p12",
            "ca.crt",
            "broker.keystore.p12",
            "broker.csr",
            "broker.crt",
            "broker-chain.crt",
            "truststore.p12")) {
      Files.deleteIfExists(dir.resolve(old));
    }
    TlsKeys keys = TlsKeys.generate(dir);
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        restrict(f, OWNER_FILE);
      }
    }
    return new TlsClientFiles(dir, keys);
  }

  /**
   * Writes the client properties of the running broker's SSL listener and of each SCRAM user on its
   * SASL_SSL listener.
   *
   * @return the files written, the truststore first
   */
  List<Path> write(EmbeddedKafka kafka, Map<String, String> users) throws IOException {
    List<Path> written = new ArrayList<>();
    written.add(keys.truststore());
    written.add(
        properties(
            "client-ssl.properties",
            "SSL listener; use with --bootstrap-servers " + kafka.tlsBootstrapServers(),
            kafka.tlsClientProperties()));
    for (Map.Entry<String, String> user : new TreeMap<>(users).entrySet()) {
      written.add(
          properties(
              "client-" + user.getKey() + ".properties",
              "user "
                  + user.getKey()
                  + " on the SASL_SSL listener; use with --bootstrap-servers "
                  + kafka.saslBootstrapServers(),
              kafka.saslClientProperties(user.getKey(), user.getValue())));
    }
    return written;
  }

  /** A properties file created 0600 before any secret is written to it. */
  private Path properties(String name, String comment, Map<String, String> values)
      throws IOException {
    Path file = dir.resolve(name);
    Files.deleteIfExists(file);
    Files.createFile(file);
    restrict(file, OWNER_FILE);
    StringBuilder text =
        new StringBuilder("# Written by prunewire broker --tls for its ").append(comment);
    text.append("\n# The CA is made at every start of the broker: re-read this file after one.\n");
    new TreeMap<>(values)
        .forEach((k, v) -> text.append(k).append('=').append(escape(v)).append('\n'));
    Files.writeString(file, text, StandardCharsets.UTF_8);
    return file;
  }

  /** Java properties escapes for the characters a value here can hold (paths, JAAS lines). */
  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\n", "\\n");
  }

  private static void restrict(Path path, Set<PosixFilePermission> permissions) throws IOException {
    if (Files.getFileStore(path).supportsFileAttributeView("posix")) {
      Files.setPosixFilePermissions(path, permissions);
    }
  }
}
