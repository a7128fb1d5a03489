package io.prunewire.trainer.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * A gzipped data file shipped on the classpath, read whole and checked against the SHA-256 of its
 * decompressed bytes that its {@code SOURCE.md} records, so that a corrupt or replaced file fails
 * before a model trains on it.
 */
public final class VendoredResource {

  private VendoredResource() {}

  /**
   * The decompressed bytes of the gzipped resource {@code path} (absolute, as for {@link
   * Class#getResourceAsStream}).
   *
   * @param dataset what the file belongs to, e.g. {@code "PTB valid"}, for the error messages
   * @param sha256 the expected SHA-256 of the decompressed bytes, lower-case hex
   * @throws IllegalStateException if the resource is missing or its checksum differs
   */
  public static byte[] read(String dataset, String path, String sha256) {
    try (InputStream raw = VendoredResource.class.getResourceAsStream(path)) {
      if (raw == null) {
        throw new IllegalStateException(
            dataset + ": resource " + path + " is missing from the classpath");
      }
      byte[] bytes;
      try (InputStream in = new GZIPInputStream(raw)) {
        bytes = in.readAllBytes();
      }
      String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
      if (!actual.equals(sha256)) {
        throw new IllegalStateException(
            dataset
                + ": decompressed "
                + path
                + " has sha256 "
                + actual
                + ", SOURCE.md records "
                + sha256
                + " (corrupt or replaced file)");
      }
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(dataset + ": cannot read " + path, e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is unavailable in this JVM", e);
    }
  }
}
