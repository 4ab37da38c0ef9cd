#!/usr/bin/env python3
"""PyTorch side of bench/rnn_layer_timing.ts: nn.LSTM or nn.GRU (batch_first) forward, and forward + backward of the
sum of the output sequence or of the final h, on the given shapes. Each runs with subnormals flushed to zero
(torch.set_flush_denormal(True)) and in PyTorch's default floating-point mode: the gradients of a long recurrence
decay into subnormals, which slow x86 arithmetic down by orders of magnitude, and the native ops flush them.

Usage: python3 bench/rnn_layer_timing_torch.py lstm|gru threads iters warmup CASES
  CASES: a JSON list of {"name", "B", "T", "D", "H", "whole"} (whole: the loss sums the output sequence, else the
  final h)
"""
import json
import sys
import time

import torch
import torch.nn as nn

MODULES = {"lstm": nn.LSTM, "gru": nn.GRU}


def stats(xs):
    xs = sorted(xs)
    return f"{xs[0]:6.1f} / {xs[len(xs) // 2]:6.1f} ms"


def time_case(module_class, case, iters, warmup):
    B, T, D, H = case["B"], case["T"], case["D"], case["H"]
    rnn = module_class(D, H, batch_first=True)
    x = torch.rand(B, T, D) * 2 - 1
    x.requires_grad_()

    def step():
        for p in rnn.parameters():
            p.grad = None
        x.grad = None
        output, state = rnn(x)
        hn = state[0] if isinstance(state, tuple) else state  # nn.LSTM: (h_n, c_n)
        (output if case["whole"] else hn[0]).sum().backward()

    def forward():
        with torch.no_grad():
            rnn(x)

    for flush in (True, False):
        torch.set_flush_denormal(flush)
        # the default mode can take seconds per step: a short run says enough
        runs, warm = (iters, warmup) if flush else (min(iters, 2), min(warmup, 1))
        for _ in range(warm):
            step()
        fb, fw = [], []
        for _ in range(runs):
            t0 = time.perf_counter()
            step()
            fb.append((time.perf_counter() - t0) * 1e3)
            t0 = time.perf_counter()
            forward()
            fw.append((time.perf_counter() - t0) * 1e3)
        label = f"{case['name']} (B={B} T={T} D={D} H={H}), {'flush' if flush else 'keep'} subnormals"
        print(f"torch {label:<74} forward {stats(fw)}   forward+backward {stats(fb)}")


def main():
    cell, threads, iters, warmup, cases = sys.argv[1], *map(int, sys.argv[2:5]), json.loads(sys.argv[5])
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    print(f"torch {torch.__version__} {MODULES[cell].__name__}, sigmoid gates, full length")
    for case in cases:
        time_case(MODULES[cell], case, iters, warmup)


if __name__ == "__main__":
    main()
