package io.prunewire.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code prunewire bench}: the benchmarks, one sub-command each; results belong in
 * docs/BENCHMARKS.md.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmarks; run them on a quiet machine and publish the results with their command in"
          + " docs/BENCHMARKS.md.",
      "  scorers   JMH: merging summaries and rescoring every criterion and fusion",
      "  agent     agent and simulated-trainer processes on one broker: events/s, lag, latency, CPU",
      "  listener  the trainer's listener: step time with and without it, weight statistics",
      "  trainer   training throughput in tokens/s of the PTB models, with and without the listener",
      "  protocol  the wire codec against Protocol Buffers: bytes, encode and decode time",
      "Example: prunewire bench scorers --quick"
    },
    subcommands = {
      ScorerBenchCommand.class,
      AgentBenchCommand.class,
      BenchListenerCommand.class,
      BenchTrainerCommand.class,
      ProtocolBenchCommand.class
    })
final class BenchCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "bench: name a benchmark: scorers, agent, listener, trainer or protocol");
  }
}
