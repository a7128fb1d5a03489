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
 * Loads the truststore and keystore that Kafka client properties name, before anything else starts:
 * a missing file or a wrong password would otherwise surface as a stack trace from the Kafka
 * client's constructor, after the corpus and model were loaded. Only the JDK's store types are
 * opened (JKS, the default, and PKCS12); a PEM store is only checked to be readable, Kafka parses
 * it itself.
 */
final class KeyStoreCheck {

  private KeyStoreCheck() {}

  /**
   * @throws IllegalArgumentException naming the setting and the file that does not load, and why
   */
  static void check(Map<String, String> properties) {
    check(properties, "ssl.truststore");
    check(properties, "ssl.keystore");
  }

  private static void check(Map<String, String> properties, String prefix) {
    String location = properties.get(prefix + ".location");
    if (location == null || location.isBlank()) {
      return;
    }
    String setting = prefix + ".location " + location;
    Path file = Path.of(location);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          setting + ": no such file (set " + prefix + ".location to the store's path)");
    }
    String type = properties.getOrDefault(prefix + ".type", "JKS").toUpperCase(Locale.ROOT);
    if (type.equals("PEM")) {
      if (!Files.isReadable(file)) {
        throw new IllegalArgumentException(setting + ": cannot be read");
      }
      return;
    }
    String password = properties.get(prefix + ".password");
    try (InputStream in = Files.newInputStream(file)) {
      // A JKS KeyStore also reads PKCS12 files, as Kafka's own loading does on current JDKs.
      KeyStore store = KeyStore.getInstance(type);
      store.load(in, password == null ? null : password.toCharArray());
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(setting + ": no such file", e);
    } catch (IOException | GeneralSecurityException e) {
      String why =
          e.getCause() instanceof java.security.UnrecoverableKeyException
                  || String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("password")
              ? " (is " + prefix + ".password right?)"
              : " (is it a " + type + " file, as " + prefix + ".type says?)";
      throw new IllegalArgumentException(
          setting + ": cannot be loaded: " + e.getMessage() + why, e);
    }
  }
}
