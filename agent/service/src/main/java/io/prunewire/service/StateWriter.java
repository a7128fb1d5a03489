package io.prunewire.service;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;

/**
 * Growable little-endian buffer for the agent's state values. Double arrays are copied in bulk (one
 * {@code DoubleBuffer.put}), never element by element or as text: state serialisation dominates the
 * cost when every event touches every neuron of a layer.
 */
final class StateWriter {

  private ByteBuffer buf;

  StateWriter(int initialCapacity) {
    buf = ByteBuffer.allocate(Math.max(64, initialCapacity)).order(ByteOrder.LITTLE_ENDIAN);
  }

  private void ensure(int more) {
    if (buf.remaining() < more) {
      int needed = buf.position() + more;
      ByteBuffer bigger =
          ByteBuffer.allocate(Math.max(needed, buf.capacity() * 2)).order(ByteOrder.LITTLE_ENDIAN);
      buf.flip();
      bigger.put(buf);
      buf = bigger;
    }
  }

  StateWriter writeByte(int b) {
    ensure(1);
    buf.put((byte) b);
    return this;
  }

  StateWriter writeInt(int v) {
    ensure(4);
    buf.putInt(v);
    return this;
  }

  StateWriter writeLong(long v) {
    ensure(8);
    buf.putLong(v);
    return this;
  }

  StateWriter writeDouble(double v) {
    ensure(8);
    buf.putDouble(v);
    return this;
  }

  StateWriter writeString(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    writeInt(b.length);
    ensure(b.length);
    buf.put(b);
    return this;
  }

  StateWriter writeBytes(byte[] b) {
    writeInt(b.length);
    ensure(b.length);
    buf.put(b);
    return this;
  }

  StateWriter writeDoubles(double[] a) {
    writeInt(a.length);
    ensure(8 * a.length);
    buf.asDoubleBuffer().put(a);
    buf.position(buf.position() + 8 * a.length);
    return this;
  }

  StateWriter writeLongs(long[] a) {
    writeInt(a.length);
    ensure(8 * a.length);
    buf.asLongBuffer().put(a);
    buf.position(buf.position() + 8 * a.length);
    return this;
  }

  /** Writes {@code length} then the bits of {@code bits} below it. */
  StateWriter writeBits(BitSet bits, int length) {
    writeInt(length);
    writeBytes(bits.toByteArray());
    return this;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf.array(), buf.position());
  }
}
