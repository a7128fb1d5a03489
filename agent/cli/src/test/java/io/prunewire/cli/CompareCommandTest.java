package io.prunewire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Bad settings stop {@code prunewire compare} at once with a usage error, before an hour of work.
 */
class CompareCommandTest {

  private static String usageError(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err));
    assertThat(cli.execute(args)).as(err.toString()).isEqualTo(2);
    return err.toString();
  }

  @Test
  void aMisspelledFineTunedScorerIsNamed() {
    assertThat(usageError("compare", "--quick", "--fine-tuned", "hap,probd"))
        .contains("'probd' is not a scorer")
        .contains("probed")
        .contains("taylor");
  }

  @Test
  void fractionsWithoutHalfAreRefused() {
    assertThat(usageError("compare", "--quick", "--fractions", "0.3,0.7"))
        .contains("fractions must include 0.5");
  }

  @Test
  void aMisspelledAgentFusionIsNamed() {
    assertThat(usageError("compare", "--quick", "--agent-fusion", "criterion:magnitud"))
        .contains("'criterion:magnitud'")
        .contains("criterion:magnitude");
  }

  @Test
  void trainingRecoveryWindowsNeedRecoverySteps() {
    assertThat(
            usageError(
                "compare",
                "--quick",
                "--agent-fusion",
                "criterion:fisher",
                "--recovery-windows",
                "train"))
        .contains("recovery windows train need recovery steps");
    assertThat(usageError("compare", "--quick", "--recovery-windows", "valid"))
        .contains("recovery windows must be one of [test, train]");
  }

  @Test
  void reusingTheOutputFolderIsRefused() {
    assertThat(usageError("compare", "--quick", "--reuse-from", "runs/a", "--out", "runs/./a"))
        .contains("--reuse-from must be another folder than --out");
  }

  @Test
  void recoveryStepsWithoutTheOutcomeFusionAreRefused() {
    assertThat(
            usageError(
                "compare",
                "--quick",
                "--agent-fusion",
                "criterion:fisher",
                "--recovery-steps",
                "5"))
        .contains("recovery steps apply to the outcome fusion only");
  }
}
