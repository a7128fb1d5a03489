package io.prunewire.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads v1 wire primitives (little-endian) and never trusts a length: every length is checked to be
 * non-negative and to fit in the bytes that remain before anything is allocated. Every read names
 * its field so a rejection says where the record went wrong.
 */
final class WireReader {
  /** Largest scratch array kept per thread (4 MB); a larger one is used once and dropped. */
  private static final int MAX_SCRATCH_FLOATS = 1 << 20;

  private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[0]);

  private final ByteBuffer buf;

  WireReader(byte[] bytes) {
    buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  int u8(String field) {
    need(field, 1);
    return buf.get() & 0xff;
  }

  int i32(String field) {
    need(field, 4);
    return buf.getInt();
  }

  long i64(String field) {
    need(field, 8);
    return buf.getLong();
  }

  /** A non-negative int32 size (neuron count, list length). */
  int size(String field) {
    int n = i32(field);
    if (n < 0) {
      throw new InvalidEventException(
          RejectReason.NEGATIVE_COUNT, field + ": size must be >= 0, was " + n);
    }
    return n;
  }

  /**
   * A list length whose elements take at least {@code minElementBytes} each; rejects a length the
   * remaining bytes cannot hold, so a forged length never causes a large allocation.
   */
  int length(String field, int minElementBytes) {
    int n = size(field);
    need(field, (long) n * minElementBytes);
    return n;
  }

  /** A non-negative int64 count. */
  long count(String field) {
    long n = i64(field);
    if (n < 0) {
      throw new InvalidEventException(
          RejectReason.NEGATIVE_COUNT, field + ": count must be >= 0, was " + n);
    }
    return n;
  }

  /** A finite float32. */
  float f32(String field) {
    need(field, 4);
    float v = buf.getFloat();
    if (!Float.isFinite(v)) {
      throw WireChecks.nonFinite(field, v);
    }
    return v;
  }

  /** A finite float64. */
  double f64(String field) {
    need(field, 8);
    double v = buf.getDouble();
    if (!Double.isFinite(v)) {
      throw WireChecks.nonFinite(field, v);
    }
    return v;
  }

  /** {@code n} finite float32 values. */
  float[] f32s(String field, int n) {
    need(field, 4L * n);
    float[] out = new float[n];
    buf.asFloatBuffer().get(out);
    requireFinite(field, out, n);
    buf.position(buf.position() + 4 * n);
    return out;
  }

  /** {@code n} finite float32 values widened to double. */
  double[] f32sAsDoubles(String field, int n) {
    need(field, 4L * n);
    float[] floats = floats(n);
    requireFinite(field, floats, n);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = floats[i];
    }
    buf.position(buf.position() + 4 * n);
    return out;
  }

  /**
   * A row-major {@code [rows, columns]} matrix of finite float32 values widened to double, returned
   * as one array per column ({@code out[c][r]}); a non-finite value is named by its row-major index
   * as {@link #f32sAsDoubles} names it.
   */
  double[][] f32sAsDoubleColumns(String field, int rows, int columns) {
    need(field, 4L * rows * columns);
    float[] floats = floats(rows * columns);
    requireFinite(field, floats, rows * columns);
    double[][] out = new double[columns][rows];
    for (int c = 0; c < columns; c++) {
      double[] column = out[c];
      for (int r = 0, i = c; r < rows; r++, i += columns) {
        column[r] = floats[i];
      }
    }
    buf.position(buf.position() + 4 * rows * columns);
    return out;
  }

  /**
   * The next {@code n} float32 values (the caller checked they are there), copied by one bulk get
   * of a little-endian view (a memory copy) into this thread's scratch array, which is then widened
   * and checked in plain array loops: summaries carry tens of thousands of floats, and reading them
   * one at a time from the bytes kept decoding at a third of the agent's samples. Valid until the
   * thread's next call; the position is left for the caller to advance.
   */
  private float[] floats(int n) {
    float[] scratch = SCRATCH.get();
    if (scratch.length < n) {
      scratch = new float[n];
      if (n <= MAX_SCRATCH_FLOATS) {
        SCRATCH.set(scratch);
      }
    }
    buf.asFloatBuffer().get(scratch, 0, n);
    return scratch;
  }

  /** Fails naming the first of the {@code n} values that is NaN or infinite. */
  private static void requireFinite(String field, float[] values, int n) {
    for (int i = 0; i < n; i++) {
      if (!Float.isFinite(values[i])) {
        throw WireChecks.nonFinite(field + "[" + i + "]", values[i]);
      }
    }
  }

  /**
   * {@code n} counts, each an unsigned LEB128 varint in canonical (shortest) form whose value fits
   * a non-negative int64.
   */
  long[] counts(String field, int n) {
    need(field, n); // at least one byte each, checked before allocating
    long[] out = new long[n];
    // Straight from the backing array; most counts fit one or two bytes.
    byte[] bytes = buf.array();
    int offset = buf.arrayOffset();
    int p = offset + buf.position();
    int limit = offset + buf.limit();
    for (int i = 0; i < n; i++) {
      if (p < limit && bytes[p] >= 0) {
        out[i] = bytes[p++];
        continue;
      }
      if (p + 1 < limit && bytes[p + 1] > 0) {
        // A continued first byte and a final, non-zero (hence canonical) second one.
        out[i] = (bytes[p] & 0x7f) | (bytes[p + 1] << 7);
        p += 2;
        continue;
      }
      long v = 0;
      int shift = 0;
      int b;
      do {
        if (shift > 56) {
          throw new InvalidEventException(
              RejectReason.NEGATIVE_COUNT, field + "[" + i + "]: varint exceeds the int64 range");
        }
        if (p >= limit) {
          throw new InvalidEventException(
              RejectReason.MALFORMED, field + "[" + i + "]: record ends inside a varint");
        }
        b = bytes[p++] & 0xff;
        if (b == 0 && shift > 0) {
          throw new InvalidEventException(
              RejectReason.MALFORMED, field + "[" + i + "]: varint is not in its shortest form");
        }
        v |= (long) (b & 0x7f) << shift;
        shift += 7;
      } while ((b & 0x80) != 0);
      out[i] = v;
    }
    buf.position(p - offset);
    return out;
  }

  /** {@code n} int32 values. */
  int[] i32s(String field, int n) {
    need(field, 4L * n);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = buf.getInt();
    }
    return out;
  }

  /** {@code n} booleans packed LSB-first; the unused high bits of the last byte must be zero. */
  boolean[] bits(String field, int n) {
    int bytes = (int) ((n + 7L) / 8);
    need(field, bytes);
    boolean[] out = new boolean[n];
    for (int b = 0; b < bytes; b++) {
      int v = buf.get() & 0xff;
      for (int j = 0; j < 8; j++) {
        int i = b * 8 + j;
        boolean set = (v & (1 << j)) != 0;
        if (i < n) {
          out[i] = set;
        } else if (set) {
          throw new InvalidEventException(
              RejectReason.MALFORMED, field + ": padding bit " + j + " of the last byte is set");
        }
      }
    }
    return out;
  }

  /** An int32 byte length, then that many bytes of strict UTF-8. */
  String str(String field) {
    int n = size(field);
    if (n > EventChecks.MAX_STRING_BYTES) {
      throw new InvalidEventException(
          RejectReason.MALFORMED,
          field + ": string length " + n + " exceeds " + EventChecks.MAX_STRING_BYTES);
    }
    need(field, n);
    ByteBuffer slice = buf.slice().limit(n);
    try {
      String s =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(slice)
              .toString();
      buf.position(buf.position() + n);
      return s;
    } catch (CharacterCodingException e) {
      throw new InvalidEventException(RejectReason.MALFORMED, field + ": not valid UTF-8");
    }
  }

  /** Whether bytes remain (an optional trailing field follows). */
  boolean hasRemaining() {
    return buf.hasRemaining();
  }

  /** Fails unless every byte was consumed. */
  void end(String what) {
    if (buf.hasRemaining()) {
      throw new InvalidEventException(
          RejectReason.MALFORMED,
          what + ": " + buf.remaining() + " trailing bytes after the last field");
    }
  }

  private void need(String field, long bytes) {
    if (bytes > buf.remaining()) {
      throw new InvalidEventException(
          RejectReason.MALFORMED,
          field
              + ": needs "
              + bytes
              + " bytes but only "
              + buf.remaining()
              + " remain (truncated or forged length)");
    }
  }
}
