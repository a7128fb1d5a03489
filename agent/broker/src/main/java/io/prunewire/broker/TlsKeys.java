package io.prunewire.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * TLS key material for the embedded broker ({@link EmbeddedKafka.Builder#tls}): a broker keystore
 * whose certificate is signed by a private CA and names {@code 127.0.0.1} and {@code localhost}, so
 * that clients' default hostname verification passes, and a truststore holding only that CA, which
 * is all a client needs. Made fresh by {@link #generate} so that no private key is ever committed.
 *
 * @param keystore PKCS#12 file with the broker's key and its certificate chain (broker, CA)
 * @param truststore PKCS#12 file with the CA certificate
 * @param password the password of both files and of the broker's key
 */
public record TlsKeys(Path keystore, Path truststore, String password) {

  private static final String PASSWORD_ENV = "PRUNEWIRE_TLS_PASSWORD";
  private static final String VALIDITY_DAYS = "365";

  /**
   * Writes a new CA, a broker keystore and a truststore into {@code dir} with the JDK's {@code
   * keytool} (seven runs, a few seconds); the password is random. The CA's own key stays in {@code
   * dir/ca.p12}: another call makes another CA, which is how tests get a truststore that trusts the
   * wrong authority.
   *
   * @throws IllegalStateException if keytool is missing or fails (with its output)
   */
  public static TlsKeys generate(Path dir) {
    byte[] random = new byte[16];
    new SecureRandom().nextBytes(random);
    String password = HexFormat.of().formatHex(random);
    try {
      Files.createDirectories(dir);
      Path ca = dir.resolve("ca.p12");
      Path caCert = dir.resolve("ca.crt");
      Path keystore = dir.resolve("broker.keystore.p12");
      Path request = dir.resolve("broker.csr");
      Path signed = dir.resolve("broker.crt");
      Path chain = dir.resolve("broker-chain.crt");
      Path truststore = dir.resolve("truststore.p12");
      keytool(
          password,
          "-genkeypair",
          "-alias",
          "ca",
          "-keyalg",
          "EC",
          "-groupname",
          "secp256r1",
          "-dname",
          "CN=Prunewire embedded Kafka CA",
          "-validity",
          VALIDITY_DAYS,
          "-ext",
          "bc:c=ca:true,pathlen:0",
          "-ext",
          "ku:c=keyCertSign,cRLSign",
          "-storetype",
          "PKCS12",
          "-keystore",
          ca.toString());
      keytool(
          password,
          "-exportcert",
          "-rfc",
          "-alias",
          "ca",
          "-keystore",
          ca.toString(),
          "-file",
          caCert.toString());
      keytool(
          password,
          "-genkeypair",
          "-alias",
          "broker",
          "-keyalg",
          "EC",
          "-groupname",
          "secp256r1",
          "-dname",
          "CN=localhost",
          "-validity",
          VALIDITY_DAYS,
          "-storetype",
          "PKCS12",
          "-keystore",
          keystore.toString());
      keytool(
          password,
          "-certreq",
          "-alias",
          "broker",
          "-keystore",
          keystore.toString(),
          "-file",
          request.toString());
      keytool(
          password,
          "-gencert",
          "-alias",
          "ca",
          "-keystore",
          ca.toString(),
          "-infile",
          request.toString(),
          "-outfile",
          signed.toString(),
          "-rfc",
          "-validity",
          VALIDITY_DAYS,
          "-ext",
          "san=ip:127.0.0.1,dns:localhost",
          "-ext",
          "ku:c=digitalSignature",
          "-ext",
          "eku=serverAuth");
      // The reply carries the CA too, so keytool can install the chain without a CA entry in the
      // keystore.
      Files.writeString(chain, Files.readString(signed) + Files.readString(caCert));
      keytool(
          password,
          "-importcert",
          "-noprompt",
          "-alias",
          "broker",
          "-file",
          chain.toString(),
          "-keystore",
          keystore.toString());
      keytool(
          password,
          "-importcert",
          "-noprompt",
          "-alias",
          "prunewire-ca",
          "-file",
          caCert.toString(),
          "-storetype",
          "PKCS12",
          "-keystore",
          truststore.toString());
      return new TlsKeys(keystore, truststore, password);
    } catch (IOException e) {
      throw new UncheckedIOException("writing TLS key material to " + dir + " failed", e);
    }
  }

  /**
   * The client properties that trust this broker: {@code ssl.truststore.*}, without {@code
   * security.protocol}.
   */
  public Map<String, String> clientProperties() {
    return Map.of(
        "ssl.truststore.type",
        "PKCS12",
        "ssl.truststore.location",
        truststore.toString(),
        "ssl.truststore.password",
        password);
  }

  /** Names the files only: the password stays out of logs. */
  @Override
  public String toString() {
    return "TlsKeys[keystore=" + keystore + ", truststore=" + truststore + "]";
  }

  /** The broker's {@code ssl.keystore.*}; they apply to every SSL and SASL_SSL listener. */
  void addTo(Properties p) {
    p.put("ssl.keystore.type", "PKCS12");
    p.put("ssl.keystore.location", keystore.toString());
    p.put("ssl.keystore.password", password);
    p.put("ssl.key.password", password);
  }

  /** Runs keytool with the store password in the environment, not on its command line. */
  private static void keytool(String password, String command, String... args) throws IOException {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    if (!Files.isExecutable(keytool)) {
      throw new IllegalStateException(
          "TLS key material needs the JDK's keytool, not found at " + keytool);
    }
    // C1 only and the serial collector: each run is a short JVM, about three times faster so.
    List<String> cmd =
        new ArrayList<>(
            List.of(
                keytool.toString(), "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", command));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("-storepass:env", PASSWORD_ENV));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put(PASSWORD_ENV, password);
    Process process = pb.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (process.waitFor() != 0) {
        throw new IllegalStateException("keytool " + command + " failed: " + output.strip());
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while keytool " + command + " ran", e);
    }
  }
}
