package io.prunewire.evaluation.bench;

import io.prunewire.evaluation.progress.Progress;
import io.prunewire.protocol.RemovalCandidates;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * {@code prunewire bench protocol}: the hand-written codec against Protocol Buffers, encoded bytes
 * and encode/decode time of the reference events ({@link ProtocolBenchmarks}), the codecs' JMH
 * forks interleaved round by round.
 */
public final class ProtocolComparison {

  /** The events whose encode and decode time can be measured. */
  public static final List<String> TIMED_EVENTS =
      List.of("activation", "gradient", "decision", "candidates");

  private static final String SUITE = ProtocolBenchmarks.class.getName();
  private static final List<String> CODECS =
      List.of(
          ProtocolBenchmarks.HANDWRITTEN,
          ProtocolBenchmarks.PROTOBUF,
          ProtocolBenchmarks.PROTOBUF_MESSAGE);

  /**
   * What to measure, as {@code prunewire bench protocol}'s flags give it.
   *
   * @param rounds rounds, at least 1; each runs every codec once per event and operation
   * @param events events to time, among {@link #TIMED_EVENTS}
   * @param quick at most 2 rounds of 1 warm-up and 2 measurement iterations of 0.5 s (else 2 and 3
   *     of 1 s)
   * @param sizesOnly print the encoded sizes and stop
   */
  public record Settings(int rounds, List<String> events, boolean quick, boolean sizesOnly) {
    public Settings {
      events = List.copyOf(events);
    }
  }

  private ProtocolComparison() {}

  /** Prints the encoded sizes and then, unless only sizes are asked for, the timing table. */
  public static void run(Settings s, PrintStream out) throws RunnerException {
    out.println("## Encoded size\n");
    out.print(ProtocolSizes.markdown(ProtocolSizes.rows(ReferenceEvents.NAMES)));
    long[] indices =
        ProtocolSizes.candidateIndexBytes((RemovalCandidates) ReferenceEvents.named("candidates"));
    out.printf(
        Locale.ROOT,
        "%ncandidates' neuron indices: %,d bytes as fixed32 (the schema's, like the hand-written i32),"
            + " %,d as protobuf uint32 varints%n",
        indices[0],
        indices[1]);
    if (s.sizesOnly()) {
      return;
    }
    boolean quick = s.quick();
    int measured = quick ? 2 : 3;
    int roundCount = quick ? Math.min(s.rounds(), 2) : s.rounds();
    String started = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    SideBySide decode = new SideBySide(ProtocolBenchmarks.HANDWRITTEN);
    SideBySide encode = new SideBySide(ProtocolBenchmarks.HANDWRITTEN);
    try (Progress progress =
        Progress.start(
            "protocol", (long) roundCount * s.events().size() * 2 * CODECS.size(), " forks")) {
      for (int round = 0; round < roundCount; round++) {
        List<String> order = new ArrayList<>(CODECS);
        if (round % 2 == 1) {
          Collections.reverse(order);
        }
        for (String event : s.events()) {
          for (String op : List.of("decode", "encode")) {
            for (String codec : order) {
              double score = fork(op, event, codec, quick, measured);
              (op.equals("decode") ? decode : encode).add(event, codec, score);
              progress.step();
            }
          }
        }
      }
    }
    double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    out.printf(
        Locale.ROOT,
        "%n## Time per event (µs; median of %d rounds; ratio: median over rounds of codec / hand-written)%n%n",
        roundCount);
    out.print(timeTable(decode, encode));
    out.printf(
        Locale.ROOT,
        "%nStarted %s; %d cores; load average %.1f before, %.1f after; %s %s; %d warm-up and %d"
            + " measurement iterations of %s per fork.%n",
        started,
        Runtime.getRuntime().availableProcessors(),
        loadBefore,
        loadAfter,
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"),
        quick ? 1 : 2,
        measured,
        quick ? "0.5 s" : "1 s");
  }

  /** One JMH fork of one benchmark; its figure is the median of its measurement iterations. */
  private static double fork(String op, String event, String codec, boolean quick, int measured)
      throws RunnerException {
    Options options =
        new OptionsBuilder()
            .include(SUITE + "." + op + "$")
            .param("event", event)
            .param("codec", codec)
            .forks(1)
            .warmupIterations(quick ? 1 : 2)
            .warmupTime(TimeValue.milliseconds(quick ? 500 : 1000))
            .measurementIterations(measured)
            .measurementTime(TimeValue.milliseconds(quick ? 500 : 1000))
            .jvmArgsAppend("-Xmx1g")
            .build();
    Collection<RunResult> results =
        new Runner(
                options, OutputFormatFactory.createFormatInstance(System.err, VerboseMode.SILENT))
            .run();
    if (results.size() != 1) {
      throw new IllegalStateException(
          "JMH returned " + results.size() + " results for " + op + " " + event + " " + codec);
    }
    Collection<IterationResult> iterations =
        results.iterator().next().getBenchmarkResults().iterator().next().getIterationResults();
    return SideBySide.median(
        iterations.stream().mapToDouble(it -> it.getPrimaryResult().getScore()).toArray());
  }

  private static String timeTable(SideBySide decode, SideBySide encode) {
    StringBuilder out =
        new StringBuilder(
            "| event | operation | hand-written | protobuf | protobuf / hand-written"
                + " | protobuf-message | protobuf-message / hand-written | rounds of protobuf / hand-written |\n"
                + "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
    for (String row : decode.rows()) {
      out.append(line(row, "decode", decode));
      out.append(line(row, "encode", encode));
    }
    return out.toString();
  }

  private static String line(String row, String op, SideBySide s) {
    String hand = ProtocolBenchmarks.HANDWRITTEN;
    List<Double> base = s.rounds(row, hand);
    List<Double> proto = s.rounds(row, ProtocolBenchmarks.PROTOBUF);
    double[] ratios = new double[Math.min(base.size(), proto.size())];
    Arrays.setAll(ratios, i -> proto.get(i) / base.get(i));
    StringBuilder each = new StringBuilder();
    for (double r : ratios) {
      each.append(each.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", r));
    }
    return String.format(
        Locale.ROOT,
        "| %s | %s | %.1f | %.1f | **%.2f** | %.1f | %.2f | %s |%n",
        row,
        op,
        s.median(row, hand),
        s.median(row, ProtocolBenchmarks.PROTOBUF),
        s.medianRatio(row, ProtocolBenchmarks.PROTOBUF),
        s.median(row, ProtocolBenchmarks.PROTOBUF_MESSAGE),
        s.medianRatio(row, ProtocolBenchmarks.PROTOBUF_MESSAGE),
        each);
  }
}
