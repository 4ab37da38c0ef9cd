import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tf } from '../../../src/engine/tf.js';
import { lstmSequence } from '../../../src/engine/ops/lstm_sequence.js';
import type { RnnSequenceOptions } from '../../../src/engine/ops/rnn_options.js';
import { rng } from '../../helpers.js';
import {
  BACKENDS, VARIANTS, describeCase, dot, expectAgreementWithReference64, expectClose, makeCase, realSteps, runCell,
  runOnOneAndTwoThreads, sequenceOptions, skipNative, transpose, expectArgumentErrors, type RnnCase, type RnnCell,
} from './rnn_test_utils.js';

const OPTIONAL = ['h0', 'c0', 'inputMask', 'hiddenMask', 'gateMask'] as const;
type Optional = (typeof OPTIONAL)[number];
const WEIGHTS = ['x', 'kernel', 'recurrentKernel', 'bias'] as const;
type Param = (typeof WEIGHTS)[number] | Optional;
type LossTerm = 'output' | 'h' | 'c';
type Case = RnnCase<Param, Optional, LossTerm>;

const LSTM: RnnCell<Param, Optional, LossTerm> = {
  gates: 4, weights: WEIGHTS, optional: OPTIONAL, outputs: ['output', 'h', 'c'],
  apply: (c, t) => {
    const options = sequenceOptions(c);
    for (const name of c.optional) options[name] = t(name) as tf.Tensor2D;
    return lstmSequence(t('x') as tf.Tensor3D, t('kernel') as tf.Tensor2D, t('recurrentKernel') as tf.Tensor2D, t('bias') as tf.Tensor1D, options);
  },
};

const LOSS_COMBOS: LossTerm[][] = [['output'], ['h'], ['c'], ['output', 'h'], ['output', 'c'], ['h', 'c'], ['output', 'h', 'c']];

/** Every activation x padding x returnSequences, each with no options, all of them and a random subset. */
function agreementCases(): Case[] {
  const pick = rng(11);
  const cases: Case[] = [];
  for (const { act, padding, returnSequences } of VARIANTS) {
    for (const optional of [[], OPTIONAL, OPTIONAL.filter(() => pick() < 0.5)]) {
      const k = cases.length;
      const lengths = k % 3 === 1 ? undefined : [5, 0, 2, 4 - (k % 2)];
      cases.push(makeCase(LSTM, 100 + k, { B: 4, T: 5, D: 3, H: 3, act, padding, returnSequences, lengths, optional, loss: LOSS_COMBOS[k % 7] }));
    }
  }
  return cases;
}

test('native lstmSequence matches the plain tfjs version: outputs and every gradient', { skip: skipNative }, async () => {
  for (const c of agreementCases()) {
    const nat = await runCell(LSTM, 'native', c);
    const plain = await runCell(LSTM, 'cpu', c);
    for (const key of LSTM.outputs) expectClose(`${describeCase(c)}: ${key}`, nat[key], plain[key], 1e-4, 1e-6);
    for (const name of [...WEIGHTS, ...c.optional]) {
      expectClose(`${describeCase(c)}: d${name}`, nat.grads[name]!, plain.grads[name]!, 1e-4, 1e-6);
    }
  }
});

/** An independent float64 LSTM written from the spec, used for forward values and finite differences. */
function reference64(c: Case, p: Record<Param, Float64Array>): { output: Float64Array; h: Float64Array; c: Float64Array; loss: number } {
  const { B, T, D, H } = c;
  const G = 4 * H;
  const given = (name: Optional) => c.optional.includes(name);
  const act = c.act === 'sigmoid' ? (a: number) => 1 / (1 + Math.exp(-a)) : (a: number) => Math.min(1, Math.max(0, 0.2 * a + 0.5));
  const seq = new Float64Array(B * T * H), hT = new Float64Array(B * H), cT = new Float64Array(B * H);
  for (let b = 0; b < B; b++) {
    const h = new Float64Array(H), cell = new Float64Array(H);
    if (given('h0')) h.set(p.h0.subarray(b * H, (b + 1) * H));
    if (given('c0')) cell.set(p.c0.subarray(b * H, (b + 1) * H));
    const len = c.lengths ? c.lengths[b] : T;
    for (let t = 0; t < T; t++) {
      if (c.padding === 'left' ? t >= T - len : t < len) {
        const a = new Float64Array(G);
        for (let g = 0; g < G; g++) {
          let s = 0;
          for (let d = 0; d < D; d++) s += p.x[(b * T + t) * D + d] * (given('inputMask') ? p.inputMask[b * D + d] : 1) * p.kernel[d * G + g];
          for (let k = 0; k < H; k++) s += h[k] * p.recurrentKernel[k * G + g];
          a[g] = s * (given('gateMask') ? p.gateMask[b * G + g] : 1) + p.bias[g];
        }
        for (let j = 0; j < H; j++) {
          cell[j] = act(a[H + j]) * cell[j] + act(a[j]) * Math.tanh(a[2 * H + j]);
          h[j] = act(a[3 * H + j]) * Math.tanh(cell[j]) * (given('hiddenMask') ? p.hiddenMask[b * H + j] : 1);
        }
      }
      seq.set(h, (b * T + t) * H);
    }
    hT.set(h, b * H);
    cT.set(cell, b * H);
  }
  const output = c.returnSequences ? seq : hT;
  const loss = (c.loss.includes('output') ? dot(output, c.data.lossOutput) : 0)
    + (c.loss.includes('h') ? dot(hT, c.data.lossH) : 0) + (c.loss.includes('c') ? dot(cT, c.data.lossC) : 0);
  return { output, h: hT, c: cT, loss };
}

test('native and plain lstmSequence agree with a float64 reference and its central finite differences', () =>
  expectAgreementWithReference64(LSTM, reference64));

interface TorchCase {
  B: number; T: number; D: number; H: number;
  lengths: number[] | null;
  x: number[]; h0: number[]; c0: number[]; weight_ih: number[]; weight_hh: number[]; b_ih: number[]; b_hh: number[];
  loss_output: number[]; loss_h: number[]; loss_c: number[];
  output: number[]; h: number[]; c: number[];
  grad_x: number[]; grad_weight_ih: number[]; grad_weight_hh: number[]; grad_b_ih: number[]; grad_h0: number[]; grad_c0: number[];
}

test('lstmSequence matches PyTorch nn.LSTM (batch_first, float64) on the fixture from bench/make_lstm_fixture.py', async () => {
  const fixture = JSON.parse(readFileSync(new URL('../../fixtures/lstm_torch.json', import.meta.url), 'utf8')) as { cases: TorchCase[] };
  for (const f of fixture.cases) {
    const { B, T, D, H } = f;
    // PyTorch: weight_ih [4H, D] in i, f, g, o order and two biases; here kernel = weight_ih^T, bias = b_ih + b_hh.
    const c: Case = {
      B, T, D, H, act: 'sigmoid', padding: 'right', returnSequences: true, lengths: f.lengths ?? undefined,
      optional: ['h0', 'c0'], loss: ['output', 'h', 'c'],
      data: {
        x: Float32Array.from(f.x), kernel: transpose(f.weight_ih, 4 * H, D), recurrentKernel: transpose(f.weight_hh, 4 * H, H),
        bias: Float32Array.from(f.b_ih, (v, i) => v + f.b_hh[i]), h0: Float32Array.from(f.h0), c0: Float32Array.from(f.c0),
        inputMask: new Float32Array(0), hiddenMask: new Float32Array(0), gateMask: new Float32Array(0),
        lossOutput: Float32Array.from(f.loss_output), lossH: Float32Array.from(f.loss_h), lossC: Float32Array.from(f.loss_c),
      },
    };
    // PyTorch pads the output of a packed sequence with zeros where lstmSequence repeats the carried h:
    // compare real steps only (the fixture's loss weights are zero on the padded ones).
    for (const backend of BACKENDS) {
      const r = await runCell(LSTM, backend, c);
      const what = `${backend} B=${B} T=${T} lengths=${f.lengths ?? 'all'}`;
      expectClose(`${what}: output`, realSteps(r.output, T, H, f.lengths), realSteps(f.output, T, H, f.lengths), 1e-4, 1e-6);
      expectClose(`${what}: h`, r.h, f.h, 1e-4, 1e-6);
      expectClose(`${what}: c`, r.c, f.c, 1e-4, 1e-6);
      expectClose(`${what}: dx`, r.grads.x!, f.grad_x, 1e-4, 1e-6);
      expectClose(`${what}: dkernel`, r.grads.kernel!, transpose(f.grad_weight_ih, 4 * H, D), 1e-4, 1e-6);
      expectClose(`${what}: drecurrentKernel`, r.grads.recurrentKernel!, transpose(f.grad_weight_hh, 4 * H, H), 1e-4, 1e-6);
      expectClose(`${what}: dbias`, r.grads.bias!, f.grad_b_ih, 1e-4, 1e-6);
      expectClose(`${what}: dh0`, r.grads.h0!, f.grad_h0, 1e-4, 1e-6);
      expectClose(`${what}: dc0`, r.grads.c0!, f.grad_c0, 1e-4, 1e-6);
    }
  }
});

test('an empty sequence (T = 0) returns h0 and c0, and passes their gradients through', async () => {
  const c = makeCase(LSTM, 500, { B: 2, T: 0, D: 3, H: 2, act: 'sigmoid', padding: 'right', returnSequences: true, optional: ['h0', 'c0'], loss: ['output', 'h', 'c'] });
  for (const backend of BACKENDS) {
    const r = await runCell(LSTM, backend, c, ['h0', 'c0']);
    assert.equal(r.output.length, 0);
    expectClose(`${backend}: h`, r.h, c.data.h0, 0, 0);
    expectClose(`${backend}: c`, r.c, c.data.c0, 0, 0);
    expectClose(`${backend}: dh0`, r.grads.h0!, c.data.lossH, 0, 0);
    expectClose(`${backend}: dc0`, r.grads.c0!, c.data.lossC, 0, 0);
  }
});

test('the multi-threaded recurrence (batch slices, or row blocks of a step) matches the single-thread one', { skip: skipNative }, async () => {
  const cases = [
    // enough rows for one batch slice per thread (uneven slices, padded rows at the slice ends)
    makeCase(LSTM, 600, { B: 17, T: 5, D: 3, H: 64, act: 'hardSigmoid', padding: 'left', returnSequences: true, lengths: [5, 0, 2, 3, 5, 1, 4, 5, 0, 2, 3, 5, 1, 4, 5, 5, 0], optional: OPTIONAL, loss: ['output', 'h', 'c'] }),
    // few rows with B*H above the step loop's parallel grain: each step's rows are split in unit blocks
    makeCase(LSTM, 601, { B: 3, T: 3, D: 4, H: 1379, act: 'sigmoid', padding: 'right', returnSequences: false, lengths: [3, 1, 2], optional: ['hiddenMask', 'gateMask'], loss: ['output', 'c'] }),
  ];
  for (const c of cases) {
    const { serial, parallel } = await runOnOneAndTwoThreads(LSTM, c);
    for (const key of LSTM.outputs) expectClose(`${describeCase(c)}: ${key}`, parallel[key], serial[key], 1e-5, 1e-6);
    for (const name of [...WEIGHTS, ...c.optional]) expectClose(`${describeCase(c)}: d${name}`, parallel.grads[name]!, serial.grads[name]!, 1e-4, 1e-6);
  }
});

test('bad arguments are rejected with the argument name and the expected shape', () =>
  expectArgumentErrors<RnnSequenceOptions>(4, lstmSequence, (call) => {
    assert.throws(call({ kernel: tf.zeros([3, 20]) }), /kernel must have shape \[D, 4H\] = \[4, 20\], got \[3, 20\]/);
    assert.throws(call({ recurrent: tf.zeros([5, 16]) }), /recurrentKernel must have shape \[H, 4H\] = \[5, 20\], got \[5, 16\]/);
    assert.throws(call({ bias: tf.zeros([16]) }), /bias must have shape \[4H\] = \[20\], got \[16\]/);
    assert.throws(call({}, { c0: tf.zeros([3, 5]) }), /c0 must have shape \[B, H\] = \[2, 5\], got \[3, 5\]/);
    assert.throws(call({}, { gateMask: tf.zeros([2, 5]) }), /gateMask must have shape \[B, 4H\] = \[2, 20\], got \[2, 5\]/);
    assert.throws(call({}, { lengths: tf.tensor1d([1, 2]) as tf.Tensor1D }), /lengths must be an int32/);
    assert.throws(call({ x: tf.zeros([2, 3, 4], 'int32') }), /x must be float32, got int32/);
  }));
