#!/usr/bin/python3
"""A simulated Prunewire trainer: valid protocol-v1 telemetry without a neural network.

It stands in for the DL4J trainer where minutes of training are too slow (the dashboard tests): it
declares a hybrid layer (an SNN half and an RNN half), draws per-neuron samples with a planted
importance (neuron i matters in proportion to (i % 7) + 1), reduces them to the summaries of
PROTOCOL.md exactly as a trainer would (moments, counts, histogram, co-activation, gradient,
gate, Hutchinson samples, weight statistics), reports checkpoints with ablation measurements,
waits for each decision, applies it and acknowledges it with the mask hash.

--ask-again reports the last checkpoint once more afterwards (as a restarted trainer would) and
checks that the agent republishes the identical decision. --invalid N additionally sends N
malformed records and one event of an unknown run, which the agent must route to the dead-letter
topic.

Needs Debian's python3-confluent-kafka (run with /usr/bin/python3). Encoding is
agent/protocol/python/prunewire_protocol.py.
"""
import argparse
import math
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'agent', 'protocol', 'python'))
import prunewire_protocol as pw  # noqa: E402
from confluent_kafka import Consumer, Producer  # noqa: E402

SAMPLES = 40       # samples per neuron in one summary window (batch × time)
BINS = 10
ANCHORS_K = 3
PROBES = 4         # Hutchinson probes per curvature snapshot
FAN_IN = 8
FAN_OUT = 6


def importance(i):
    return (i % 7) + 1


def moments(columns):
    """columns: per-neuron lists of samples (equal length) -> moments block dict."""
    out = {'count': len(columns[0]), 'mean': [], 'm2': [], 'min': [], 'max': []}
    for xs in columns:
        m = sum(xs) / len(xs)
        out['mean'].append(m)
        out['m2'].append(sum((x - m) ** 2 for x in xs))
        out['min'].append(min(xs))
        out['max'].append(max(xs))
    return out


def histogram(columns, lo, hi):
    counts = []
    for xs in columns:
        row = [0] * BINS
        for x in xs:
            row[min(max(int((x - lo) / (hi - lo) * BINS), 0), BINS - 1)] += 1
        counts.extend(row)
    return lo, hi, BINS, len(columns[0]), counts


def co_activation(columns, anchors):
    means = [sum(xs) / len(xs) for xs in columns]
    m2 = [sum((x - m) ** 2 for x in xs) for xs, m in zip(columns, means)]
    comoment = []
    for xs, m in zip(columns, means):
        for a in anchors:
            comoment.append(sum((x - m) * (y - means[a]) for x, y in zip(xs, columns[a])))
    return len(columns[0]), anchors, means, m2, comoment


class Layer:
    def __init__(self, name, kind, neurons):
        self.name, self.kind, self.neurons = name, kind, neurons
        self.keep = [True] * neurons
        self.anchors = sorted(random.Random(name).sample(range(neurons), ANCHORS_K))

    def activations(self, rnd):
        cols = []
        for i in range(self.neurons):
            if not self.keep[i]:
                cols.append([0.0] * SAMPLES)
            elif self.kind == 'snn':
                p = 0.05 + 0.12 * importance(i)
                cols.append([1.0 if rnd.random() < p else 0.0 for _ in range(SAMPLES)])
            else:
                cols.append([1 / (1 + math.exp(-rnd.gauss(0.3 * importance(i) - 1, 1))) for _ in range(SAMPLES)])
        return cols

    def gradients(self, rnd):
        return [[rnd.gauss(0, 0.01 * importance(i)) if self.keep[i] else 0.0 for _ in range(SAMPLES)]
                for i in range(self.neurons)]


class Trainer:
    def __init__(self, args):
        self.args = args
        self.rnd = random.Random('%s/%s' % (args.run, args.trainer))
        half = args.neurons
        self.layers = [Layer('h1.snn', 'snn', half), Layer('h1.rnn', 'rnn', half)]
        self.producer = Producer({'bootstrap.servers': args.bootstrap_servers, 'message.max.bytes': 16 << 20,
                                  'linger.ms': 5, 'enable.idempotence': True})
        self.step = 0

    def send(self, value, key=None):
        self.producer.produce(self.args.telemetry_topic, key=(key or self.args.run).encode(), value=value)

    def header(self):
        return self.args.run, self.args.trainer, self.step, pw.now_ms()

    def started(self):
        specs = [(l.name, l.kind, l.neurons, FAN_IN, 'h1/W[:, %s]' % l.kind) for l in self.layers]
        self.send(pw.run_started(*self.header(), self.args.fleet_size, specs))

    def summaries(self):
        h = self.header()
        for l in self.layers:
            a = l.activations(self.rnd)
            g = l.gradients(self.rnd)
            absa = [[abs(x) for x in xs] for xs in a]
            self.send(pw.activation_summary(*h, l.name, 1, moments(a), moments(absa),
                                            (SAMPLES, [sum(1 for x in xs if x != 0) for xs in a]),
                                            histogram(a, 0.0, 1.0), co_activation(a, l.anchors)))
            means = [sum(xs) / SAMPLES for xs in g]
            gate = [[sum(x * y for x, y in zip(xa, xg))] for xa, xg in zip(a, g)]
            self.send(pw.gradient_summary(*h, l.name, 1, moments(g), moments([[abs(x) for x in xs] for xs in g]),
                                          (1, [1 if m > 0 else 0 for m in means], [1 if m < 0 else 0 for m in means]),
                                          moments(gate)))

    def snapshots(self):
        h = self.header()
        for l in self.layers:
            vhv = [[self.rnd.gauss(0.5 * importance(i), 0.2) if l.keep[i] else 0.0 for _ in range(PROBES)]
                   for i in range(l.neurons)]
            self.send(pw.curvature(*h, l.name, self.args.steps, moments(vhv)))
            scale = [0.1 * importance(i) if l.keep[i] else 0.0 for i in range(l.neurons)]
            self.send(pw.weight_statistics(*h, l.name, self.args.steps, FAN_IN, FAN_OUT, {
                'l2': [s * s for s in scale], 'l1': scale, 'variance': [0.5 * s * s for s in scale],
                'nonZeroRatio': [1.0 if k else 0.0 for k in l.keep],
                'entropy': [math.log(FAN_IN) if k else 0.0 for k in l.keep],
                'effectiveRankDrop': [0.01 * importance(i) for i in range(l.neurons)],
                'outgoing': [0.8 * s for s in scale]}))

    def ablations(self, checkpoint_id):
        measurements = []
        for l in self.layers:
            alive = [i for i in range(l.neurons) if l.keep[i]]
            for i in self.rnd.sample(alive, min(4, len(alive))):
                measurements.append((0.02 * importance(i) + self.rnd.gauss(0, 0.005), [(l.name, [i])]))
            group = self.rnd.sample(alive, min(3, len(alive)))
            measurements.append((sum(0.02 * importance(i) for i in group), [(l.name, sorted(group))]))
        self.send(pw.ablation(*self.header(), checkpoint_id, measurements))

    def await_decision(self, consumer, checkpoint_id):
        deadline = time.time() + self.args.decision_timeout
        while time.time() < deadline:
            msg = consumer.poll(0.5)
            if msg is None or msg.error():
                continue
            if pw.record_type(msg.value()) != pw.DECISION:
                continue  # removal candidates for v2 trainers (this one speaks v1)
            d = pw.decode_decision(msg.value())
            if d['runId'] == self.args.run and d['checkpointId'] == checkpoint_id:
                return d
        return None

    def run(self):
        consumer = Consumer({'bootstrap.servers': self.args.bootstrap_servers,
                             'group.id': 'sim-trainer-%s-%s-%d' % (self.args.run, self.args.trainer, os.getpid()),
                             'auto.offset.reset': 'earliest', 'isolation.level': 'read_committed',
                             'enable.auto.commit': False})
        consumer.subscribe([self.args.decisions_topic])
        self.started()
        decision = None
        for c in range(1, self.args.checkpoints + 1):
            for _ in range(self.args.steps):
                self.step += 1
                self.summaries()
            self.snapshots()
            checkpoint_id = 'ckpt-%d' % c
            self.step += 1
            self.ablations(checkpoint_id)
            planned = sum(sum(l.keep) for l in self.layers) // 4
            self.send(pw.checkpoint(*self.header(), checkpoint_id, planned))
            self.producer.flush(10)
            decision = self.await_decision(consumer, checkpoint_id)
            if decision is None:
                print('%s/%s: no decision for %s within %ss; training on' % (self.args.run, self.args.trainer,
                      checkpoint_id, self.args.decision_timeout), flush=True)
                continue
            for l, (name, keep, _) in zip(self.layers, decision['layers']):
                assert l.name == name, 'decision layer order %s != %s' % (name, l.name)
                l.keep = [a and b for a, b in zip(l.keep, keep)]
            self.step += 1
            self.send(pw.decision_ack(*self.header(), checkpoint_id, decision['maskHash']))
            print('%s/%s: %s decided, mask hash %016x (%s%s): kept %s' % (
                self.args.run, self.args.trainer, checkpoint_id, decision['maskHash'], decision['reason'],
                ', missing ' + ','.join(decision['missingTrainers']) if decision['missingTrainers'] else '',
                {name: sum(keep) for name, keep, _ in decision['layers']}), flush=True)
        if self.args.ask_again and decision is not None:
            self.ask_again(consumer, decision)
        self.invalid()
        self.producer.flush(10)
        consumer.close()

    def ask_again(self, consumer, decision):
        self.step += 1
        self.send(pw.checkpoint(*self.header(), decision['checkpointId'], 0))
        self.producer.flush(10)
        again = self.await_decision(consumer, decision['checkpointId'])
        if again is None or again['maskHash'] != decision['maskHash']:
            sys.exit('%s/%s: %s asked again: expected the same decision (mask hash %016x), got %s' % (
                self.args.run, self.args.trainer, decision['checkpointId'], decision['maskHash'],
                'none' if again is None else '%016x' % again['maskHash']))
        print('%s/%s: %s asked again: identical decision republished' % (
            self.args.run, self.args.trainer, decision['checkpointId']), flush=True)

    def invalid(self):
        for i in range(self.args.invalid):
            self.send(b'not a prunewire record %d' % i)
        if self.args.invalid:
            self.send(pw.checkpoint('never-started', self.args.trainer, 1, pw.now_ms(), 'ckpt-1', 0), key='never-started')


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--bootstrap-servers', required=True, help='Kafka bootstrap servers, host:port[,...]')
    p.add_argument('--run', default='sim-run', help='run id (default %(default)s)')
    p.add_argument('--trainer', default='t0', help='trainer id (default %(default)s)')
    p.add_argument('--fleet-size', type=int, default=1,
                   help='trainers the run declares; more than you start makes barriers time out (default %(default)s)')
    p.add_argument('--neurons', type=int, default=16, help='neurons of each half of the layer (default %(default)s)')
    p.add_argument('--checkpoints', type=int, default=3, help='checkpoints to run (default %(default)s)')
    p.add_argument('--steps', type=int, default=5, help='summary windows between checkpoints (default %(default)s)')
    p.add_argument('--decision-timeout', type=float, default=60, help='seconds to wait for a decision (default %(default)s)')
    p.add_argument('--ask-again', action='store_true',
                   help='report the last checkpoint again and require the identical decision back')
    p.add_argument('--invalid', type=int, default=0, help='malformed records to send at the end (default 0)')
    p.add_argument('--telemetry-topic', default='prunewire.telemetry')
    p.add_argument('--decisions-topic', default='prunewire.decisions')
    args = p.parse_args()
    if args.neurons < ANCHORS_K:
        p.error('--neurons must be at least %d' % ANCHORS_K)
    Trainer(args).run()


if __name__ == '__main__':
    main()
