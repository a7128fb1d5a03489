package io.prunewire.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Locale;
import java.util.Map;

/**
 * Loads the truststores and keystores that Kafka client properties name, before anything else
 * starts: a missing file or a wrong password would otherwise surface as a stack trace from a Kafka
 * client's constructor, after the corpus and model were loaded ({@code prunewire train}) or after
 * the agent's broker and Kafka Streams started ({@code prunewire agent}). Only the JDK's store
 * types are opened (JKS, the default, and PKCS12); a PEM store is only checked to be readable,
 * Kafka parses it itself.
 *
 * <p>A location under a client prefix, as Kafka Streams reads them ({@code
 * consumer.ssl.truststore.location}, {@code main.consumer.ssl.keystore.location}, ...), is checked
 * too, with the type and password that client gets: the prefixed setting, else the one under the
 * next shorter prefix ({@code main.consumer.} falls back to {@code consumer.}, that to none), the
 * order in which Kafka Streams overrides the common settings.
 */
final class KeyStoreCheck {

  private static final String TRUSTSTORE = "ssl.truststore.";
  private static final String KEYSTORE = "ssl.keystore.";

  private KeyStoreCheck() {}

  /**
   * @throws IllegalArgumentException naming the setting and the file that does not load, and why
   */
  static void check(Map<String, String> properties) {
    for (String key : properties.keySet()) {
      for (String store : new String[] {TRUSTSTORE, KEYSTORE}) {
        String location = store + "location";
        if (key.equals(location) || key.endsWith("." + location)) {
          check(properties, key.substring(0, key.length() - location.length()), store);
        }
      }
    }
  }

  private static void check(Map<String, String> properties, String clientPrefix, String store) {
    String prefix = clientPrefix + store;
    String location = properties.get(prefix + "location");
    if (location == null || location.isBlank()) {
      return;
    }
    String setting = prefix + "location " + location;
    Path file = Path.of(location);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          setting + ": no such file (set " + prefix + "location to the store's path)");
    }
    String typeKey = effectiveKey(properties, clientPrefix, store + "type");
    String type = typeKey == null ? "JKS" : properties.get(typeKey).toUpperCase(Locale.ROOT);
    if (type.equals("PEM")) {
      if (!Files.isReadable(file)) {
        throw new IllegalArgumentException(setting + ": cannot be read");
      }
      return;
    }
    String passwordKey = effectiveKey(properties, clientPrefix, store + "password");
    String password = passwordKey == null ? null : properties.get(passwordKey);
    try (InputStream in = Files.newInputStream(file)) {
      // A JKS KeyStore also reads PKCS12 files, as Kafka's own loading does on current JDKs.
      KeyStore keyStore = KeyStore.getInstance(type);
      keyStore.load(in, password == null ? null : password.toCharArray());
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(setting + ": no such file", e);
    } catch (IOException | GeneralSecurityException e) {
      String why =
          e.getCause() instanceof java.security.UnrecoverableKeyException
                  || String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("password")
              ? " (is " + (passwordKey == null ? prefix + "password" : passwordKey) + " right?)"
              : " (is it a "
                  + type
                  + " file, as "
                  + (typeKey == null ? "the default " + prefix + "type" : typeKey)
                  + " says?)";
      throw new IllegalArgumentException(
          setting + ": cannot be loaded: " + e.getMessage() + why, e);
    }
  }

  /**
   * The key that sets {@code name} for the client of {@code clientPrefix}: the prefixed one, else
   * the one under each shorter prefix down to none (Kafka Streams' override order); null if none is
   * set.
   */
  private static String effectiveKey(
      Map<String, String> properties, String clientPrefix, String name) {
    String prefix = clientPrefix;
    while (!properties.containsKey(prefix + name)) {
      if (prefix.isEmpty()) {
        return null;
      }
      prefix = prefix.substring(prefix.indexOf('.') + 1);
    }
    return prefix + name;
  }
}
