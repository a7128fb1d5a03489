package io.prunewire.evaluation.compare;

import io.prunewire.trainer.model.Evaluation;

/** A trained arm's row of section 7 and its final validation evaluation, window by window. */
record MeasuredArm(CompareResult.Schedule row, Evaluation evaluation) {}
