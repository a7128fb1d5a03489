package io.prunewire.protocol;

import static io.prunewire.protocol.EventChecks.identifier;
import static io.prunewire.protocol.EventChecks.noNulls;
import static io.prunewire.protocol.EventChecks.nonNegative;
import static io.prunewire.protocol.EventChecks.present;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Protocol v2, agent → trainers on the decisions topic: removal sets the agent wants measured
 * before it decides a checkpoint. Each trainer measures the candidates assigned to it ({@link
 * #assignedTo}) with a masked forward pass on its held-out probe batches, nothing applied, and
 * answers each with a {@link RemovalOutcome}.
 *
 * @param checkpointId the checkpoint whose decision waits for the outcomes
 * @param round the run's outcome round (0, 1, ... in the order the agent issued them)
 * @param measurers the trainers that measure, distinct, in assignment order: candidate at list
 *     position i is measured by {@code measurers[i mod measurers.size()]}
 * @param candidates at least one candidate, ids distinct
 */
public record RemovalCandidates(
    Header header,
    String checkpointId,
    int round,
    List<String> measurers,
    List<Candidate> candidates)
    implements Event {

  public RemovalCandidates {
    present("RemovalCandidates.header", header);
    identifier("RemovalCandidates.checkpointId", checkpointId);
    nonNegative("RemovalCandidates.round", round);
    measurers = List.copyOf(noNulls("RemovalCandidates.measurers", measurers));
    candidates = List.copyOf(noNulls("RemovalCandidates.candidates", candidates));
    if (measurers.isEmpty()) {
      throw new InvalidEventException(
          RejectReason.ARRAY_LENGTH, "RemovalCandidates.measurers: must name at least one trainer");
    }
    if (candidates.isEmpty()) {
      throw new InvalidEventException(
          RejectReason.ARRAY_LENGTH,
          "RemovalCandidates.candidates: must hold at least one candidate");
    }
    measurers.forEach(m -> identifier("RemovalCandidates.measurers element", m));
    if (new HashSet<>(measurers).size() != measurers.size()) {
      throw new InvalidEventException(
          RejectReason.MALFORMED,
          "RemovalCandidates.measurers: trainer ids must be distinct, got " + measurers);
    }
    Set<Integer> ids = new HashSet<>();
    for (Candidate c : candidates) {
      if (!ids.add(c.id())) {
        throw new InvalidEventException(
            RejectReason.MALFORMED,
            "RemovalCandidates.candidates: id " + c.id() + " appears twice");
      }
    }
  }

  @Override
  public EventType type() {
    return EventType.REMOVAL_CANDIDATES;
  }

  /**
   * The candidates {@code trainerId} measures: list positions i with {@code i mod measurers = its
   * position}; none if it is no measurer.
   */
  public List<Candidate> assignedTo(String trainerId) {
    int slot = measurers.indexOf(trainerId);
    if (slot < 0) {
      return List.of();
    }
    return IntStream.range(0, candidates.size())
        .filter(i -> i % measurers.size() == slot)
        .mapToObj(candidates::get)
        .toList();
  }

  /**
   * One removal set.
   *
   * @param id the candidate's id within the round, ≥ 0, echoed by its {@link RemovalOutcome}
   * @param removed the neurons removed together, per layer, each layer at most once, non-empty
   */
  public record Candidate(int id, List<AblationEvent.Removal> removed) {
    public Candidate {
      nonNegative("RemovalCandidates.candidate.id", id);
      removed = List.copyOf(noNulls("RemovalCandidates.candidate[" + id + "].removed", removed));
      if (removed.isEmpty()) {
        throw new InvalidEventException(
            RejectReason.ARRAY_LENGTH,
            "RemovalCandidates.candidate[" + id + "].removed: must name at least one layer");
      }
      if (removed.stream().map(AblationEvent.Removal::layer).distinct().count() != removed.size()) {
        throw new InvalidEventException(
            RejectReason.MALFORMED,
            "RemovalCandidates.candidate[" + id + "].removed: a layer appears twice");
      }
    }

    /** Neurons removed in all layers together. */
    public int size() {
      return removed.stream().mapToInt(r -> r.neurons().length).sum();
    }
  }
}
