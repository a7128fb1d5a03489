package io.prunewire.service;

import io.prunewire.protocol.InvalidEventException;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.protocol.RejectReason;
import io.prunewire.protocol.RunStarted;
import java.nio.charset.StandardCharsets;

/**
 * The agent's limits on what one run may make it hold ({@link
 * AgentConfig.Limits#maxLayersPerRun()}, {@link AgentConfig.Limits#maxNeuronsPerLayer()}, {@link
 * AgentConfig.Limits#maxActiveRuns()}, {@link AgentConfig.Limits#maxStateBytesPerRun()}). Each
 * check runs before the memory it guards is allocated: a declaration is checked before its run's
 * state exists, a merged summary before it is stored. A violation is an {@link
 * InvalidEventException} with {@link RejectReason#LIMIT_EXCEEDED} whose message names the setting,
 * so the record is dead-lettered and the agent goes on.
 */
final class RunLimits {

  /**
   * Bytes of a decision beyond its mask sections: header, fusion weights, missing trainers and a
   * reason string of up to 65,535 bytes (the wire's string limit).
   */
  private static final long DECISION_OVERHEAD_BYTES = 65_535 + 8_192;

  private final AgentConfig config;

  RunLimits(AgentConfig config) {
    this.config = config;
  }

  /**
   * Checks a new run's declaration: layer count, each layer's neurons, and the size of the decision
   * it implies, {@code Σ_layers (8 + |name| + ⌈n/8⌉ + 4n) + overhead}, which must fit in one record
   * of {@link AgentConfig#maxMessageBytes()} or the run could never be decided.
   *
   * @param heldRuns runs the partition's state already holds
   */
  void checkNewRun(RunStarted run, int heldRuns) {
    if (run.layers().size() > config.limits().maxLayersPerRun()) {
      throw exceeded(
          "RunStarted of run '"
              + run.runId()
              + "' declares "
              + run.layers().size()
              + " layers, more than max.layers.per.run = "
              + config.limits().maxLayersPerRun());
    }
    long decisionBytes = DECISION_OVERHEAD_BYTES;
    for (LayerSpec l : run.layers()) {
      if (l.neurons() > config.limits().maxNeuronsPerLayer()) {
        throw exceeded(
            "RunStarted of run '"
                + run.runId()
                + "' declares layer '"
                + l.name()
                + "' with "
                + l.neurons()
                + " neurons, more than max.neurons.per.layer = "
                + config.limits().maxNeuronsPerLayer());
      }
      decisionBytes +=
          8
              + l.name().getBytes(StandardCharsets.UTF_8).length
              + (l.neurons() + 7L) / 8
              + 4L * l.neurons();
    }
    if (decisionBytes > config.maxMessageBytes()) {
      throw exceeded(
          "RunStarted of run '"
              + run.runId()
              + "' declares "
              + run.layers().size()
              + " layers whose decision would take about "
              + decisionBytes
              + " bytes, more than max.message.bytes = "
              + config.maxMessageBytes());
    }
    if (heldRuns >= config.limits().maxActiveRuns()) {
      throw exceeded(
          "RunStarted of run '"
              + run.runId()
              + "': this partition already holds "
              + heldRuns
              + " runs, max.active.runs = "
              + config.limits().maxActiveRuns());
    }
  }

  /**
   * The most bytes one part of a layer's evidence may take: the run's limit less the rest of its
   * state (its runs-store entry and every other evidence part).
   */
  long partBudget(long otherStateBytes) {
    return config.limits().maxStateBytesPerRun() - otherStateBytes;
  }

  /** The error for a merged evidence part of {@code partBytes} that exceeds its budget. */
  InvalidEventException stateExceeded(
      String runId, String layer, String part, long partBytes, long otherStateBytes) {
    return exceeded(
        "run '"
            + runId
            + "', layer '"
            + layer
            + "': the merged "
            + part
            + " state of "
            + partBytes
            + " bytes on top of the run's other "
            + otherStateBytes
            + " bytes exceeds max.state.bytes.per.run = "
            + config.limits().maxStateBytesPerRun());
  }

  private static InvalidEventException exceeded(String message) {
    return new InvalidEventException(RejectReason.LIMIT_EXCEEDED, message);
  }
}
