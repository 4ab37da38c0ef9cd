#!/usr/bin/env python3
"""PyTorch side of bench/lstm_sequence_timing.ts: nn.LSTM (batch_first) forward + backward on the same shapes and
losses (sum of the output sequence, or of the final h for the classifier), 2 threads. Quick and noisy on a shared
machine: it prints the minimum of a few runs.

Usage: python3 bench/lstm_sequence_timing.py [reps]
"""
import sys
import time

import torch

SHAPES = [  # name, B, T, D, H, loss on the whole sequence (else on the final h)
    ("imdb", 128, 200, 300, 128, False),  # gradients fade to subnormals through 200 steps: slow on x86
    ("imdb-all-steps", 128, 200, 300, 128, True),
    ("char-lm", 64, 100, 50, 1000, True),
    ("word-lm", 32, 35, 256, 256, True),
]


def main():
    reps = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    torch.set_num_threads(2)
    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads")
    for name, B, T, D, H, whole in SHAPES:
        lstm = torch.nn.LSTM(D, H, batch_first=True)
        x = (torch.rand(B, T, D) * 2 - 1).requires_grad_()

        def step():
            out, (h, _) = lstm(x)
            (out if whole else h).sum().backward()

        def forward():
            with torch.no_grad():
                lstm(x)

        total, fwd = [], []
        for r in range(reps + 1):  # r = 0 warms up
            t0 = time.perf_counter()
            forward()
            t1 = time.perf_counter()
            step()
            t2 = time.perf_counter()
            if r > 0:
                fwd.append(t1 - t0)
                total.append(t2 - t1)
        print(f"{name} B={B} T={T} D={D} H={H}: fwd+bwd min {min(total) * 1e3:.1f} ms, fwd {min(fwd) * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
