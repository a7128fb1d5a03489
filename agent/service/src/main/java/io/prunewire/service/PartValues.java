package io.prunewire.service;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.IntFunction;

/**
 * The store values an encoded evidence part is kept in. A part of at most {@link #MAX_VALUE_BYTES}
 * is one value, its encoding unchanged. A larger one is split: under the part's key a head (the
 * format byte {@link #SPLIT}, the number of values, then the encoding's first bytes), the rest in
 * slices under {@link #continuationKey}.
 *
 * <p>Why: with {@code -Xmx1g} G1's regions are 1 MB and every array of half a region or more is a
 * humongous allocation. The activation part of a 1,300-neuron layer is 655 KB, so storing it whole
 * allocated one humongous array per activation event (and another for its changelog producer batch
 * at each commit): half of the agent's collections. Below half of the smallest region G1 has, no
 * value is humongous whatever the heap.
 */
final class PartValues {

  /** The largest value: below half of G1's smallest region (1 MB), with room for array headers. */
  static final int MAX_VALUE_BYTES = 448 * 1024;

  /** First byte of a split part's head; an unsplit value starts with its codec's format (1). */
  static final int SPLIT = 2;

  /** The head's format byte and value count. */
  private static final int HEAD_BYTES = 1 + 4;

  private PartValues() {}

  /** Where value {@code index} (1 or more) of a split part is stored. */
  static String continuationKey(String key, int index) {
    return key + '\u001f' + index;
  }

  /**
   * The part's key for a key of the evidence store: {@code key} itself for a head or an unsplit
   * part (whose last component names the part), the head's key for a continuation (whose last
   * component is its index).
   */
  static String headKey(String key) {
    int sep = key.lastIndexOf('\u001f');
    if (sep < 0 || sep == key.length() - 1) {
      return key;
    }
    for (int i = sep + 1; i < key.length(); i++) {
      if (key.charAt(i) < '0' || key.charAt(i) > '9') {
        return key;
      }
    }
    return key.substring(0, sep);
  }

  /**
   * The values of what {@code w} holds: its array when it fits one value, else a head and slices
   * copied out of it (so that {@code w} may be a {@link StateWriter#reused} one).
   */
  static byte[][] of(StateWriter w) {
    int size = w.size();
    if (size <= MAX_VALUE_BYTES) {
      return new byte[][] {w.toByteArray()};
    }
    int inHead = MAX_VALUE_BYTES - HEAD_BYTES;
    int count = 1 + (size - inHead + MAX_VALUE_BYTES - 1) / MAX_VALUE_BYTES;
    byte[][] values = new byte[count][];
    values[0] = new byte[MAX_VALUE_BYTES];
    ByteBuffer.wrap(values[0]).order(ByteOrder.LITTLE_ENDIAN).put((byte) SPLIT).putInt(count);
    w.copy(0, values[0], HEAD_BYTES, inHead);
    for (int i = 1; i < count; i++) {
      int from = inHead + (i - 1) * MAX_VALUE_BYTES;
      values[i] = new byte[Math.min(MAX_VALUE_BYTES, size - from)];
      w.copy(from, values[i], 0, values[i].length);
    }
    return values;
  }

  /** Bytes stored for a part: all its values. */
  static int bytes(byte[][] values) {
    int sum = 0;
    for (byte[] v : values) {
      sum += v.length;
    }
    return sum;
  }

  /** How many values the part whose first value is {@code head} has (1 unless split). */
  static int count(byte[] head) {
    if (head == null || head.length < HEAD_BYTES || head[0] != SPLIT) {
      return 1;
    }
    int count = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getInt(1);
    if (count < 2) {
      throw new IllegalStateException("evidence store: a split part of " + count + " values");
    }
    return count;
  }

  /**
   * The part's encoding from its head (null if the part is not stored) and, if it is split, the
   * other values read through {@code continuation}. Joining allocates the whole encoding again,
   * which is fine: it happens when a layer is first read, not per event.
   */
  static byte[] join(byte[] head, IntFunction<byte[]> continuation) {
    int count = count(head);
    if (count == 1) {
      return head;
    }
    byte[][] rest = new byte[count][];
    long size = head.length - HEAD_BYTES;
    for (int i = 1; i < count; i++) {
      rest[i] = continuation.apply(i);
      if (rest[i] == null) {
        throw new IllegalStateException(
            "evidence store: value " + i + " of a part split into " + count + " is missing");
      }
      size += rest[i].length;
    }
    if (size > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("evidence store: a split part of " + size + " bytes");
    }
    byte[] joined = new byte[(int) size];
    System.arraycopy(head, HEAD_BYTES, joined, 0, head.length - HEAD_BYTES);
    int at = head.length - HEAD_BYTES;
    for (int i = 1; i < count; i++) {
      System.arraycopy(rest[i], 0, joined, at, rest[i].length);
      at += rest[i].length;
    }
    return joined;
  }
}
