#!/usr/bin/env python3
"""PyTorch side of `npm run bench`: the same training steps as bench/steps.ts, timed the same way.

Prints one JSON object: {"torch": version, "threads": n, "steps": {name: {"median_ms": .., "times_ms": [..]}}}.
The caller passes the thread count so both sides use the same cores (never more than the machine has).
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class SeqClassifier(nn.Module):
    """(a)/(d): embedding -> LSTM/GRU -> last hidden -> 2-way logits."""

    def __init__(self, cell, vocab=20003, emb=300, hidden=128):
        super().__init__()
        self.embedding = nn.Embedding(vocab, emb)
        self.rnn = (nn.LSTM if cell == "lstm" else nn.GRU)(emb, hidden, batch_first=True)
        self.out = nn.Linear(hidden, 2)

    def forward(self, ids):
        out, _ = self.rnn(self.embedding(ids))
        return self.out(out[:, -1])


class CharLM(nn.Module):
    """(b): one-hot input -> LSTM -> per-step softmax over the alphabet."""

    def __init__(self, alphabet=50, hidden=1000):
        super().__init__()
        self.alphabet = alphabet
        self.rnn = nn.LSTM(alphabet, hidden, batch_first=True)
        self.out = nn.Linear(hidden, alphabet)

    def forward(self, ids):
        out, _ = self.rnn(F.one_hot(ids, self.alphabet).float())
        return self.out(out)


class WordLM(nn.Module):
    """(c): embedding -> LSTM -> per-step softmax over the vocabulary."""

    def __init__(self, vocab=10000, hidden=256):
        super().__init__()
        self.embedding = nn.Embedding(vocab, hidden)
        self.rnn = nn.LSTM(hidden, hidden, batch_first=True)
        self.out = nn.Linear(hidden, vocab)

    def forward(self, ids):
        out, _ = self.rnn(self.embedding(ids))
        return self.out(out)


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(784, 1024), nn.ReLU(), nn.Linear(1024, 1024), nn.ReLU(), nn.Linear(1024, 10))

    def forward(self, x):
        return self.net(x)


class SmallCNN(nn.Module):
    """src/ensembles/families/small_cnn.ts: conv3x3 [c, c] - maxpool - [2c, 2c] - maxpool - conv 4c - mean - linear."""

    def __init__(self, c=64, classes=10):
        super().__init__()
        widths = [1, c, c, 2 * c, 2 * c, 4 * c]
        self.convs = nn.ModuleList(nn.Conv2d(widths[i], widths[i + 1], 3, padding=1) for i in range(5))
        self.out = nn.Linear(4 * c, classes)

    def forward(self, x):
        for i, conv in enumerate(self.convs):
            x = F.relu(conv(x))
            if i in (1, 3):
                x = F.max_pool2d(x, 2)
        return self.out(x.mean(dim=(2, 3)))


def make_step(name, gen):
    """Returns (model, step_fn) with inputs drawn once, like the TypeScript side."""
    if name in ("imdb-lstm", "imdb-gru"):
        model = SeqClassifier("lstm" if name == "imdb-lstm" else "gru")
        x = torch.randint(1, 20003, (128, 200), generator=gen)
        y = torch.randint(0, 2, (128,), generator=gen)
        loss_fn = lambda: F.cross_entropy(model(x), y)
    elif name == "char-lm":
        model = CharLM()
        x = torch.randint(0, 50, (64, 100), generator=gen)
        y = torch.randint(0, 50, (64, 100), generator=gen)
        loss_fn = lambda: F.cross_entropy(model(x).reshape(-1, 50), y.reshape(-1))
    elif name == "word-lm":
        model = WordLM()
        x = torch.randint(0, 10000, (32, 35), generator=gen)
        y = torch.randint(0, 10000, (32, 35), generator=gen)
        loss_fn = lambda: F.cross_entropy(model(x).reshape(-1, 10000), y.reshape(-1))
    elif name == "mlp":
        model = MLP()
        x = torch.rand(128, 784, generator=gen)
        y = torch.randint(0, 10, (128,), generator=gen)
        loss_fn = lambda: F.cross_entropy(model(x), y)
    elif name == "cnn":
        model = SmallCNN()
        x = torch.rand(128, 1, 14, 14, generator=gen)
        y = torch.randint(0, 10, (128,), generator=gen)
        loss_fn = lambda: F.cross_entropy(model(x), y)
    else:
        raise SystemExit(f"unknown step {name}")
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn()
        loss.backward()
        opt.step()
        return loss.item()

    return step


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, required=True)
    ap.add_argument("--steps", default="imdb-lstm,char-lm,word-lm,imdb-gru,mlp,cnn")
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--iters", type=int, default=10)
    ap.add_argument("--keep-denormals", action="store_true", help="PyTorch's default: do not flush subnormals")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    # Long recurrent backward passes drive gradients into subnormal floats, which are ~100x slower on x86.
    # Our kernels flush them to zero (as TensorFlow does); give PyTorch the same, its fastest setting.
    flush = torch.set_flush_denormal(not args.keep_denormals)
    gen = torch.Generator().manual_seed(0)
    result = {"torch": torch.__version__, "threads": torch.get_num_threads(), "flush_denormal": bool(flush) and not args.keep_denormals, "steps": {}}
    for name in args.steps.split(","):
        step = make_step(name, gen)
        for _ in range(args.warmup):
            step()
        times = []
        for _ in range(args.iters):
            t0 = time.perf_counter()
            step()
            times.append((time.perf_counter() - t0) * 1e3)
        times.sort()
        result["steps"][name] = {"median_ms": times[len(times) // 2], "times_ms": times}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
