package io.prunewire.evaluation.bench.protobuf;

import com.google.protobuf.ByteString;
import io.prunewire.proto.Ablation;
import io.prunewire.proto.ActivationSummary;
import io.prunewire.proto.Checkpoint;
import io.prunewire.proto.CoActivation;
import io.prunewire.proto.Counts;
import io.prunewire.proto.Curvature;
import io.prunewire.proto.Decision;
import io.prunewire.proto.GradientSummary;
import io.prunewire.proto.Header;
import io.prunewire.proto.Histogram;
import io.prunewire.proto.LayerKind;
import io.prunewire.proto.Moments;
import io.prunewire.proto.Record;
import io.prunewire.proto.Removal;
import io.prunewire.proto.SignCounts;
import io.prunewire.proto.WeightStatistics;
import io.prunewire.protocol.AblationEvent;
import io.prunewire.protocol.ActivationSummaryEvent;
import io.prunewire.protocol.CheckpointEvent;
import io.prunewire.protocol.CurvatureEvent;
import io.prunewire.protocol.DecisionAck;
import io.prunewire.protocol.DecisionEvent;
import io.prunewire.protocol.DecisionRefusal;
import io.prunewire.protocol.Event;
import io.prunewire.protocol.GradientSummaryEvent;
import io.prunewire.protocol.InvalidEventException;
import io.prunewire.protocol.LayerSpec;
import io.prunewire.protocol.RejectReason;
import io.prunewire.protocol.RemovalCandidates;
import io.prunewire.protocol.RemovalOutcome;
import io.prunewire.protocol.RunStarted;
import io.prunewire.protocol.WeightStatisticsEvent;
import java.util.List;

/**
 * Writes events as messages of {@code agent/protocol/proto/prunewire.proto} with the classes protoc
 * generates, the way a user of generated code would: fill builders from the domain objects, then
 * {@code toByteArray()}. The counterpart of {@code EventCodec.encode} in the protocol benchmark;
 * the keep mask is packed into bits exactly as the hand-written codec packs it.
 */
public final class ProtobufEncoder {

  private ProtobufEncoder() {}

  /** The event as one protobuf {@link Record}'s bytes. */
  public static byte[] encode(Event event) {
    return record(event).toByteArray();
  }

  /** The event as a protobuf {@link Record}. */
  public static Record record(Event event) {
    io.prunewire.protocol.Header h = event.header();
    Record.Builder r =
        Record.newBuilder()
            .setHeader(
                Header.newBuilder()
                    .setRunId(h.runId())
                    .setTrainerId(h.trainerId())
                    .setStep(h.step())
                    .setTimestampMillis(h.timestampMillis()));
    if (event instanceof RunStarted e) {
      r.setRunStarted(runStarted(e));
    } else if (event instanceof ActivationSummaryEvent e) {
      r.setActivationSummary(activation(e));
    } else if (event instanceof GradientSummaryEvent e) {
      r.setGradientSummary(gradient(e));
    } else if (event instanceof CurvatureEvent e) {
      r.setCurvature(
          Curvature.newBuilder()
              .setLayer(e.layer())
              .setWindow(e.window())
              .setNeurons(e.neurons())
              .setVHv(moments(e.summary().vHv())));
    } else if (event instanceof WeightStatisticsEvent e) {
      r.setWeightStatistics(weights(e));
    } else if (event instanceof AblationEvent e) {
      r.setAblation(ablation(e));
    } else if (event instanceof CheckpointEvent e) {
      r.setCheckpoint(
          Checkpoint.newBuilder()
              .setCheckpointId(e.checkpointId())
              .setPlannedRemovals(e.plannedRemovals()));
    } else if (event instanceof DecisionEvent e) {
      r.setDecision(decision(e));
    } else if (event instanceof DecisionAck e) {
      r.setDecisionAck(
          io.prunewire.proto.DecisionAck.newBuilder()
              .setCheckpointId(e.checkpointId())
              .setMaskHash(e.maskHash()));
    } else if (event instanceof DecisionRefusal e) {
      r.setDecisionRefusal(
          io.prunewire.proto.DecisionRefusal.newBuilder()
              .setCheckpointId(e.checkpointId())
              .setReason(e.reason())
              .setDetail(e.detail()));
    } else if (event instanceof RemovalCandidates e) {
      r.setRemovalCandidates(candidates(e));
    } else if (event instanceof RemovalOutcome e) {
      r.setRemovalOutcome(
          io.prunewire.proto.RemovalOutcome.newBuilder()
              .setCheckpointId(e.checkpointId())
              .setRound(e.round())
              .setCandidateId(e.candidateId())
              .setDeltaLoss(f32(e.deltaLoss()))
              .setProbeBatches(e.probeBatches()));
    } else {
      throw new IllegalStateException("no protobuf encoder for " + event.type());
    }
    return r.build();
  }

  private static io.prunewire.proto.RunStarted runStarted(RunStarted e) {
    io.prunewire.proto.RunStarted.Builder b =
        io.prunewire.proto.RunStarted.newBuilder()
            .setFleetSize(e.fleetSize())
            .setMeasuresCandidates(e.measuresCandidates());
    for (LayerSpec l : e.layers()) {
      // LayerKind's numbers are the hand-written codec's kind codes.
      b.addLayers(
          io.prunewire.proto.LayerSpec.newBuilder()
              .setName(l.name())
              .setKind(LayerKind.forNumber(l.kind().code()))
              .setNeurons(l.neurons())
              .setFanIn(l.fanIn())
              .setOwners(l.owners()));
    }
    return b.build();
  }

  private static ActivationSummary activation(ActivationSummaryEvent e) {
    io.prunewire.scorers.stats.ActivationSummary s = e.summary();
    io.prunewire.scorers.stats.Histogram h = s.histogram();
    io.prunewire.scorers.stats.CoActivation c = s.coActivation();
    Histogram.Builder histogram =
        Histogram.newBuilder().setLo(h.lo()).setHi(h.hi()).setBins(h.bins()).setTotal(h.total());
    for (long count : h.countArray()) {
      histogram.addCounts(count);
    }
    CoActivation.Builder co = CoActivation.newBuilder().setCount(c.count());
    for (int anchor : c.anchorArray()) {
      co.addAnchors(anchor);
    }
    for (double v : c.meanArray()) {
      co.addMean(f32(v));
    }
    for (double v : c.m2Array()) {
      co.addM2(f32(v));
    }
    for (double v : c.comomentArray()) {
      co.addComoment(f32(v));
    }
    Counts.Builder nonZero = Counts.newBuilder().setTotal(s.nonZero().total());
    for (long count : s.nonZero().countArray()) {
      nonZero.addCounts(count);
    }
    return ActivationSummary.newBuilder()
        .setLayer(e.layer())
        .setWindow(e.window())
        .setNeurons(e.neurons())
        .setValue(moments(s.value()))
        .setMagnitude(moments(s.magnitude()))
        .setNonZero(nonZero)
        .setHistogram(histogram)
        .setCoActivation(co)
        .build();
  }

  private static GradientSummary gradient(GradientSummaryEvent e) {
    io.prunewire.scorers.stats.GradientSummary s = e.summary();
    SignCounts.Builder sign = SignCounts.newBuilder().setWindows(s.sign().windows());
    for (long count : s.sign().positiveArray()) {
      sign.addPositive(count);
    }
    for (long count : s.sign().negativeArray()) {
      sign.addNegative(count);
    }
    return GradientSummary.newBuilder()
        .setLayer(e.layer())
        .setWindow(e.window())
        .setNeurons(e.neurons())
        .setGradient(moments(s.gradient()))
        .setMagnitude(moments(s.magnitude()))
        .setSign(sign)
        .setGate(moments(s.gate()))
        .build();
  }

  private static Moments moments(io.prunewire.scorers.stats.Moments m) {
    Moments.Builder b = Moments.newBuilder().setCount(m.count());
    for (double v : m.meanArray()) {
      b.addMean(f32(v));
    }
    for (double v : m.m2Array()) {
      b.addM2(f32(v));
    }
    for (double v : m.minArray()) {
      b.addMin(f32(v));
    }
    for (double v : m.maxArray()) {
      b.addMax(f32(v));
    }
    return b.build();
  }

  private static WeightStatistics weights(WeightStatisticsEvent e) {
    io.prunewire.scorers.stats.WeightStatistics s = e.statistics();
    WeightStatistics.Builder b =
        WeightStatistics.newBuilder()
            .setLayer(e.layer())
            .setWindow(e.window())
            .setNeurons(e.neurons())
            .setFanIn(s.fanIn())
            .setFanOut(s.fanOut());
    for (int i = 0; i < e.neurons(); i++) {
      b.addL2(f32(s.l2()[i]))
          .addL1(f32(s.l1()[i]))
          .addVariance(f32(s.variance()[i]))
          .addNonZeroRatio(f32(s.nonZeroRatio()[i]))
          .addEntropy(f32(s.entropy()[i]))
          .addEffectiveRankDrop(f32(s.effectiveRankDrop()[i]))
          .addOutgoing(f32(s.outgoing()[i]));
    }
    return b.build();
  }

  private static Ablation ablation(AblationEvent e) {
    Ablation.Builder b = Ablation.newBuilder().setCheckpointId(e.checkpointId());
    for (AblationEvent.Measurement m : e.measurements()) {
      Ablation.Measurement.Builder mb =
          Ablation.Measurement.newBuilder().setDeltaLoss(f32(m.deltaLoss()));
      m.removed().forEach(rm -> mb.addRemoved(removal(rm)));
      b.addMeasurements(mb);
    }
    return b.build();
  }

  private static Removal removal(AblationEvent.Removal r) {
    Removal.Builder b = Removal.newBuilder().setLayer(r.layer());
    for (int n : r.neurons()) {
      b.addNeurons(n);
    }
    return b.build();
  }

  private static Decision decision(DecisionEvent e) {
    Decision.Builder b = Decision.newBuilder().setCheckpointId(e.checkpointId());
    for (DecisionEvent.LayerDecision l : e.layers()) {
      Decision.LayerDecision.Builder lb =
          Decision.LayerDecision.newBuilder()
              .setLayer(l.layer())
              .setNeurons(l.neurons())
              .setKeep(ByteString.copyFrom(bits(l.keep())));
      for (float score : l.scores()) {
        lb.addScores(score);
      }
      b.addLayers(lb);
    }
    e.fusionWeights().forEach((criterion, weight) -> b.putFusionWeights(criterion, f32(weight)));
    return b.setReason(e.reason()).addAllMissingTrainers(e.missingTrainers()).build();
  }

  private static io.prunewire.proto.RemovalCandidates candidates(RemovalCandidates e) {
    io.prunewire.proto.RemovalCandidates.Builder b =
        io.prunewire.proto.RemovalCandidates.newBuilder()
            .setCheckpointId(e.checkpointId())
            .setRound(e.round())
            .addAllMeasurers(e.measurers());
    for (RemovalCandidates.Candidate c : e.candidates()) {
      io.prunewire.proto.RemovalCandidates.Candidate.Builder cb =
          io.prunewire.proto.RemovalCandidates.Candidate.newBuilder().setId(c.id());
      List<AblationEvent.Removal> removed = c.removed();
      removed.forEach(rm -> cb.addRemoved(removal(rm)));
      b.addCandidates(cb);
    }
    return b.build();
  }

  /** Booleans packed LSB-first, as the hand-written codec and the mask hash have them. */
  static byte[] bits(boolean[] keep) {
    byte[] packed = new byte[(keep.length + 7) / 8];
    for (int i = 0; i < keep.length; i++) {
      if (keep[i]) {
        packed[i >>> 3] |= (byte) (1 << (i & 7));
      }
    }
    return packed;
  }

  /** Rounds to float32 as the hand-written writer does, refusing what would become infinite. */
  private static float f32(double v) {
    float f = (float) v;
    if (!Float.isFinite(f)) {
      throw new InvalidEventException(
          RejectReason.NON_FINITE, "value " + v + " does not fit float32 (|x| <= 3.4e38)");
    }
    return f;
  }
}
