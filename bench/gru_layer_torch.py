#!/usr/bin/env python3
"""PyTorch side of bench/gru_layer.ts: nn.GRU(batch_first) forward and forward + backward on one batch, with
PyTorch's default floating-point mode and with subnormals flushed to zero (torch.set_flush_denormal(True)): the
gradients of a long recurrence decay into subnormals, which slow x86 arithmetic down by orders of magnitude, and
gruSequence flushes them.

Usage: python3 bench/gru_layer_torch.py B T D H threads iters warmup
"""
import sys
import time

import torch
import torch.nn as nn


def main():
    B, T, D, H, threads, iters, warmup = map(int, sys.argv[1:8])
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    gru = nn.GRU(D, H, batch_first=True)
    x = torch.rand(B, T, D) * 2 - 1
    x.requires_grad_()
    w = torch.rand(B, H) * 2 - 1

    def step():
        for p in gru.parameters():
            p.grad = None
        x.grad = None
        _, hn = gru(x)
        (hn[0] * w).sum().backward()

    def forward():
        with torch.no_grad():
            gru(x)

    def stats(xs):
        xs = sorted(xs)
        return f"{xs[0]:6.1f} / {xs[len(xs) // 2]:6.1f} ms"

    for flush in (True, False):
        torch.set_flush_denormal(flush)
        # the default mode takes seconds per step here: a short run says enough
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
        label = f"torch {torch.__version__} nn.GRU, sigmoid, full length, {'flush' if flush else 'keep'} subnormals"
        print(f"{label:<66} forward {stats(fw)}   forward+backward {stats(fb)}")


if __name__ == "__main__":
    main()
