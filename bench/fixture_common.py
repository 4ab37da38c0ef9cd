"""Pieces shared by the PyTorch fixture generators bench/make_lstm_fixture.py and bench/make_gru_fixture.py."""
import json
import os

import torch
import torch.nn as nn


def uniform(*shape, lo=-1.0, hi=1.0):
    # float32 values, so the JavaScript side starts from exactly the same numbers
    return (torch.rand(*shape, dtype=torch.float32) * (hi - lo) + lo).double()


def flat(t):
    return [float(f"{v:.9g}") for v in t.detach().reshape(-1).tolist()]


def uniform_module(module_class, D, H):
    """module_class(D, H, batch_first=True) (nn.LSTM, nn.GRU) in float64 with uniform float32 weights and biases."""
    module = module_class(D, H, batch_first=True).double()
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(uniform(*p.shape))
    return module


def output_loss_weights(B, T, H, lengths):
    """Uniform weights of the output sequence, zero on padded steps (PyTorch pads a packed output with zeros where
    the ops repeat the carried h)."""
    loss_output = uniform(B, T, H)
    if lengths is not None:
        for b, n in enumerate(lengths):
            loss_output[b, n:] = 0
    return loss_output


def run_batch_first(module, x, state, lengths):
    """module(x, state), through pack_padded_sequence when lengths are given (right padding; the output is padded
    back to x's T steps). Returns the output and the final state."""
    if lengths is None:
        return module(x, state)
    packed = nn.utils.rnn.pack_padded_sequence(x, torch.tensor(lengths), batch_first=True, enforce_sorted=False)
    out_packed, state_n = module(packed, state)
    output, _ = nn.utils.rnn.pad_packed_sequence(out_packed, batch_first=True, total_length=x.shape[1])
    return output, state_n


def write_fixture(file_name, generator, cases):
    """Writes test/fixtures/<file_name>: {generator, torch version, cases}."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures", file_name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump({"generator": generator, "torch": torch.__version__, "cases": cases}, f)
        f.write("\n")
    print(f"wrote {os.path.normpath(path)} ({os.path.getsize(path)} bytes)")
