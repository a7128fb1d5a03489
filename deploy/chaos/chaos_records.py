#!/usr/bin/python3
"""Records for the chaos scripts, written with agent/protocol/python/prunewire_protocol.py.

  chaos_records.py poison DIR        the records of issue 13 that used to stop the agent, one file each
  chaos_records.py fuzz N DELIM      N random or mutated records on stdout, separated by DELIM (kcat -D)
  chaos_records.py decision RUN CHECKPOINT KIND LAYER:NEURONS...
                                     a forged Decision on stdout; KIND all-pruned | bogus-layer | plausible
"""
import os
import random
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'agent', 'protocol', 'python'))
import prunewire_protocol as pw  # noqa: E402


def poison(out):
    t = pw.now_ms()
    files = {
        # 85 bytes: one layer of 2^31 - 1 neurons
        'huge-layer.bin': pw.run_started('run-huge-layer', 'kcat-trainer1', 0, t, 1,
                                         [('giant', 'rnn', 2 ** 31 - 1, 1, '')]),
        'huge-layer-checkpoint.bin': pw.checkpoint('run-huge-layer', 'kcat-trainer1', 20, t, 'c1', 0),
        'wide-layer.bin': pw.run_started('run-200m', 'kcat-trainer1', 0, t, 1, [('wide', 'rnn', 200_000_000, 1, '')]),
        'many-layers.bin': pw.run_started('run-60k', 'kcat-trainer1', 0, t, 1,
                                          [('l%d' % i, 'rnn', 1, 1, '') for i in range(60_000)]),
    }
    for name, value in files.items():
        with open(os.path.join(out, name), 'wb') as f:
            f.write(value)
    assert len(files['huge-layer.bin']) == 85, len(files['huge-layer.bin'])


def fuzz(n, delim):
    rnd = random.Random(13)
    t = pw.now_ms()
    valid = [
        pw.run_started('fuzz-run', 'fuzz', 0, t, 1, [('h', 'rnn', 4, 2, '')]),
        pw.checkpoint('fuzz-run', 'fuzz', 5, t, 'c1', 1),
        pw.curvature('fuzz-run', 'fuzz', 3, t, 'h', 1,
                     {'count': 2, 'mean': [0.5] * 4, 'm2': [0.1] * 4, 'min': [0.0] * 4, 'max': [1.0] * 4}),
    ]
    out = sys.stdout.buffer
    for i in range(n):
        kind = rnd.random()
        if kind < 0.3:
            value = bytes(rnd.getrandbits(8) for _ in range(rnd.randint(0, 200)))
        else:
            value = bytearray(rnd.choice(valid))
            for _ in range(rnd.randint(1, 4)):
                value[rnd.randrange(len(value))] = rnd.getrandbits(8)
            if kind > 0.9:
                value += struct.pack('<i', rnd.getrandbits(31))  # trailing bytes
            value = bytes(value)
        if delim in value:
            continue
        out.write(value + delim)


def decision(run, checkpoint, kind, layers):
    """A Decision (type 8) laid out as PROTOCOL.md says, from no agent at all."""
    specs = [(name, int(n)) for name, n in (l.split(':') for l in layers)]
    if kind == 'bogus-layer':
        specs = [('bogus', 2)]
    w = pw._Writer(8, run, 'forger', 0, pw.now_ms()).str(checkpoint).i32(len(specs))
    for name, n in specs:
        keep = [False] * n if kind == 'all-pruned' else [i != 0 for i in range(n)]
        w.str(name).i32(n).raw(pw._pack_bits(keep)).f32s([0.0] * n)
    sys.stdout.buffer.write(w.i32(0).str('forged').i32(0).bytes())


if __name__ == '__main__':
    if sys.argv[1] == 'poison':
        poison(sys.argv[2])
    elif sys.argv[1] == 'decision':
        decision(sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:])
    elif sys.argv[1] == 'fuzz':
        fuzz(int(sys.argv[2]), sys.argv[3].encode())
    else:
        sys.exit(__doc__)
