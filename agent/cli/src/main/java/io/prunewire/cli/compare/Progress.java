package io.prunewire.cli.compare;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The house progress bar of the comparison's long steps. */
final class Progress {

  private Progress() {}

  static ProgressBar bar(String task, long max, String unit) {
    return new ProgressBarBuilder().setTaskName(task).setStyle(ProgressBarStyle.ASCII).setInitialMax(max)
        .setUnit(unit, 1).setMaxRenderedLength(140).continuousUpdate().build();
  }
}
