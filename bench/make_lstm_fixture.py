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
import torch
import torch.nn as nn

from fixture_common import flat, output_loss_weights, run_batch_first, uniform, uniform_module, write_fixture


def make_case(B, T, D, H, lengths=None):
    lstm = uniform_module(nn.LSTM, D, H)
    x = uniform(B, T, D).requires_grad_()
    h0 = uniform(1, B, H).requires_grad_()
    c0 = uniform(1, B, H).requires_grad_()
    loss_output = output_loss_weights(B, T, H, lengths)
    loss_h = uniform(B, H)
    loss_c = uniform(B, H)

    output, (hn, cn) = run_batch_first(lstm, x, (h0, c0), lengths)
    hn, cn = hn[0], cn[0]
    loss = (loss_output * output).sum() + (loss_h * hn).sum() + (loss_c * cn).sum()
    loss.backward()
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
    write_fixture("lstm_torch.json", "bench/make_lstm_fixture.py", cases)


if __name__ == "__main__":
    main()
