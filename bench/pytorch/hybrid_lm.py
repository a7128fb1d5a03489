#!/usr/bin/env python3
"""Training throughput of the HSTNN hybrid RNN/SNN language model (or a 2-layer LSTM) in PyTorch.

The same model, data and optimizer as `prunewire bench trainer`: embedding E, two hybrid layers of
`snn` leaky integrate-and-fire neurons (hard reset, decay 0.6, threshold 0.6, rectangular surrogate
gradient of half-width 0.5, membranes reset every bptt window) beside `rnn` sigmoid RNN neurons
(h_t = sigmoid(x_t W_fc + h_{t-1} W_fv), no biases, state carried across windows), dropout 0.5 on
the embedding and both hidden outputs, a 10,000-word softmax decoder, mean cross-entropy per token,
SGD with momentum 0.9 and lr 0.5, global gradient-norm clipping at 1, float32, batch 25, bptt 35,
consecutive Penn Treebank windows (the repository's vendored copy).

Prints one line per measurement window; the last line is exactly `tokens/s <median>`.
Debian's torch links the reference BLAS; for a fair comparison run it with OpenBLAS:
  LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread OPENBLAS_NUM_THREADS=2 \
    /usr/bin/python3 bench/pytorch/hybrid_lm.py --embedding 128 --rnn 128 --snn 128
"""
import argparse
import gzip
import pathlib
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

PTB = (pathlib.Path(__file__).resolve().parents[2]
       / "agent/trainer/src/main/resources/io/prunewire/trainer/data/ptb/train.txt.gz")


class SpikeFn(torch.autograd.Function):
    """Heaviside step with a rectangular surrogate derivative."""

    @staticmethod
    def forward(ctx, mem, threshold, half_width):
        ctx.save_for_backward(mem)
        ctx.threshold, ctx.half_width = threshold, half_width
        return (mem > threshold).to(mem.dtype)

    @staticmethod
    def backward(ctx, grad):
        (mem,) = ctx.saved_tensors
        window = ((mem - ctx.threshold).abs() < ctx.half_width).to(grad.dtype)
        return grad * window, None, None


class HybridLayer(nn.Module):
    def __init__(self, n_in, snn, rnn, decay=0.6, threshold=0.6, half_width=0.5):
        super().__init__()
        self.snn, self.rnn = snn, rnn
        self.decay, self.threshold, self.half_width = decay, threshold, half_width
        self.snn_in = nn.Linear(n_in, snn, bias=False)
        self.rnn_in = nn.Linear(n_in, rnn, bias=False)
        self.rnn_rec = nn.Linear(rnn, rnn, bias=False)

    def forward(self, x, h):  # x: [T, B, in], h: [B, rnn]
        snn_drive = self.snn_in(x)  # input projections of the whole window at once
        rnn_drive = self.rnn_in(x)
        mem = torch.zeros_like(snn_drive[0])
        spike = torch.zeros_like(mem)
        spikes, states = [], []
        for t in range(x.size(0)):
            mem = mem * self.decay * (1 - spike) + snn_drive[t]
            spike = SpikeFn.apply(mem, self.threshold, self.half_width)
            h = torch.sigmoid(rnn_drive[t] + self.rnn_rec(h))
            spikes.append(spike)
            states.append(h)
        return torch.cat([torch.stack(spikes), torch.stack(states)], dim=2), h


class HybridLM(nn.Module):
    def __init__(self, vocab, embedding, snn, rnn, dropout):
        super().__init__()
        self.embed = nn.Embedding(vocab, embedding)
        self.layers = nn.ModuleList([HybridLayer(embedding, snn, rnn), HybridLayer(snn + rnn, snn, rnn)])
        self.drop = nn.Dropout(dropout)
        self.decoder = nn.Linear(snn + rnn, vocab)
        nn.init.uniform_(self.embed.weight, -0.1, 0.1)
        nn.init.uniform_(self.decoder.weight, -0.1, 0.1)

    def init_state(self, batch):
        return [torch.zeros(batch, layer.rnn) for layer in self.layers]

    def forward(self, tokens, state):
        x = self.drop(self.embed(tokens))
        new_state = []
        for layer, h in zip(self.layers, state):
            x, h = layer(x, h)
            x = self.drop(x)
            new_state.append(h)
        return self.decoder(x), new_state


class LstmLM(nn.Module):
    def __init__(self, vocab, embedding, width, dropout):
        super().__init__()
        self.embed = nn.Embedding(vocab, embedding)
        self.lstm = nn.LSTM(embedding, width, num_layers=2, dropout=dropout)
        self.drop = nn.Dropout(dropout)
        self.decoder = nn.Linear(width, vocab)
        self.width = width

    def init_state(self, batch):
        return (torch.zeros(2, batch, self.width), torch.zeros(2, batch, self.width))

    def forward(self, tokens, state):
        out, state = self.lstm(self.drop(self.embed(tokens)), state)
        return self.decoder(self.drop(out)), state


def detach(state):
    return tuple(s.detach() for s in state) if isinstance(state, tuple) else [s.detach() for s in state]


def batchify(path, batch):
    vocab, ids = {}, []
    with gzip.open(path, "rt", encoding="ascii") as f:
        for line in f:
            for word in line.split() + ["<eos>"]:
                ids.append(vocab.setdefault(word, len(vocab)))
    steps = len(ids) // batch
    data = torch.tensor(ids[: steps * batch], dtype=torch.long).view(batch, steps).t().contiguous()
    return data, len(vocab)  # [steps, batch]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", choices=["hybrid", "lstm"], default="hybrid")
    p.add_argument("--embedding", type=int, default=128)
    p.add_argument("--rnn", type=int, default=128)
    p.add_argument("--snn", type=int, default=128)
    p.add_argument("--batch", type=int, default=25)
    p.add_argument("--bptt", type=int, default=35)
    p.add_argument("--seconds", type=float, default=15)
    p.add_argument("--windows", type=int, default=5)
    p.add_argument("--warmup", type=float, default=10)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    data, vocab = batchify(PTB, a.batch)
    if a.model == "hybrid":
        model = HybridLM(vocab, a.embedding, a.snn, a.rnn, 0.5)
    else:
        model = LstmLM(vocab, a.embedding, a.rnn, 0.5)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5, momentum=0.9)
    params = sum(p.numel() for p in model.parameters())
    print(f"{a.model} model: embedding {a.embedding}, rnn {a.rnn}, snn {a.snn}, batch {a.batch}, bptt {a.bptt},"
          f" {params} parameters, torch {torch.__version__}, {torch.get_num_threads()} threads")
    state = model.init_state(a.batch)
    position = 0

    def step():
        nonlocal state, position
        if position + a.bptt + 1 > data.size(0):
            position, state = 0, model.init_state(a.batch)
        inputs = data[position : position + a.bptt]
        targets = data[position + 1 : position + 1 + a.bptt]
        position += a.bptt
        state = detach(state)
        optimizer.zero_grad()
        logits, state = model(inputs, state)
        loss = F.cross_entropy(logits.view(-1, vocab), targets.reshape(-1))
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()

    end = time.perf_counter() + a.warmup
    while time.perf_counter() < end:
        step()
    rates = []
    for w in range(a.windows):
        t0 = time.perf_counter()
        steps = 0
        while time.perf_counter() - t0 < a.seconds:
            step()
            steps += 1
        rate = steps * a.batch * a.bptt / (time.perf_counter() - t0)
        rates.append(rate)
        print(f"window {w + 1}: {steps} steps, {rate:.1f} tokens/s", flush=True)
    print(f"tokens/s {statistics.median(rates):.1f}")


if __name__ == "__main__":
    main()
