package io.prunewire.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.prunewire.scorers.stats.Moments;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PROTOCOL.md's worked example, read from the document itself, decodes to the event it describes.
 */
class EventCodecExampleTest {
  private static final Path PROTOCOL_MD = Path.of("PROTOCOL.md");

  @Test
  void theHexDumpInProtocolMdDecodesToTheDescribedCurvatureEvent() {
    byte[] bytes = hexBlockAfter("<!-- example:curvature -->");

    Event decoded = EventCodec.decode(bytes);

    assertThat(bytes).hasSize(89);
    assertThat(decoded).isInstanceOf(CurvatureEvent.class);
    CurvatureEvent c = (CurvatureEvent) decoded;
    assertThat(c.header()).isEqualTo(new Header("run-1", "t0", 100, 1_700_000_000_000L));
    assertThat(c.layer()).isEqualTo("h1");
    assertThat(c.window()).isEqualTo(1);
    Moments vHv = c.summary().vHv();
    assertThat(vHv.count()).isEqualTo(3);
    assertThat(vHv.meanArray()).containsExactly(0.5, -1.25);
    assertThat(vHv.m2Array()).containsExactly(2.0, 0.5);
    assertThat(vHv.minArray()).containsExactly(-1.0, -2.0);
    assertThat(vHv.maxArray()).containsExactly(1.5, -0.5);
    assertThat(EventCodec.encode(decoded)).isEqualTo(bytes);
  }

  @Test
  void theVersion2ExamplesInProtocolMdDecodeToTheDescribedEvents() {
    byte[] asked = hexBlockAfter("<!-- example:removal-candidates -->");
    byte[] answered = hexBlockAfter("<!-- example:removal-outcome -->");
    Header agent = new Header("run-1", "agent", 100, 1_700_000_000_000L);
    RemovalCandidates candidates =
        new RemovalCandidates(
            agent,
            "c1",
            0,
            List.of("t0", "t1"),
            List.of(
                new RemovalCandidates.Candidate(
                    0, List.of(new AblationEvent.Removal("h1", new int[] {0, 2}))),
                new RemovalCandidates.Candidate(
                    1, List.of(new AblationEvent.Removal("h1", new int[] {3})))));

    assertThat(asked).hasSize(116);
    assertThat(EventCodec.decode(asked)).isEqualTo(candidates);
    assertThat(candidates.assignedTo("t0"))
        .extracting(RemovalCandidates.Candidate::id)
        .containsExactly(0);
    assertThat(candidates.assignedTo("t1"))
        .extracting(RemovalCandidates.Candidate::id)
        .containsExactly(1);
    assertThat(answered).hasSize(61);
    assertThat(EventCodec.decode(answered))
        .isEqualTo(
            new RemovalOutcome(
                new Header("run-1", "t0", 100, 1_700_000_000_000L),
                "c1",
                0,
                0,
                0.0625,
                4,
                0.0078125));
    byte[] withoutStdErr = Arrays.copyOf(answered, 57);
    assertThat(EventCodec.decode(withoutStdErr))
        .isEqualTo(
            new RemovalOutcome(
                new Header("run-1", "t0", 100, 1_700_000_000_000L), "c1", 0, 0, 0.0625, 4));
    assertThat(EventCodec.encode(EventCodec.decode(asked))).isEqualTo(asked);
  }

  @Test
  void theMaskHashExampleInProtocolMdHolds() {
    String doc = read();
    assertThat(doc).contains("`02 00 00 00 68 31 03 00 00 00 05` to `0xf923cad6ab4cd4c6`");
    Map<String, boolean[]> masks = new LinkedHashMap<>();
    masks.put("h1", new boolean[] {true, false, true});

    assertThat(MaskHash.of(masks)).isEqualTo(Long.parseUnsignedLong("f923cad6ab4cd4c6", 16));
    assertThat(MaskHash.fnv1a64(new byte[] {2, 0, 0, 0, 0x68, 0x31, 3, 0, 0, 0, 5}))
        .isEqualTo(MaskHash.of(masks));
  }

  /**
   * The hex byte pairs that open each line of the fenced block after the marker, up to the first
   * annotation.
   */
  private static byte[] hexBlockAfter(String marker) {
    String doc = read();
    int start = doc.indexOf("```", doc.indexOf(marker)) + 3;
    int end = doc.indexOf("```", start);
    List<Byte> bytes = new ArrayList<>();
    for (String line : doc.substring(start, end).split("\n")) {
      for (String token : line.trim().split("\\s+")) {
        if (!token.matches("[0-9a-f]{2}")) {
          break;
        }
        bytes.add((byte) Integer.parseInt(token, 16));
      }
    }
    byte[] out = new byte[bytes.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = bytes.get(i);
    }
    return out;
  }

  private static String read() {
    try {
      return Files.readString(PROTOCOL_MD);
    } catch (IOException e) {
      throw new UncheckedIOException("PROTOCOL.md is read from the module directory", e);
    }
  }
}
