package io.prunewire.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Appends v1 wire primitives (all little-endian) to a growing buffer. */
final class WireWriter {
  private ByteBuffer buf = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN);

  void u8(int v) {
    room(1).put((byte) v);
  }

  void i32(int v) {
    room(4).putInt(v);
  }

  void i64(long v) {
    room(8).putLong(v);
  }

  void f32(double v) {
    room(4).putFloat(toFloat(v));
  }

  void f64(double v) {
    room(8).putDouble(v);
  }

  /** A string: int32 byte length, then its UTF-8 bytes. */
  void str(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length > EventChecks.MAX_STRING_BYTES) {
      throw new InvalidEventException(
          RejectReason.MALFORMED,
          "string of "
              + b.length
              + " UTF-8 bytes exceeds the limit of "
              + EventChecks.MAX_STRING_BYTES);
    }
    i32(b.length);
    room(b.length).put(b);
  }

  /** Each value as float32, no length prefix (the length is written once by the caller). */
  void f32s(float[] v) {
    ByteBuffer b = room(4L * v.length);
    for (float x : v) {
      b.putFloat(x);
    }
  }

  /** Each value as float32 (rounded to nearest), no length prefix. */
  void f32s(double[] v) {
    ByteBuffer b = room(4L * v.length);
    for (double x : v) {
      b.putFloat(toFloat(x));
    }
  }

  /**
   * Rounds to float32; a finite double beyond its range would become infinite, which no receiver
   * accepts.
   */
  private static float toFloat(double v) {
    float f = (float) v;
    if (!Float.isFinite(f)) {
      throw new InvalidEventException(
          RejectReason.NON_FINITE, "value " + v + " does not fit float32 (|x| <= 3.4e38)");
    }
    return f;
  }

  /**
   * Non-negative counts, each as an unsigned LEB128 varint (7 bits per byte, low group first, high
   * bit set on every byte but the last), no length prefix.
   */
  void varuints(long[] v) {
    ByteBuffer b = room(10L * v.length);
    for (long x : v) {
      if (x < 0) {
        throw new InvalidEventException(RejectReason.NEGATIVE_COUNT, "count " + x + " is negative");
      }
      while ((x & ~0x7FL) != 0) {
        b.put((byte) ((x & 0x7F) | 0x80));
        x >>>= 7;
      }
      b.put((byte) x);
    }
  }

  /** Each value as int32, no length prefix. */
  void i32s(int[] v) {
    ByteBuffer b = room(4L * v.length);
    for (int x : v) {
      b.putInt(x);
    }
  }

  /**
   * Booleans packed LSB-first into {@code ceil(n/8)} bytes, unused high bits zero, no length
   * prefix.
   */
  void bits(boolean[] v) {
    byte[] packed = new byte[(v.length + 7) / 8];
    for (int i = 0; i < v.length; i++) {
      if (v[i]) {
        packed[i >>> 3] |= (byte) (1 << (i & 7));
      }
    }
    room(packed.length).put(packed);
  }

  byte[] toByteArray() {
    byte[] out = new byte[buf.position()];
    buf.duplicate().flip().get(out);
    return out;
  }

  private ByteBuffer room(long bytes) {
    if (buf.remaining() < bytes) {
      long needed = buf.position() + bytes;
      if (needed > Integer.MAX_VALUE - 8) {
        throw new InvalidEventException(RejectReason.MALFORMED, "event does not fit in 2 GiB");
      }
      ByteBuffer bigger =
          ByteBuffer.allocate(
                  (int) Math.max(needed, Math.min(Integer.MAX_VALUE - 8L, 2L * buf.capacity())))
              .order(ByteOrder.LITTLE_ENDIAN);
      bigger.put(buf.flip());
      buf = bigger;
    }
    return buf;
  }
}
