"""Prunewire protocol v1 and v2 for trainers outside the JVM: encode trainer events, decode decisions
and (v2) removal candidates.

Standard library only. The byte layout is PROTOCOL.md's; this file is a second, independent
implementation of it that the Java tests run against the Java codec.

    value = checkpoint('run-1', 't0', step=100, timestamp_ms=now_ms(), checkpoint_id='ckpt-1', planned_removals=325)
    producer.produce('prunewire.telemetry', key=b'run-1', value=value)
"""
import json
import struct
import sys
import time

VERSION = 1
VERSION_2 = 2
RUN_STARTED, ACTIVATION_SUMMARY, GRADIENT_SUMMARY, CURVATURE, WEIGHT_STATISTICS, ABLATION, CHECKPOINT, DECISION, DECISION_ACK = range(1, 10)
REMOVAL_CANDIDATES, REMOVAL_OUTCOME = 11, 12
KINDS = {'rnn': 1, 'snn': 2, 'lstm': 3, 'dense': 4}


def now_ms():
    return int(time.time() * 1000)


class _Writer:
    def __init__(self, event_type, run_id, trainer_id, step, timestamp_ms, version=VERSION):
        self.b = bytearray(b'PW')
        self.b += bytes([version, event_type])
        self.str(run_id).str(trainer_id).i64(step).i64(timestamp_ms)

    def i32(self, v): self.b += struct.pack('<i', v); return self
    def i64(self, v): self.b += struct.pack('<q', v); return self
    def u8(self, v): self.b += bytes([v]); return self
    def f64(self, v): self.b += struct.pack('<d', v); return self
    def f32s(self, vs): self.b += struct.pack('<%df' % len(vs), *vs); return self
    def i32s(self, vs): self.b += struct.pack('<%di' % len(vs), *vs); return self

    def str(self, s):
        data = s.encode('utf-8')
        return self.i32(len(data)).raw(data)

    def varuints(self, vs):
        for v in vs:
            if v < 0:
                raise ValueError('count %d is negative' % v)
            while v >= 0x80:
                self.b.append((v & 0x7F) | 0x80)
                v >>= 7
            self.b.append(v)
        return self

    def raw(self, data):
        self.b += data
        return self

    def moments(self, m):
        """m: dict with count, mean, m2, min, max (lists of equal length)."""
        return self.i64(m['count']).f32s(m['mean']).f32s(m['m2']).f32s(m['min']).f32s(m['max'])

    def bytes(self):
        return bytes(self.b)


def run_started(run_id, trainer_id, step, timestamp_ms, fleet_size, layers, version=VERSION):
    """layers: list of (name, kind in rnn|snn|lstm|dense, neurons, fan_in, owners).

    version=VERSION_2 tells the agent this trainer measures removal candidates (see removal_outcome)."""
    w = _Writer(RUN_STARTED, run_id, trainer_id, step, timestamp_ms, version).i32(fleet_size).i32(len(layers))
    for name, kind, neurons, fan_in, owners in layers:
        w.str(name).u8(KINDS[kind]).i32(neurons).i32(fan_in).str(owners)
    return w.bytes()


def activation_summary(run_id, trainer_id, step, timestamp_ms, layer, window, value, magnitude, non_zero, histogram, co_activation):
    """non_zero: (total, counts); histogram: (lo, hi, bins, total, counts row-major [neuron][bin]);
    co_activation: (count, anchors, mean, m2, comoment row-major [neuron][anchor])."""
    n = len(value['mean'])
    w = _Writer(ACTIVATION_SUMMARY, run_id, trainer_id, step, timestamp_ms).str(layer).i32(window).i32(n)
    w.moments(value).moments(magnitude)
    w.i64(non_zero[0]).varuints(non_zero[1])
    lo, hi, bins, total, counts = histogram
    w.f64(lo).f64(hi).i32(bins).i64(total).varuints(counts)
    count, anchors, mean, m2, comoment = co_activation
    w.i64(count).i32(len(anchors)).i32s(anchors).f32s(mean).f32s(m2).f32s(comoment)
    return w.bytes()


def gradient_summary(run_id, trainer_id, step, timestamp_ms, layer, window, gradient, magnitude, sign, gate):
    """sign: (windows, positive counts, negative counts)."""
    n = len(gradient['mean'])
    w = _Writer(GRADIENT_SUMMARY, run_id, trainer_id, step, timestamp_ms).str(layer).i32(window).i32(n)
    w.moments(gradient).moments(magnitude)
    w.i64(sign[0]).varuints(sign[1]).varuints(sign[2])
    return w.moments(gate).bytes()


def curvature(run_id, trainer_id, step, timestamp_ms, layer, window, vhv):
    n = len(vhv['mean'])
    return _Writer(CURVATURE, run_id, trainer_id, step, timestamp_ms).str(layer).i32(window).i32(n).moments(vhv).bytes()


def weight_statistics(run_id, trainer_id, step, timestamp_ms, layer, window, fan_in, fan_out, stats):
    """stats: dict of l2, l1, variance, nonZeroRatio, entropy, effectiveRankDrop, outgoing (lists)."""
    n = len(stats['l2'])
    w = _Writer(WEIGHT_STATISTICS, run_id, trainer_id, step, timestamp_ms).str(layer).i32(window).i32(n).i32(fan_in).i32(fan_out)
    for key in ('l2', 'l1', 'variance', 'nonZeroRatio', 'entropy', 'effectiveRankDrop', 'outgoing'):
        w.f32s(stats[key])
    return w.bytes()


def ablation(run_id, trainer_id, step, timestamp_ms, checkpoint_id, measurements):
    """measurements: list of (delta_loss, [(layer, [neuron indices])])."""
    w = _Writer(ABLATION, run_id, trainer_id, step, timestamp_ms).str(checkpoint_id).i32(len(measurements))
    for delta, removed in measurements:
        w.f32s([delta]).i32(len(removed))
        for layer, neurons in removed:
            w.str(layer).i32(len(neurons)).i32s(neurons)
    return w.bytes()


def checkpoint(run_id, trainer_id, step, timestamp_ms, checkpoint_id, planned_removals):
    return _Writer(CHECKPOINT, run_id, trainer_id, step, timestamp_ms).str(checkpoint_id).i32(planned_removals).bytes()


def decision_ack(run_id, trainer_id, step, timestamp_ms, checkpoint_id, mask_hash_value):
    return _Writer(DECISION_ACK, run_id, trainer_id, step, timestamp_ms).str(checkpoint_id).i64(_signed64(mask_hash_value)).bytes()


def removal_outcome(run_id, trainer_id, step, timestamp_ms, checkpoint_id, round_number, candidate_id, delta_loss,
                    probe_batches, delta_loss_std_err=None):
    """v2: the held-out loss increase (nats/token) of removing one candidate of decode_candidates,
    averaged over probe_batches batches; delta_loss_std_err (optional, needs >= 2 batches) is its
    standard error over them."""
    w = (_Writer(REMOVAL_OUTCOME, run_id, trainer_id, step, timestamp_ms, VERSION_2).str(checkpoint_id)
         .i32(round_number).i32(candidate_id).f32s([delta_loss]).i32(probe_batches))
    if delta_loss_std_err is not None:
        w.f32s([delta_loss_std_err])
    return w.bytes()


def mask_hash(masks):
    """FNV-1a 64 of the mask sections; masks: list of (layer, list of bool) in the decision's order."""
    h = 0xcbf29ce484222325
    for layer, keep in masks:
        name = layer.encode('utf-8')
        section = struct.pack('<i', len(name)) + name + struct.pack('<i', len(keep)) + _pack_bits(keep)
        for byte in section:
            h = ((h ^ byte) * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return h


def record_type(data):
    """The event type code of a record (byte 3): DECISION or REMOVAL_CANDIDATES on the decisions topic."""
    if len(data) < 4 or data[:2] != b'PW':
        raise ValueError('magic: not a Prunewire record')
    return data[3]


def _open(data, expected_type, name):
    r = _Reader(data)
    if r.take(2) != b'PW':
        raise ValueError('magic: not a Prunewire record')
    version, event_type = r.take(1)[0], r.take(1)[0]
    if version not in (VERSION, VERSION_2) or event_type != expected_type:
        raise ValueError('expected a %s, got version %d type %d' % (name, version, event_type))
    return r, {'runId': r.str(), 'trainerId': r.str(), 'step': r.i64(), 'timestampMillis': r.i64(),
               'checkpointId': r.str()}


def decode_candidates(data):
    """v2: decodes a RemovalCandidates record into a dict with 'round', 'measurers' and 'candidates',
    a list of (candidate id, [(layer, [neuron indices])])."""
    r, out = _open(data, REMOVAL_CANDIDATES, 'RemovalCandidates')
    out['round'] = r.i32()
    out['measurers'] = [r.str() for _ in range(r.i32())]
    candidates = []
    for _ in range(r.i32()):
        cid = r.i32()
        removed = []
        for _ in range(r.i32()):
            layer, n = r.str(), r.i32()
            removed.append((layer, list(struct.unpack('<%di' % n, r.take(4 * n)))))
        candidates.append((cid, removed))
    out['candidates'] = candidates
    if r.pos != len(data):
        raise ValueError('%d trailing bytes' % (len(data) - r.pos))
    return out


def assigned(candidates, trainer_id):
    """The candidates a trainer measures: list position i goes to measurers[i % len(measurers)]."""
    if trainer_id not in candidates['measurers']:
        return []
    slot, m = candidates['measurers'].index(trainer_id), len(candidates['measurers'])
    return [c for i, c in enumerate(candidates['candidates']) if i % m == slot]


def decode_decision(data):
    """Decodes a Decision record into a dict; raises ValueError on anything else or malformed bytes."""
    r, out = _open(data, DECISION, 'Decision')
    layers = []
    for _ in range(r.i32()):
        name, n = r.str(), r.i32()
        packed = r.take((n + 7) // 8)
        keep = [bool(packed[i >> 3] >> (i & 7) & 1) for i in range(n)]
        scores = list(struct.unpack('<%df' % n, r.take(4 * n)))
        layers.append((name, keep, scores))
    out['layers'] = layers
    out['fusionWeights'] = dict((r.str(), struct.unpack('<f', r.take(4))[0]) for _ in range(r.i32()))
    out['reason'] = r.str()
    out['missingTrainers'] = [r.str() for _ in range(r.i32())]
    if r.pos != len(data):
        raise ValueError('%d trailing bytes' % (len(data) - r.pos))
    out['maskHash'] = mask_hash([(name, keep) for name, keep, _ in layers])
    return out


class _Reader:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, n):
        if n < 0 or self.pos + n > len(self.data):
            raise ValueError('truncated at byte %d (need %d more)' % (self.pos, n))
        self.pos += n
        return self.data[self.pos - n:self.pos]

    def i32(self): return struct.unpack('<i', self.take(4))[0]
    def i64(self): return struct.unpack('<q', self.take(8))[0]
    def str(self): return self.take(self.i32()).decode('utf-8')


def _pack_bits(keep):
    packed = bytearray((len(keep) + 7) // 8)
    for i, k in enumerate(keep):
        if k:
            packed[i >> 3] |= 1 << (i & 7)
    return bytes(packed)


def _signed64(v):
    return v - (1 << 64) if v >= 1 << 63 else v


if __name__ == '__main__':
    # `decode-decision`: reads a Decision's hex from stdin, prints a JSON digest (used by the Java tests)
    if sys.argv[1:] == ['decode-decision']:
        d = decode_decision(bytes.fromhex(sys.stdin.read().strip()))
        print(json.dumps({'checkpointId': d['checkpointId'], 'kept': {name: sum(keep) for name, keep, _ in d['layers']},
                          'maskHash': '%016x' % d['maskHash'], 'missingTrainers': d['missingTrainers']}))
    # `assigned TRAINER`: reads a RemovalCandidates' hex from stdin, prints the ids that trainer measures
    elif len(sys.argv) == 3 and sys.argv[1] == 'assigned':
        c = decode_candidates(bytes.fromhex(sys.stdin.read().strip()))
        print(json.dumps({'round': c['round'], 'ids': [cid for cid, _ in assigned(c, sys.argv[2])],
                          'sizes': [sum(len(n) for _, n in removed) for _, removed in c['candidates']]}))
    else:
        sys.exit('usage: prunewire_protocol.py decode-decision < hex | assigned TRAINER < hex')
