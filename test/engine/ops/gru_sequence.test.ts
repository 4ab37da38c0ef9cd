import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tf } from '../../../src/engine/tf.js';
import { gruSequence, type GruSequenceOptions } from '../../../src/engine/ops/gru_sequence.js';
import { savedActivationPool } from '../../../src/engine/ops/buffer_pool.js';
import type { GateActivation } from '../../../src/engine/ops/rnn_options.js';
import { rng } from '../../helpers.js';
import {
  BACKENDS, VARIANTS, describeCase, dot, expectAgreementWithReference64, expectClose, makeCase, realSteps, runCell,
  runOnOneAndTwoThreads, scaledAtol, sequenceOptions, skipNative, transpose, expectArgumentErrors, type RnnCase, type RnnCell,
  type RnnResult,
} from './rnn_test_utils.js';

const OPTIONAL = ['recurrentBias', 'h0', 'inputMask', 'hiddenMask', 'gateMask'] as const;
type Optional = (typeof OPTIONAL)[number];
const WEIGHTS = ['x', 'kernel', 'recurrentKernel', 'bias'] as const;
type Param = (typeof WEIGHTS)[number] | Optional;
type LossTerm = 'output' | 'h';
type Case = RnnCase<Param, Optional, LossTerm>;

const GRU: RnnCell<Param, Optional, LossTerm> = {
  gates: 3, weights: WEIGHTS, optional: OPTIONAL, outputs: ['output', 'h'],
  apply: (c, t) => {
    const options: GruSequenceOptions = sequenceOptions(c);
    for (const name of c.optional) {
      if (name === 'recurrentBias') options.recurrentBias = t(name) as tf.Tensor1D;
      else options[name] = t(name) as tf.Tensor2D;
    }
    return gruSequence(t('x') as tf.Tensor3D, t('kernel') as tf.Tensor2D, t('recurrentKernel') as tf.Tensor2D, t('bias') as tf.Tensor1D, options);
  },
};

const LOSS_COMBOS: LossTerm[][] = [['output'], ['h'], ['output', 'h']];

/** Every activation x padding x returnSequences, each with no options, all of them, a random subset and one alone. */
function agreementCases(): Case[] {
  const pick = rng(21);
  const cases: Case[] = [];
  for (const { act, padding, returnSequences } of VARIANTS) {
    const single = [OPTIONAL[cases.length % OPTIONAL.length]];
    for (const optional of [[], OPTIONAL, OPTIONAL.filter(() => pick() < 0.5), single]) {
      const k = cases.length;
      // lengths from 0 to T, including T itself, or none
      const lengths = k % 4 === 1 ? undefined : [5, 0, 2, 4 - (k % 2)];
      cases.push(makeCase(GRU, 100 + k, { B: 4, T: 5, D: 3, H: 3, act, padding, returnSequences, lengths, optional, loss: LOSS_COMBOS[k % 3] }));
    }
    // Longer padded sequences: the native time-batched GEMMs then run per sequence over its real steps
    // (PerSequenceGemms in native/src/gru.cc), which short ones do not.
    const k = cases.length;
    cases.push(makeCase(GRU, 100 + k, {
      B: 6, T: 24, D: 3, H: 3, act, padding, returnSequences: !returnSequences, lengths: [24, 20, 0, 17, 22, 18],
      optional: k % 2 ? OPTIONAL : [], loss: ['output', 'h'],
    }));
  }
  return cases;
}

/** loss computed on the host from an inference forward's output and h. */
function hostLoss(c: Case, r: RnnResult<Param, LossTerm>): number {
  return (c.loss.includes('output') ? dot(r.output, c.data.lossOutput) : 0) + (c.loss.includes('h') ? dot(r.h, c.data.lossH) : 0);
}

test('native gruSequence matches the plain tfjs version: outputs and every gradient', { skip: skipNative }, async () => {
  for (const c of agreementCases()) {
    const nat = await runCell(GRU, 'native', c);
    const plain = await runCell(GRU, 'cpu', c);
    for (const key of GRU.outputs) expectClose(`${describeCase(c)}: ${key}`, nat[key], plain[key], 1e-4, scaledAtol(plain[key]));
    for (const name of [...WEIGHTS, ...c.optional]) {
      expectClose(`${describeCase(c)}: d${name}`, nat.grads[name]!, plain.grads[name]!, 1e-4, scaledAtol(plain.grads[name]!));
    }
    // the taped forward (which keeps what the backward needs) computes the same as the inference forward
    expectClose(`${describeCase(c)}: taped loss`, [nat.taped], [hostLoss(c, nat)], 1e-5, 1e-5);
  }
});

/** An independent float64 GRU written from the spec, used for forward values and finite differences. */
function reference64(c: Case, p: Record<Param, Float64Array>): { output: Float64Array; h: Float64Array; loss: number } {
  const { B, T, D, H } = c;
  const G = 3 * H;
  const given = (name: Optional) => c.optional.includes(name);
  const act = c.act === 'sigmoid' ? (a: number) => 1 / (1 + Math.exp(-a)) : (a: number) => Math.min(1, Math.max(0, 0.2 * a + 0.5));
  const seq = new Float64Array(B * T * H), hT = new Float64Array(B * H);
  for (let b = 0; b < B; b++) {
    const h = new Float64Array(H);
    if (given('h0')) h.set(p.h0.subarray(b * H, (b + 1) * H));
    const len = c.lengths ? c.lengths[b] : T;
    for (let t = 0; t < T; t++) {
      if (c.padding === 'left' ? t >= T - len : t < len) {
        const xw = new Float64Array(G), hu = new Float64Array(G);
        for (let g = 0; g < G; g++) {
          for (let d = 0; d < D; d++) xw[g] += p.x[(b * T + t) * D + d] * (given('inputMask') ? p.inputMask[b * D + d] : 1) * p.kernel[d * G + g];
          for (let k = 0; k < H; k++) hu[g] += h[k] * p.recurrentKernel[k * G + g];
        }
        const m = (g: number) => (given('gateMask') ? p.gateMask[b * G + g] : 1);
        const bh = (g: number) => (given('recurrentBias') ? p.recurrentBias[g] : 0);
        const next = new Float64Array(H);
        for (let j = 0; j < H; j++) {
          const r = act((xw[j] + hu[j]) * m(j) + p.bias[j] + bh(j));
          const z = act((xw[H + j] + hu[H + j]) * m(H + j) + p.bias[H + j] + bh(H + j));
          const n = Math.tanh((xw[2 * H + j] + r * (hu[2 * H + j] + bh(2 * H + j))) * m(2 * H + j) + p.bias[2 * H + j]);
          next[j] = ((1 - z) * n + z * h[j]) * (given('hiddenMask') ? p.hiddenMask[b * H + j] : 1);
        }
        h.set(next);
      }
      seq.set(h, (b * T + t) * H);
    }
    hT.set(h, b * H);
  }
  const output = c.returnSequences ? seq : hT;
  const loss = (c.loss.includes('output') ? dot(output, c.data.lossOutput) : 0) + (c.loss.includes('h') ? dot(hT, c.data.lossH) : 0);
  return { output, h: hT, loss };
}

test('native and plain gruSequence agree with a float64 reference and its central finite differences', () =>
  expectAgreementWithReference64(GRU, reference64));

/** One case of test/fixtures/gru_torch.json (PyTorch layout: weight_ih [3H, D], gates r, z, n; b_ih, b_hh). */
interface TorchCase {
  kind: 'nn.GRU' | 'masked';
  B: number; T: number; D: number; H: number;
  gateActivation: GateActivation;
  padding: 'left' | 'right';
  lengths: number[] | null;
  x: number[]; h0: number[]; weight_ih: number[]; weight_hh: number[]; b_ih: number[]; b_hh: number[];
  input_mask?: number[]; hidden_mask?: number[]; gate_mask?: number[];
  loss_output: number[]; loss_h: number[];
  output: number[]; h: number[];
  grad_x: number[]; grad_h0: number[]; grad_weight_ih: number[]; grad_weight_hh: number[]; grad_b_ih: number[]; grad_b_hh: number[];
  grad_input_mask?: number[]; grad_hidden_mask?: number[]; grad_gate_mask?: number[];
}

test('gruSequence matches PyTorch (nn.GRU batch_first, and a masked GRU loop; float64) on the fixture from bench/make_gru_fixture.py', async () => {
  const fixture = JSON.parse(readFileSync(new URL('../../fixtures/gru_torch.json', import.meta.url), 'utf8')) as { cases: TorchCase[] };
  assert.ok(fixture.cases.some((f) => f.kind === 'nn.GRU' && f.lengths === null));
  for (const f of fixture.cases) {
    const { B, T, D, H } = f;
    const masked = f.kind === 'masked';
    const optional: Optional[] = masked ? [...OPTIONAL] : ['recurrentBias', 'h0'];
    const none = new Float32Array(0);
    // kernel = weight_ih^T, recurrentKernel = weight_hh^T, bias = b_ih, recurrentBias = b_hh
    const c: Case = {
      B, T, D, H, act: f.gateActivation, padding: f.padding, returnSequences: true, lengths: f.lengths ?? undefined,
      optional, loss: ['output', 'h'],
      data: {
        x: Float32Array.from(f.x), kernel: transpose(f.weight_ih, 3 * H, D), recurrentKernel: transpose(f.weight_hh, 3 * H, H),
        bias: Float32Array.from(f.b_ih), recurrentBias: Float32Array.from(f.b_hh), h0: Float32Array.from(f.h0),
        inputMask: f.input_mask ? Float32Array.from(f.input_mask) : none,
        hiddenMask: f.hidden_mask ? Float32Array.from(f.hidden_mask) : none,
        gateMask: f.gate_mask ? Float32Array.from(f.gate_mask) : none,
        lossOutput: Float32Array.from(f.loss_output), lossH: Float32Array.from(f.loss_h),
      },
    };
    // PyTorch pads the output of a packed sequence with zeros where gruSequence repeats the carried h: compare real
    // steps only there (the fixture's loss weights are zero on the padded ones). The masked loop carries h like we do.
    const compared = masked ? null : f.lengths;
    for (const backend of BACKENDS) {
      const r = await runCell(GRU, backend, c);
      const what = `${backend} ${f.kind} ${f.gateActivation} ${f.padding} lengths=${f.lengths ?? 'all'}`;
      const expect = (name: string, actual: ArrayLike<number>, expected: ArrayLike<number>) => expectClose(`${what}: ${name}`, actual, expected, 1e-4, 1e-6);
      expect('output', realSteps(r.output, T, H, compared), realSteps(f.output, T, H, compared));
      expect('h', r.h, f.h);
      expect('dx', r.grads.x!, f.grad_x);
      expect('dkernel', r.grads.kernel!, transpose(f.grad_weight_ih, 3 * H, D));
      expect('drecurrentKernel', r.grads.recurrentKernel!, transpose(f.grad_weight_hh, 3 * H, H));
      expect('dbias', r.grads.bias!, f.grad_b_ih);
      expect('drecurrentBias', r.grads.recurrentBias!, f.grad_b_hh);
      expect('dh0', r.grads.h0!, f.grad_h0);
      if (masked) {
        expect('dinputMask', r.grads.inputMask!, f.grad_input_mask!);
        expect('dhiddenMask', r.grads.hiddenMask!, f.grad_hidden_mask!);
        expect('dgateMask', r.grads.gateMask!, f.grad_gate_mask!);
      }
    }
  }
});

test('buffers reused from the pool with stale contents do not leak into results', { skip: skipNative }, async () => {
  // padded steps leave parts of the saved buffers unwritten: fill the pool with NaN of the sizes the op takes
  for (const c of [
    makeCase(GRU, 700, { B: 4, T: 5, D: 3, H: 3, act: 'hardSigmoid', padding: 'left', returnSequences: false, lengths: [5, 0, 2, 3], optional: OPTIONAL, loss: ['h'] }),
    makeCase(GRU, 701, { B: 6, T: 24, D: 3, H: 3, act: 'sigmoid', padding: 'right', returnSequences: false, lengths: [24, 20, 0, 17, 22, 18], optional: OPTIONAL, loss: ['h'] }),
  ]) {
    const plain = await runCell(GRU, 'cpu', c);
    for (const n of [c.B * c.T * c.H, c.B * c.T * 3 * c.H]) {
      for (let k = 0; k < 2; k++) savedActivationPool.give(new Float32Array(n).fill(NaN));
    }
    const nat = await runCell(GRU, 'native', c);
    expectClose(`${describeCase(c)}: h`, nat.h, plain.h, 1e-4, scaledAtol(plain.h));
    for (const name of [...WEIGHTS, ...c.optional]) {
      expectClose(`${describeCase(c)}: d${name}`, nat.grads[name]!, plain.grads[name]!, 1e-4, scaledAtol(plain.grads[name]!));
    }
  }
});

test('an empty sequence (T = 0) returns h0 and passes its gradient through', async () => {
  for (const returnSequences of [true, false]) {
    const c = makeCase(GRU, 500, { B: 2, T: 0, D: 3, H: 2, act: 'sigmoid', padding: 'right', returnSequences, lengths: [0, 0], optional: ['h0'], loss: ['output', 'h'] });
    for (const backend of BACKENDS) {
      const r = await runCell(GRU, backend, c, ['h0']);
      expectClose(`${backend}: h`, r.h, c.data.h0, 0, 0);
      const dh0 = returnSequences ? c.data.lossH : c.data.lossH.map((v, i) => v + c.data.lossOutput[i]);
      expectClose(`${backend}: dh0`, r.grads.h0!, dh0, 1e-6, 1e-7);
      assert.equal(r.output.length, returnSequences ? 0 : c.B * c.H);
    }
  }
});

test('the batch-sliced native recurrence on several threads matches one thread', { skip: skipNative }, async () => {
  // big enough for SequenceSlices to split the batch over two threads; with lengths the time-batched GEMMs run per
  // sequence (PerSequenceGemms), without them over whole slices
  const spec = { B: 16, T: 24, D: 24, H: 24, returnSequences: true, optional: OPTIONAL, loss: ['output', 'h'] } as const;
  const cases = [
    makeCase(GRU, 600, { ...spec, act: 'hardSigmoid', padding: 'left', lengths: Array.from({ length: 16 }, (_, b) => 12 + ((b * 5) % 13)) }),
    makeCase(GRU, 601, { ...spec, act: 'sigmoid', padding: 'right' }),
  ];
  for (const c of cases) {
    const { serial, parallel } = await runOnOneAndTwoThreads(GRU, c);
    // the weight gradients are summed in another order (per slice, then across): with masks above 1 over 24 steps
    // they reach thousands, and their small elements match to float32 rounding of that scale
    for (const key of GRU.outputs) expectClose(`${describeCase(c)}: ${key}`, parallel[key], serial[key], 1e-5, scaledAtol(serial[key]));
    for (const name of [...WEIGHTS, ...c.optional]) {
      expectClose(`${describeCase(c)}: d${name}`, parallel.grads[name]!, serial.grads[name]!, 1e-4, scaledAtol(serial.grads[name]!, 1e-5));
    }
  }
});

test('bad arguments are rejected with the argument name and the expected shape; c0 is refused', () =>
  expectArgumentErrors<GruSequenceOptions>(3, gruSequence, (call) => {
    assert.throws(call({ kernel: tf.zeros([3, 15]) }), /kernel must have shape \[D, 3H\] = \[4, 15\], got \[3, 15\]/);
    assert.throws(call({ recurrent: tf.zeros([5, 20]) }), /recurrentKernel must have shape \[H, 3H\] = \[5, 15\], got \[5, 20\]/);
    assert.throws(call({ bias: tf.zeros([20]) }), /bias must have shape \[3H\] = \[15\], got \[20\]/);
    assert.throws(call({}, { recurrentBias: tf.zeros([20]) as tf.Tensor1D }), /recurrentBias must have shape \[3H\] = \[15\], got \[20\]/);
    assert.throws(call({}, { c0: tf.zeros([2, 5]) }), /gruSequence: c0 .*cell state/);
    assert.throws(call({}, { gateMask: tf.zeros([2, 20]) }), /gateMask must have shape \[B, 3H\] = \[2, 15\], got \[2, 20\]/);
    assert.throws(call({}, { recurrentBias: tf.zeros([15], 'int32') as tf.Tensor1D }), /recurrentBias must be float32, got int32/);
  }));
