package io.prunewire.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code prunewire} launcher: one sub-command per job. */
@Command(
    name = "prunewire",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Streaming, online neuron pruning for networks in training.%n"
            + "Trainers publish per-neuron telemetry to Kafka; the agent fuses importance criteria"
            + " and issues pruning decisions at checkpoints.",
    subcommands = {
      CommandLine.HelpCommand.class,
      AgentCommand.class,
      TrainCommand.class,
      CompareCommand.class,
      BrokerCommand.class,
      AclsCommand.class,
      KeygenCommand.class,
      CriteriaCommand.class,
      BenchCommand.class,
      DemoCommand.class,
      ExampleCommand.class,
      ReportCommand.class,
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line; tests run commands through it. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"prunewire " + (v == null ? "(development build)" : v)};
    }
  }
}
