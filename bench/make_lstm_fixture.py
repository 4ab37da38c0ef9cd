#!/usr/bin/env python3
"""Writes test/fixtures/lstm_torch.json: PyTorch nn.LSTM (batch_first) reference values for lstmSequence.

Each case holds float32 inputs and weights (PyTorch layout: weight_ih [4H, D], weight_hh [4H, H], gates i, f, g, o;
two biases), the output and final h, c, and the gradients of
    loss = sum(loss_output * output) + sum(loss_h * h_n) + sum(loss_c * c_n)
w.r.t. the input, the weights, h0 and c0. PyTorch computes in float64 so the reference carries no float32 error.
The second case has per-sequence lengths (right padding, through pack_padded_sequence): PyTorch pads the output
with zeros where lstmSequence repeats the carried h, so loss_output is zero on padded steps.

Usage: python3 bench/make_lstm_fixture.py   (run from the repository root)
"""
import json
import os

import torch
import torch.nn as nn


def uniform(*shape):
    # float32 values, so the JavaScript side starts from exactly the same numbers
    return (torch.rand(*shape, dtype=torch.float32) * 2 - 1).double()


def make_case(B, T, D, H, lengths=None):
    lstm = nn.LSTM(D, H, batch_first=True).double()
    with torch.no_grad():
        for p in lstm.parameters():
            p.copy_(uniform(*p.shape))
    x = uniform(B, T, D).requires_grad_()
    h0 = uniform(1, B, H).requires_grad_()
    c0 = uniform(1, B, H).requires_grad_()
    loss_output = uniform(B, T, H)
    if lengths is not None:
        for b, n in enumerate(lengths):
            loss_output[b, n:] = 0
    loss_h = uniform(B, H)
    loss_c = uniform(B, H)

    if lengths is None:
        output, (hn, cn) = lstm(x, (h0, c0))
    else:
        packed = nn.utils.rnn.pack_padded_sequence(x, torch.tensor(lengths), batch_first=True, enforce_sorted=False)
        out_packed, (hn, cn) = lstm(packed, (h0, c0))
        output, _ = nn.utils.rnn.pad_packed_sequence(out_packed, batch_first=True, total_length=T)
    hn, cn = hn[0], cn[0]
    loss = (loss_output * output).sum() + (loss_h * hn).sum() + (loss_c * cn).sum()
    loss.backward()

    def flat(t):
        return [float(f"{v:.9g}") for v in t.detach().reshape(-1).tolist()]

    return {
        "B": B, "T": T, "D": D, "H": H, "lengths": lengths,
        "x": flat(x), "h0": flat(h0), "c0": flat(c0),
        "weight_ih": flat(lstm.weight_ih_l0), "weight_hh": flat(lstm.weight_hh_l0),
        "b_ih": flat(lstm.bias_ih_l0), "b_hh": flat(lstm.bias_hh_l0),
        "loss_output": flat(loss_output), "loss_h": flat(loss_h), "loss_c": flat(loss_c),
        "output": flat(output), "h": flat(hn), "c": flat(cn),
        "grad_x": flat(x.grad), "grad_weight_ih": flat(lstm.weight_ih_l0.grad),
        "grad_weight_hh": flat(lstm.weight_hh_l0.grad), "grad_b_ih": flat(lstm.bias_ih_l0.grad),
        "grad_h0": flat(h0.grad), "grad_c0": flat(c0.grad),
    }


def main():
    torch.manual_seed(0)
    cases = [make_case(3, 5, 4, 3), make_case(4, 6, 3, 2, lengths=[6, 3, 1, 4])]
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", "lstm_torch.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump({"generator": "bench/make_lstm_fixture.py", "torch": torch.__version__, "cases": cases}, f)
        f.write("\n")
    print(f"wrote {os.path.normpath(path)} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
