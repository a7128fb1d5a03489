package io.prunewire.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prunewire.scorers.stats.ActivationSummary;
import io.prunewire.scorers.stats.CoActivation;
import io.prunewire.scorers.stats.Histogram;
import io.prunewire.scorers.stats.Moments;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/**
 * The measurement behind PROTOCOL.md's choice of encoding: bytes of one 1,300-neuron activation
 * summary (the reference layer width, default spec: 20 histogram bins, 32 anchors, one 35×25 batch
 * of sigmoid/spike activations) in v1, JSON (Jackson), Protobuf and Avro. Protobuf and Avro sizes
 * are computed from their published wire formats (packed repeated fields with varint lengths; Avro
 * blocks with zig-zag varints), since neither library is a dependency.
 */
class EncodingSizeTest {
  private static final int NEURONS = 1300;

  @Test
  void v1SizeFollowsTheDocumentedLayoutHalvesJsonAndMatchesProtobuf() throws Exception {
    ActivationSummaryEvent event = referenceSummary();
    ActivationSummary s = event.summary();
    int k = s.coActivation().anchorCount();

    byte[] v1 = EventCodec.encode(event);

    long header = 4 + str(event.runId()) + str(event.trainerId()) + 8 + 8;
    long body =
        str(event.layer())
            + 4
            + 4
            + 2 * (8 + 16L * NEURONS) // value, magnitude: count + 4 float32 arrays
            + (8 + varints(s.nonZero().countArray())) // nonZero: total + varint counts
            + (8
                + 8
                + 4
                + 8
                + varints(
                    s.histogram().countArray())) // histogram: lo, hi, bins, total, varint counts
            + (8 + 4 + 4L * k + 8L * NEURONS + 4L * NEURONS * k); // coActivation
    assertThat((long) v1.length).isEqualTo(header + body);

    byte[] json = new ObjectMapper().writeValueAsBytes(jsonTree(event));
    long protobuf = protobufSize(event);
    long avro = avroSize(event);
    assertThat((long) v1.length).isLessThan(json.length / 2);
    // as compact as the schema-compiled formats: only the fixed-width scalars and lengths differ
    assertThat((double) v1.length).isLessThan(1.001 * Math.min(protobuf, avro));

    System.out.printf(
        "1,300-neuron activation summary, bytes: v1 %d (deflate-1 %d), JSON %d (deflate-1 %d), Protobuf %d, Avro %d%n",
        v1.length, deflated(v1), json.length, deflated(json), protobuf, avro);
  }

  static ActivationSummaryEvent referenceSummary() {
    Random random = new Random(5);
    ActivationSummary s = ActivationSummary.empty(NEURONS, ActivationSummary.Spec.DEFAULT);
    int rows = 35 * 25;
    float[] x = new float[rows * NEURONS];
    double[] rate = random.doubles(NEURONS, 0, 0.3).toArray();
    for (int r = 0; r < rows; r++) {
      for (int i = 0; i < NEURONS; i++) {
        // first half spiking (firing rate up to 0.3), second half sigmoid outputs
        x[r * NEURONS + i] =
            i < NEURONS / 2
                ? (random.nextDouble() < rate[i] ? 1f : 0f)
                : (float) (1 / (1 + Math.exp(-random.nextGaussian() * 2)));
      }
    }
    s.addRows(x);
    return new ActivationSummaryEvent(
        new Header("run-2026-11-28-a", "trainer-0", 1000, 1_700_000_000_000L), "hybrid1", 10, s);
  }

  private static Map<String, Object> jsonTree(ActivationSummaryEvent e) {
    ActivationSummary s = e.summary();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("schemaVersion", 1);
    m.put("type", "activation_summary");
    m.put("runId", e.runId());
    m.put("trainerId", e.trainerId());
    m.put("step", e.step());
    m.put("timestampMillis", e.header().timestampMillis());
    m.put("layer", e.layer());
    m.put("window", e.window());
    m.put("value", moments(s.value()));
    m.put("magnitude", moments(s.magnitude()));
    m.put("nonZero", Map.of("total", s.nonZero().total(), "counts", s.nonZero().countArray()));
    Histogram h = s.histogram();
    m.put(
        "histogram",
        Map.of(
            "lo",
            h.lo(),
            "hi",
            h.hi(),
            "bins",
            h.bins(),
            "total",
            h.total(),
            "counts",
            h.countArray()));
    CoActivation c = s.coActivation();
    m.put(
        "coActivation",
        Map.of(
            "count",
            c.count(),
            "anchors",
            c.anchorArray(),
            "mean",
            floats(c.meanArray()),
            "m2",
            floats(c.m2Array()),
            "comoment",
            floats(c.comomentArray())));
    return m;
  }

  private static Map<String, Object> moments(Moments m) {
    return Map.of(
        "count",
        m.count(),
        "mean",
        floats(m.meanArray()),
        "m2",
        floats(m.m2Array()),
        "min",
        floats(m.minArray()),
        "max",
        floats(m.maxArray()));
  }

  /** The float32 values the wire carries, so JSON is not charged for float64 digits. */
  private static float[] floats(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  /**
   * proto3 with packed repeated fields; field numbers below 16 (one tag byte); nested messages
   * length-delimited.
   */
  private static long protobufSize(ActivationSummaryEvent e) {
    ActivationSummary s = e.summary();
    long header =
        pbString(e.runId())
            + pbString(e.trainerId())
            + 1
            + varint(e.step())
            + 1
            + varint(e.header().timestampMillis())
            + pbString(e.layer())
            + 1
            + varint(e.window())
            + 1
            + 1
            + 1; // + schema version and type fields
    Histogram h = s.histogram();
    CoActivation c = s.coActivation();
    long histogram =
        9 + 9 + 1 + varint(h.bins()) + 1 + varint(h.total()) + pbPackedVarints(h.countArray());
    long co =
        1
            + varint(c.count())
            + pbPackedVarints(toLongs(c.anchorArray()))
            + pbPackedFloats(NEURONS) * 2
            + pbPackedFloats(c.comomentArray().length);
    long counts = 1 + varint(s.nonZero().total()) + pbPackedVarints(s.nonZero().countArray());
    return header
        + pbMessage(pbMoments(s.value()))
        + pbMessage(pbMoments(s.magnitude()))
        + pbMessage(counts)
        + pbMessage(histogram)
        + pbMessage(co);
  }

  private static long pbMoments(Moments m) {
    return 1 + varint(m.count()) + 4 * pbPackedFloats(m.neurons());
  }

  private static long pbMessage(long size) {
    return 1 + varint(size) + size;
  }

  private static long pbString(String s) {
    int n = s.getBytes(StandardCharsets.UTF_8).length;
    return 1 + varint(n) + n;
  }

  private static long pbPackedFloats(int n) {
    return 1 + varint(4L * n) + 4L * n;
  }

  private static long pbPackedVarints(long[] values) {
    long payload = 0;
    for (long v : values) {
      payload += varint(v);
    }
    return 1 + varint(payload) + payload;
  }

  /**
   * Avro binary: fields back to back, longs/ints zig-zag varints, arrays as one block plus the end
   * marker.
   */
  private static long avroSize(ActivationSummaryEvent e) {
    ActivationSummary s = e.summary();
    long header =
        1
            + 1
            + avroString(e.runId())
            + avroString(e.trainerId())
            + zigzag(e.step())
            + zigzag(e.header().timestampMillis())
            + avroString(e.layer())
            + zigzag(e.window());
    Histogram h = s.histogram();
    CoActivation c = s.coActivation();
    long moments = 2 * (zigzag(s.value().count()) + 4 * avroFloats(NEURONS));
    long counts = zigzag(s.nonZero().total()) + avroLongs(s.nonZero().countArray());
    long histogram = 8 + 8 + zigzag(h.bins()) + zigzag(h.total()) + avroLongs(h.countArray());
    long co =
        zigzag(c.count())
            + avroLongs(toLongs(c.anchorArray()))
            + 2 * avroFloats(NEURONS)
            + avroFloats(c.comomentArray().length);
    return header + moments + counts + histogram + co;
  }

  private static long avroString(String s) {
    int n = s.getBytes(StandardCharsets.UTF_8).length;
    return zigzag(n) + n;
  }

  private static long avroFloats(int n) {
    return zigzag(n) + 4L * n + 1;
  }

  private static long avroLongs(long[] values) {
    long payload = 0;
    for (long v : values) {
      payload += zigzag(v);
    }
    return zigzag(values.length) + payload + 1;
  }

  private static long[] toLongs(int[] v) {
    long[] out = new long[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i];
    }
    return out;
  }

  /** Bytes of an unsigned LEB128 varint (protobuf int64: negative values take 10). */
  static int varint(long v) {
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  private static long varints(long[] values) {
    long n = 0;
    for (long v : values) {
      n += varint(v);
    }
    return n;
  }

  static int zigzag(long v) {
    return varint((v << 1) ^ (v >> 63));
  }

  private static long str(String s) {
    return 4 + s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static int deflated(byte[] bytes) {
    Deflater d = new Deflater(1);
    d.setInput(bytes);
    d.finish();
    byte[] out = new byte[bytes.length + 1024];
    int n = 0;
    while (!d.finished()) {
      n += d.deflate(out, n, out.length - n);
    }
    d.end();
    return n;
  }
}
