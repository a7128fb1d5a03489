/**
 * Sparsity schedules: the cumulative target sparsity at a training step (one-shot, linear, cubic).
 */
package io.prunewire.scorers.schedule;
