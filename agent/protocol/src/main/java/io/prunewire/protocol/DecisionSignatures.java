package io.prunewire.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Ed25519 signatures of decision records (RFC 8032, the JDK's {@code Ed25519}). The agent signs the
 * record value — the encoded {@code Decision}, byte for byte — and sends the 64-byte signature in
 * the Kafka record header {@value #SIGNATURE_HEADER} and the signing key's id, UTF-8, in {@value
 * #KEY_ID_HEADER}; the value's layout does not change. A trainer that holds public keys accepts a
 * decision only if the key id names one of them and the signature verifies with it. Several public
 * keys by id let a fleet rotate keys without a gap.
 *
 * <p>Key files are PEM: the private key PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}), the public
 * key X.509 SubjectPublicKeyInfo ({@code -----BEGIN PUBLIC KEY-----}), as {@code openssl genpkey
 * -algorithm ed25519} and {@code openssl pkey -pubout} write them.
 */
public final class DecisionSignatures {

  /** Record header holding the raw 64-byte Ed25519 signature of the record value. */
  public static final String SIGNATURE_HEADER = "prunewire.signature";

  /** Record header holding the signing key's id, UTF-8. */
  public static final String KEY_ID_HEADER = "prunewire.key-id";

  private static final String ALGORITHM = "Ed25519";

  private DecisionSignatures() {}

  /** A fresh Ed25519 key pair. */
  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM has no Ed25519 (Java 15 and later have)", e);
    }
  }

  /** The private key as PEM (PKCS#8). */
  public static String privatePem(PrivateKey key) {
    return pem("PRIVATE KEY", key.getEncoded());
  }

  /** The public key as PEM (X.509 SubjectPublicKeyInfo). */
  public static String publicPem(PublicKey key) {
    return pem("PUBLIC KEY", key.getEncoded());
  }

  /** Signs decision records with one private key. */
  public record Signer(String keyId, PrivateKey key) {
    public Signer {
      EventChecks.nonEmpty("signing key id", keyId);
      Objects.requireNonNull(key, "key");
    }

    /**
     * Reads a PKCS#8 PEM private key.
     *
     * @throws IllegalArgumentException naming the file if it is not an Ed25519 private key
     */
    public static Signer load(String keyId, Path file) throws IOException {
      byte[] der = der(file, "PRIVATE KEY");
      try {
        return new Signer(
            keyId, KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der)));
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException(
            file + ": not an Ed25519 private key (PKCS#8): " + e.getMessage(), e);
      }
    }

    /**
     * The 64-byte signature of {@code value}; Ed25519 is deterministic, so a republication signs
     * alike.
     */
    public byte[] sign(byte[] value) {
      try {
        Signature s = Signature.getInstance(ALGORITHM);
        s.initSign(key);
        s.update(value);
        return s.sign();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("Ed25519 signing failed", e);
      }
    }
  }

  /** Why a record's signature was not accepted. */
  public record Failure(RefusalReason reason, String detail) {}

  /** Verifies decision records against public keys by key id. */
  public static final class Verifier {
    private final Map<String, PublicKey> keys;

    public Verifier(Map<String, PublicKey> keys) {
      if (keys.isEmpty()) {
        throw new IllegalArgumentException("a signature verifier needs at least one public key");
      }
      this.keys = Map.copyOf(keys);
    }

    /**
     * Reads X.509 PEM public keys.
     *
     * @param files key id → PEM file
     * @throws IllegalArgumentException naming the file if it is not an Ed25519 public key
     */
    public static Verifier load(Map<String, Path> files) throws IOException {
      Map<String, PublicKey> keys = new LinkedHashMap<>();
      for (Map.Entry<String, Path> f : files.entrySet()) {
        EventChecks.nonEmpty("public key id", f.getKey());
        byte[] der = der(f.getValue(), "PUBLIC KEY");
        try {
          keys.put(
              f.getKey(),
              KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der)));
        } catch (GeneralSecurityException e) {
          throw new IllegalArgumentException(
              f.getValue() + ": not an Ed25519 public key (X.509): " + e.getMessage(), e);
        }
      }
      return new Verifier(keys);
    }

    /** The key ids this verifier accepts. */
    public Set<String> keyIds() {
      return keys.keySet();
    }

    /**
     * Checks a record's signature headers against its value.
     *
     * @param signature the {@value #SIGNATURE_HEADER} header's bytes, or null if absent
     * @param keyId the {@value #KEY_ID_HEADER} header's bytes, or null if absent
     * @return why the record is not accepted, or empty if the signature verifies
     */
    public Optional<Failure> verify(byte[] value, byte[] signature, byte[] keyId) {
      if (signature == null || keyId == null) {
        return Optional.of(
            new Failure(
                RefusalReason.UNSIGNED,
                "the record has no " + SIGNATURE_HEADER + " and " + KEY_ID_HEADER + " headers"));
      }
      String id = new String(keyId, StandardCharsets.UTF_8);
      PublicKey key = keys.get(id);
      if (key == null) {
        return Optional.of(
            new Failure(
                RefusalReason.UNKNOWN_KEY,
                "key id '" + id + "' is not among the trusted keys " + keys.keySet()));
      }
      try {
        Signature s = Signature.getInstance(ALGORITHM);
        s.initVerify(key);
        s.update(value);
        if (s.verify(signature)) {
          return Optional.empty();
        }
      } catch (GeneralSecurityException e) {
        // A malformed signature (wrong length, not a curve point) is just a wrong one.
      }
      return Optional.of(
          new Failure(
              RefusalReason.BAD_SIGNATURE, "the signature does not verify with key '" + id + "'"));
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static byte[] der(Path file, String type) throws IOException {
    String text = Files.readString(file, StandardCharsets.US_ASCII);
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int from = text.indexOf(begin);
    int to = text.indexOf(end);
    if (from < 0 || to < from) {
      throw new IllegalArgumentException(file + ": no PEM block '" + begin + "' ... '" + end + "'");
    }
    try {
      return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          file + ": the PEM block is not base64: " + e.getMessage(), e);
    }
  }
}
