package io.prunewire.cli;

/**
 * The help text of {@code --recovery-windows}, which compare, demo and train share; each command
 * appends its own default.
 */
final class RecoveryWindowsHelp {

  static final String DESCRIPTION =
      "Where the recovery steps train: test windows 2-5 in turn, or as many training windows as"
          + " steps spread evenly over the training split, each once (a long recovery on 4 test"
          + " windows fits them)";

  private RecoveryWindowsHelp() {}
}
