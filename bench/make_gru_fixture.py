#!/usr/bin/env python3
"""Writes test/fixtures/gru_torch.json: PyTorch reference values for gruSequence.

Every case holds float32 inputs and weights in PyTorch's layout (weight_ih [3H, D], weight_hh [3H, H], gates r, z, n;
b_ih, b_hh), so gruSequence gets kernel = weight_ih^T, recurrentKernel = weight_hh^T, bias = b_ih and
recurrentBias = b_hh. It also holds the output, the final h, and the gradients of
    loss = sum(loss_output * output) + sum(loss_h * h_n)
w.r.t. the input, the weights, both biases, h0 and (where used) the masks. PyTorch computes in float64, so the
reference carries no float32 error.

Cases:
  - nn.GRU(batch_first=True) on a full batch;
  - nn.GRU on a right-padded batch through pack_padded_sequence (PyTorch pads the output with zeros where
    gruSequence repeats the carried h, so loss_output is zero on padded steps);
  - an explicit PyTorch loop of gruSequence's extended semantics (input / hidden / gate masks, hard sigmoid,
    left or right padding with lengths from 0 to T), as an independent autograd reference for them.

Usage: python3 bench/make_gru_fixture.py   (run from the repository root)
"""
import torch
import torch.nn as nn

from fixture_common import flat, output_loss_weights, run_batch_first, uniform, uniform_module, write_fixture


def dropout_like(*shape):
    # some exact zeros (a gate whose mask is 0 is the constant act(bias)), varied scales elsewhere
    keep = torch.rand(*shape) >= 0.25
    return uniform(*shape, lo=0.5, hi=1.5) * keep


def nn_gru_case(B, T, D, H, lengths=None):
    gru = uniform_module(nn.GRU, D, H)
    x = uniform(B, T, D).requires_grad_()
    h0 = uniform(1, B, H).requires_grad_()
    loss_output = output_loss_weights(B, T, H, lengths)
    loss_h = uniform(B, H)

    output, hn = run_batch_first(gru, x, h0, lengths)
    hn = hn[0]
    ((loss_output * output).sum() + (loss_h * hn).sum()).backward()
    return {
        "kind": "nn.GRU", "B": B, "T": T, "D": D, "H": H, "gateActivation": "sigmoid", "padding": "right",
        "lengths": lengths, "x": flat(x), "h0": flat(h0),
        "weight_ih": flat(gru.weight_ih_l0), "weight_hh": flat(gru.weight_hh_l0),
        "b_ih": flat(gru.bias_ih_l0), "b_hh": flat(gru.bias_hh_l0),
        "loss_output": flat(loss_output), "loss_h": flat(loss_h), "output": flat(output), "h": flat(hn),
        "grad_x": flat(x.grad), "grad_h0": flat(h0.grad),
        "grad_weight_ih": flat(gru.weight_ih_l0.grad), "grad_weight_hh": flat(gru.weight_hh_l0.grad),
        "grad_b_ih": flat(gru.bias_ih_l0.grad), "grad_b_hh": flat(gru.bias_hh_l0.grad),
    }


def masked_gru(x, weight_ih, weight_hh, b_ih, b_hh, h0, input_mask, hidden_mask, gate_mask, lengths, padding, act):
    """gruSequence's semantics written out step by step (row vectors, gates r, z, n)."""
    B, T, _ = x.shape
    H = weight_hh.shape[1]
    projected = (x * input_mask[:, None, :]) @ weight_ih.t()  # [B, T, 3H]
    lengths = torch.tensor(lengths)[:, None]
    h = h0
    outputs = []
    for t in range(T):
        hu = h @ weight_hh.t()
        xr, xz, xn = projected[:, t].split(H, dim=1)
        ur, uz, un = hu.split(H, dim=1)
        mr, mz, mn = gate_mask.split(H, dim=1)
        br, bz, bn = b_ih.split(H)
        bhr, bhz, bhn = b_hh.split(H)
        r = act((xr + ur) * mr + br + bhr)
        z = act((xz + uz) * mz + bz + bhz)
        n = torch.tanh((xn + r * (un + bhn)) * mn + bn)
        h_next = ((1 - z) * n + z * h) * hidden_mask
        real = t >= T - lengths if padding == "left" else t < lengths
        h = torch.where(real, h_next, h)
        outputs.append(h)
    return torch.stack(outputs, dim=1), h


def masked_case(B, T, D, H, lengths, padding, gate_activation):
    act = torch.sigmoid if gate_activation == "sigmoid" else (lambda a: torch.clamp(0.2 * a + 0.5, 0, 1))
    leaves = {
        "x": uniform(B, T, D, lo=-2, hi=2), "h0": uniform(B, H),
        "weight_ih": uniform(3 * H, D), "weight_hh": uniform(3 * H, H), "b_ih": uniform(3 * H), "b_hh": uniform(3 * H),
        "input_mask": dropout_like(B, D), "hidden_mask": dropout_like(B, H), "gate_mask": dropout_like(B, 3 * H),
    }
    for t in leaves.values():
        t.requires_grad_()
    loss_output = uniform(B, T, H)
    loss_h = uniform(B, H)
    output, hn = masked_gru(**leaves, lengths=lengths, padding=padding, act=act)
    ((loss_output * output).sum() + (loss_h * hn).sum()).backward()
    case = {"kind": "masked", "B": B, "T": T, "D": D, "H": H, "gateActivation": gate_activation, "padding": padding,
            "lengths": lengths}
    case.update({name: flat(t) for name, t in leaves.items()})
    case.update({"loss_output": flat(loss_output), "loss_h": flat(loss_h), "output": flat(output), "h": flat(hn)})
    case.update({f"grad_{name}": flat(t.grad) for name, t in leaves.items()})
    return case


def main():
    torch.manual_seed(0)
    cases = [
        nn_gru_case(3, 5, 4, 3),
        nn_gru_case(4, 6, 3, 2, lengths=[6, 3, 1, 4]),
        masked_case(4, 5, 3, 3, lengths=[5, 0, 2, 3], padding="left", gate_activation="hardSigmoid"),
        masked_case(3, 4, 2, 3, lengths=[1, 4, 0], padding="right", gate_activation="sigmoid"),
    ]
    write_fixture("gru_torch.json", "bench/make_gru_fixture.py", cases)

if __name__ == "__main__":
    main()
