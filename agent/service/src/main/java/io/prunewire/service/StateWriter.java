package io.prunewire.service;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.BitSet;
import java.util.function.Consumer;

/**
 * Growable little-endian buffer for the agent's state values. Double arrays are copied in bulk (one
 * {@code DoubleBuffer.put}), never element by element or as text: state serialisation dominates the
 * cost when every event touches every neuron of a layer.
 */
final class StateWriter {

  private static final ThreadLocal<StateWriter> REUSED =
      ThreadLocal.withInitial(() -> new StateWriter(0));

  private ByteBuffer buf;

  /**
   * A writer on a buffer of its own; when exactly {@code initialCapacity} bytes are written, {@link
   * #toByteArray} hands that buffer's array over instead of copying it (once: the writer is then
   * empty).
   */
  StateWriter(int initialCapacity) {
    buf = ByteBuffer.allocate(Math.max(64, initialCapacity)).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The largest buffer {@link #reused} keeps per thread (16 MB); larger values get their own. */
  private static final int MAX_REUSED_BYTES = 16 << 20;

  /**
   * This thread's writer, emptied, with room for {@code capacity} bytes; its buffer is kept across
   * calls, for values that are copied out in slices ({@link PartValues}) and would otherwise be
   * allocated whole for every event. Valid until this thread's next call.
   */
  static StateWriter reused(int capacity) {
    if (capacity > MAX_REUSED_BYTES) {
      return new StateWriter(capacity);
    }
    StateWriter w = REUSED.get();
    w.buf.clear();
    w.ensure(capacity);
    return w;
  }

  /** Bytes written so far. */
  int size() {
    return buf.position();
  }

  /** Copies {@code length} of the bytes written, from offset {@code from}, into {@code into}. */
  void copy(int from, byte[] into, int at, int length) {
    if (from < 0 || length < 0 || from + length > buf.position()) {
      throw new IndexOutOfBoundsException(
          "bytes " + from + " + " + length + " of " + buf.position() + " written");
    }
    System.arraycopy(buf.array(), buf.arrayOffset() + from, into, at, length);
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

  /**
   * Writes the length {@code n} then {@code n} doubles that {@code fill} puts (relative bulk puts)
   * into the view it is given: the same bytes as {@link #writeDoubles(double[])} of those values,
   * for callers that hold the values in an object that would otherwise copy them out first. The
   * view is only valid inside {@code fill}.
   */
  StateWriter writeDoubles(int n, Consumer<DoubleBuffer> fill) {
    writeInt(n);
    ensure(8 * n);
    DoubleBuffer view = buf.asDoubleBuffer();
    view.limit(n);
    fill.accept(view);
    if (view.position() != n) {
      throw new IllegalStateException("wrote " + view.position() + " of " + n + " doubles");
    }
    buf.position(buf.position() + 8 * n);
    return this;
  }

  /** As {@link #writeDoubles(int, Consumer)}, for longs. */
  StateWriter writeLongs(int n, Consumer<LongBuffer> fill) {
    writeInt(n);
    ensure(8 * n);
    LongBuffer view = buf.asLongBuffer();
    view.limit(n);
    fill.accept(view);
    if (view.position() != n) {
      throw new IllegalStateException("wrote " + view.position() + " of " + n + " longs");
    }
    buf.position(buf.position() + 8 * n);
    return this;
  }

  /** Writes {@code length} then the bits of {@code bits} below it. */
  StateWriter writeBits(BitSet bits, int length) {
    writeInt(length);
    writeBytes(bits.toByteArray());
    return this;
  }

  byte[] toByteArray() {
    if (buf.position() == buf.capacity() && buf.arrayOffset() == 0) {
      // A writer sized exactly (see the constructor): its array is the value, no copy needed.
      byte[] exact = buf.array();
      buf = ByteBuffer.allocate(0).order(ByteOrder.LITTLE_ENDIAN);
      return exact;
    }
    return Arrays.copyOf(buf.array(), buf.position());
  }
}
