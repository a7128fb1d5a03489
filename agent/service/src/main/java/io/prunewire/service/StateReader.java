package io.prunewire.service;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;

/** Reads what {@link StateWriter} wrote; a truncated or corrupt value fails naming the store. */
final class StateReader {

  private final ByteBuffer buf;
  private final String what;

  StateReader(byte[] bytes, String what) {
    this.buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    this.what = what;
  }

  int readByte() {
    try {
      return buf.get() & 0xff;
    } catch (BufferUnderflowException e) {
      throw corrupt("truncated");
    }
  }

  int readInt() {
    try {
      return buf.getInt();
    } catch (BufferUnderflowException e) {
      throw corrupt("truncated");
    }
  }

  long readLong() {
    try {
      return buf.getLong();
    } catch (BufferUnderflowException e) {
      throw corrupt("truncated");
    }
  }

  double readDouble() {
    try {
      return buf.getDouble();
    } catch (BufferUnderflowException e) {
      throw corrupt("truncated");
    }
  }

  private int length(int width) {
    int n = readInt();
    if (n < 0 || (long) n * width > buf.remaining()) {
      throw corrupt(
          "truncated: length " + n + " exceeds the " + buf.remaining() + " remaining bytes");
    }
    return n;
  }

  String readString() {
    int n = length(1);
    String s = new String(buf.array(), buf.position(), n, StandardCharsets.UTF_8);
    buf.position(buf.position() + n);
    return s;
  }

  byte[] readBytes() {
    byte[] b = new byte[length(1)];
    buf.get(b);
    return b;
  }

  double[] readDoubles() {
    double[] a = new double[length(8)];
    buf.asDoubleBuffer().get(a);
    buf.position(buf.position() + 8 * a.length);
    return a;
  }

  long[] readLongs() {
    long[] a = new long[length(8)];
    buf.asLongBuffer().get(a);
    buf.position(buf.position() + 8 * a.length);
    return a;
  }

  /** Reads bits written by {@link StateWriter#writeBits}; returns them and checks the length. */
  BitSet readBits(int expectedLength) {
    int n = readInt();
    if (n != expectedLength) {
      throw corrupt("bit set of length " + n + " where " + expectedLength + " was expected");
    }
    return BitSet.valueOf(readBytes());
  }

  /** Fails unless every byte was read. */
  void end() {
    if (buf.hasRemaining()) {
      throw corrupt(buf.remaining() + " trailing bytes");
    }
  }

  private IllegalStateException corrupt(String problem) {
    return new IllegalStateException("corrupt state value in " + what + ": " + problem);
  }
}
