package io.prunewire.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.prunewire.scorers.stats.ActivationSummary;
import io.prunewire.scorers.stats.CoActivation;
import io.prunewire.scorers.stats.Counts;
import io.prunewire.scorers.stats.CurvatureSummary;
import io.prunewire.scorers.stats.GradientSummary;
import io.prunewire.scorers.stats.Histogram;
import io.prunewire.scorers.stats.Moments;
import io.prunewire.scorers.stats.SignCounts;
import io.prunewire.scorers.stats.WeightStatistics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The stdlib-only Python implementation in {@code python/prunewire_protocol.py} — written from
 * PROTOCOL.md — writes byte-identical records to the Java codec and reads its decisions. Skipped
 * where {@code /usr/bin/python3} does not exist.
 */
class PythonTrainerInteropTest {
  private static final Path PYTHON = Path.of("/usr/bin/python3");
  private static final Header HEADER = new Header("run-1", "t0", 100, 1_700_000_000_000L);

  @BeforeAll
  static void needsPython() {
    assumeTrue(Files.isExecutable(PYTHON), "/usr/bin/python3 is not installed");
  }

  @Test
  void pythonEncodesEveryTrainerEventByteForByteAsJavaDoes() throws Exception {
    String script =
        """
        import prunewire_protocol as p
        h = ('run-1', 't0', 100, 1700000000000)
        val = {'count': 4, 'mean': [0.5, 0.25], 'm2': [1.0, 0.75], 'min': [0.0, 0.0], 'max': [1.0, 1.0]}
        grad = {'count': 8, 'mean': [0.125, -0.5], 'm2': [0.5, 2.0], 'min': [-1.0, -2.0], 'max': [1.0, 0.5]}
        mag = {'count': 8, 'mean': [0.5, 0.75], 'm2': [0.25, 1.0], 'min': [0.0, 0.0], 'max': [1.0, 2.0]}
        gate = {'count': 2, 'mean': [0.5, -0.25], 'm2': [0.125, 0.5], 'min': [0.25, -0.75], 'max': [0.75, 0.25]}
        vhv = {'count': 3, 'mean': [0.5, -1.25], 'm2': [2.0, 0.5], 'min': [-1.0, -2.0], 'max': [1.5, -0.5]}
        w = {'l2': [0.5, 0.25], 'l1': [0.5, 0.375], 'variance': [0.25, 0.125], 'nonZeroRatio': [1.0, 0.5],
             'entropy': [1.0, 0.5], 'effectiveRankDrop': [0.125, -0.0625], 'outgoing': [0.5, 0.75]}
        for record in (
            p.run_started(*h, 2, [('h1', 'snn', 2, 3, 'W[:,0:2]'), ('h2', 'rnn', 2, 3, '')]),
            p.activation_summary(*h, 'h1', 5, val, val, (4, [2, 1]), (0.0, 1.0, 2, 4, [2, 2, 3, 1]),
                                 (4, [1], [0.5, 0.25], [1.0, 0.75], [0.25, 0.75])),
            p.gradient_summary(*h, 'h1', 5, grad, mag, (3, [2, 0], [1, 3]), gate),
            p.curvature(*h, 'h1', 1, vhv),
            p.weight_statistics(*h, 'h2', 1, 3, 2, w),
            p.ablation(*h, 'ckpt-1', [(0.015625, [('h1', [1])]), (-0.5, [('h1', [0, 1]), ('h2', [0])])]),
            p.checkpoint(*h, 'ckpt-1', 3),
            p.decision_ack(*h, 'ckpt-1', 0xf923cad6ab4cd4c6),
            p.run_started(*h, 2, [('h1', 'snn', 2, 3, '')], version=p.VERSION_2),
            p.removal_outcome(*h, 'ckpt-1', 3, 7, 0.03125, 4),
            p.removal_outcome(*h, 'ckpt-1', 3, 8, 0.03125, 4, 0.0078125),
        ):
            print(record.hex())
        """;
    Moments value = Moments.of(4, d(0.5, 0.25), d(1.0, 0.75), d(0, 0), d(1, 1));
    Moments gradient = Moments.of(8, d(0.125, -0.5), d(0.5, 2.0), d(-1, -2), d(1, 0.5));
    Moments magnitude = Moments.of(8, d(0.5, 0.75), d(0.25, 1.0), d(0, 0), d(1, 2));
    Moments gate = Moments.of(2, d(0.5, -0.25), d(0.125, 0.5), d(0.25, -0.75), d(0.75, 0.25));
    Moments vHv = Moments.of(3, d(0.5, -1.25), d(2.0, 0.5), d(-1, -2), d(1.5, -0.5));
    List<Event> expected =
        List.of(
            new RunStarted(
                HEADER,
                2,
                List.of(
                    new LayerSpec("h1", LayerKind.SNN, 2, 3, "W[:,0:2]"),
                    new LayerSpec("h2", LayerKind.RNN, 2, 3, ""))),
            new ActivationSummaryEvent(
                HEADER,
                "h1",
                5,
                new ActivationSummary(
                    value,
                    value,
                    Counts.of(4, new long[] {2, 1}),
                    Histogram.of(2, 0, 1, 2, 4, new long[] {2, 2, 3, 1}),
                    CoActivation.of(4, new int[] {1}, d(0.5, 0.25), d(1.0, 0.75), d(0.25, 0.75)))),
            new GradientSummaryEvent(
                HEADER,
                "h1",
                5,
                new GradientSummary(
                    gradient,
                    magnitude,
                    SignCounts.of(3, new long[] {2, 0}, new long[] {1, 3}),
                    gate)),
            new CurvatureEvent(HEADER, "h1", 1, new CurvatureSummary(vHv)),
            new WeightStatisticsEvent(
                HEADER,
                "h2",
                1,
                new WeightStatistics(
                    3,
                    2,
                    d(0.5, 0.25),
                    d(0.5, 0.375),
                    d(0.25, 0.125),
                    d(1.0, 0.5),
                    d(1.0, 0.5),
                    d(0.125, -0.0625),
                    d(0.5, 0.75))),
            new AblationEvent(
                HEADER,
                "ckpt-1",
                List.of(
                    new AblationEvent.Measurement(
                        List.of(new AblationEvent.Removal("h1", new int[] {1})), 0.015625),
                    new AblationEvent.Measurement(
                        List.of(
                            new AblationEvent.Removal("h1", new int[] {0, 1}),
                            new AblationEvent.Removal("h2", new int[] {0})),
                        -0.5))),
            new CheckpointEvent(HEADER, "ckpt-1", 3),
            new DecisionAck(HEADER, "ckpt-1", Long.parseUnsignedLong("f923cad6ab4cd4c6", 16)),
            new RunStarted(
                HEADER, 2, List.of(new LayerSpec("h1", LayerKind.SNN, 2, 3, "")), Event.VERSION_2),
            new RemovalOutcome(HEADER, "ckpt-1", 3, 7, 0.03125, 4),
            new RemovalOutcome(HEADER, "ckpt-1", 3, 8, 0.03125, 4, 0.0078125));

    List<String> lines = python(script, "-").lines().toList();

    assertThat(lines).hasSameSizeAs(expected);
    for (int i = 0; i < lines.size(); i++) {
      byte[] fromPython = HexFormat.of().parseHex(lines.get(i));
      assertThat(EventCodec.decode(fromPython))
          .as("record %d decoded", i)
          .isEqualTo(expected.get(i));
      assertThat(fromPython).as("record %d bytes", i).isEqualTo(EventCodec.encode(expected.get(i)));
    }
  }

  @Test
  void pythonReadsAJavaDecisionAndComputesTheSameMaskHash() throws Exception {
    DecisionEvent decision = Fixtures.decision(new Random(3), 37);

    JsonNode digest =
        new ObjectMapper()
            .readTree(
                python(
                    HexFormat.of().formatHex(EventCodec.encode(decision)),
                    "python/prunewire_protocol.py",
                    "decode-decision"));

    assertThat(digest.get("checkpointId").asText()).isEqualTo(decision.checkpointId());
    assertThat(Long.parseUnsignedLong(digest.get("maskHash").asText(), 16))
        .isEqualTo(decision.maskHash());
    for (DecisionEvent.LayerDecision l : decision.layers()) {
      assertThat(digest.get("kept").get(l.layer()).asInt()).isEqualTo(l.kept());
    }
    assertThat(digest.get("missingTrainers").get(0).asText()).isEqualTo("trainer-1");
  }

  @Test
  void pythonReadsJavaRemovalCandidatesAndSplitsThemAsJavaDoes() throws Exception {
    RemovalCandidates candidates = Fixtures.candidates();
    String hex = HexFormat.of().formatHex(EventCodec.encode(candidates));

    for (String trainer : List.of("trainer-0", "trainer-1", "trainer-9")) {
      JsonNode digest =
          new ObjectMapper()
              .readTree(python(hex, "python/prunewire_protocol.py", "assigned", trainer));
      assertThat(digest.get("round").asInt()).isEqualTo(candidates.round());
      List<Integer> ids = new java.util.ArrayList<>();
      digest.get("ids").forEach(n -> ids.add(n.asInt()));
      assertThat(ids)
          .as(trainer)
          .isEqualTo(
              candidates.assignedTo(trainer).stream()
                  .map(RemovalCandidates.Candidate::id)
                  .toList());
      List<Integer> sizes = new java.util.ArrayList<>();
      digest.get("sizes").forEach(n -> sizes.add(n.asInt()));
      assertThat(sizes)
          .isEqualTo(
              candidates.candidates().stream().map(RemovalCandidates.Candidate::size).toList());
    }
  }

  private static double[] d(double... v) {
    return v;
  }

  /** Runs python3 with the module on its path, {@code stdin} as its input; returns its output. */
  private static String python(String stdin, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(PYTHON.toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.environment().put("PYTHONPATH", Path.of("python").toAbsolutePath().toString());
    Process process = pb.start();
    try (var in = process.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("python3 output:%n%s", out).isZero();
    return out;
  }
}
