import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tf } from '../../../src/engine/tf.js';
import { lstmSequence } from '../../../src/engine/ops/lstm_sequence.js';
import { getNumThreads, setNumThreads } from '../../../src/engine/threads.js';
import type { GateActivation, RnnSequenceOptions } from '../../../src/engine/ops/rnn_options.js';
import { maxRelError, nativeAvailable, randomArray, rng } from '../../helpers.js';

const skipNative = !nativeAvailable && 'native addon not built';

const OPTIONAL = ['h0', 'c0', 'inputMask', 'hiddenMask', 'gateMask'] as const;
type Optional = (typeof OPTIONAL)[number];
const WEIGHTS = ['x', 'kernel', 'recurrentKernel', 'bias'] as const;
type Param = (typeof WEIGHTS)[number] | Optional;
type LossTerm = 'output' | 'h' | 'c';

interface Case {
  B: number; T: number; D: number; H: number;
  act: GateActivation;
  padding: 'left' | 'right';
  returnSequences: boolean;
  lengths?: number[];
  optional: readonly Optional[];
  loss: readonly LossTerm[];
  /** Parameters and the loss weights: loss = sum(lossOutput * output) + sum(lossH * h) + sum(lossC * c). */
  data: Record<Param | 'lossOutput' | 'lossH' | 'lossC', Float32Array>;
}

interface Result {
  output: Float32Array; h: Float32Array; c: Float32Array;
  grads: Partial<Record<Param, Float32Array>>;
}

function shapeOf(c: Case, name: Param | 'lossOutput' | 'lossH' | 'lossC'): number[] {
  const { B, T, D, H } = c;
  const shapes = {
    x: [B, T, D], kernel: [D, 4 * H], recurrentKernel: [H, 4 * H], bias: [4 * H], h0: [B, H], c0: [B, H],
    inputMask: [B, D], hiddenMask: [B, H], gateMask: [B, 4 * H], lossOutput: c.returnSequences ? [B, T, H] : [B, H],
    lossH: [B, H], lossC: [B, H],
  };
  return shapes[name];
}

/** Masks look like dropout masks (some exact zeros) but with varied scales, so their gradients are informative. */
function makeCase(seed: number, spec: Omit<Case, 'data'>): Case {
  const rand = rng(seed);
  const c = { ...spec, data: {} } as Case;
  for (const name of [...WEIGHTS, ...OPTIONAL, 'lossOutput', 'lossH', 'lossC'] as const) {
    const n = shapeOf(c, name).reduce((p, d) => p * d, 1);
    const isMask = name.endsWith('Mask');
    const values = isMask ? randomArray(n, rand, 0.5, 1.5).map((v) => (rand() < 0.2 ? 0 : v)) : randomArray(n, rand, -1, 1);
    c.data[name] = name === 'x' ? values.map((v) => 2 * v) : values; // large enough inputs to saturate hard sigmoids
  }
  return c;
}

function lossOf(c: Case, r: { output: tf.Tensor; h: tf.Tensor; c: tf.Tensor }): tf.Scalar {
  const terms: tf.Tensor[] = [];
  if (c.loss.includes('output')) terms.push(tf.sum(tf.mul(r.output, tf.tensor(c.data.lossOutput, shapeOf(c, 'lossOutput')))));
  if (c.loss.includes('h')) terms.push(tf.sum(tf.mul(r.h, tf.tensor(c.data.lossH, shapeOf(c, 'lossH')))));
  if (c.loss.includes('c')) terms.push(tf.sum(tf.mul(r.c, tf.tensor(c.data.lossC, shapeOf(c, 'lossC')))));
  return tf.addN(terms) as tf.Scalar;
}

/** lstmSequence on `backend` (native -> the fused native path, cpu -> the plain tfjs path): outputs and gradients. */
async function runLstm(backend: 'native' | 'cpu', c: Case, gradsOf: readonly Param[] = [...WEIGHTS, ...c.optional]): Promise<Result> {
  await tf.setBackend(backend);
  let result: Result | undefined;
  // (the host arrays leave through a variable: tf.tidy would walk every element of a returned typed array)
  tf.tidy(() => {
    const call = (...params: tf.Tensor[]) => {
      const p = Object.fromEntries(gradsOf.map((name, k) => [name, params[k]])) as Partial<Record<Param, tf.Tensor>>;
      const t = (name: Param) => p[name] ?? tf.tensor(c.data[name], shapeOf(c, name));
      const options: RnnSequenceOptions = {
        gateActivation: c.act, padding: c.padding, returnSequences: c.returnSequences,
        lengths: c.lengths ? tf.tensor1d(c.lengths, 'int32') : undefined,
      };
      for (const name of c.optional) options[name] = t(name) as tf.Tensor2D;
      return lstmSequence(t('x') as tf.Tensor3D, t('kernel') as tf.Tensor2D, t('recurrentKernel') as tf.Tensor2D, t('bias') as tf.Tensor1D, options);
    };
    const params = gradsOf.map((name) => tf.tensor(c.data[name], shapeOf(c, name)));
    const r = call(...params);
    const grads = tf.grads((...ps: tf.Tensor[]) => lossOf(c, call(...ps)))(params);
    const host = (t: tf.Tensor) => Float32Array.from(t.dataSync());
    result = {
      output: host(r.output), h: host(r.h), c: host(r.c),
      grads: Object.fromEntries(gradsOf.map((name, k) => [name, host(grads[k])])),
    };
  });
  return result as Result;
}

function expectClose(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number): void {
  const err = maxRelError(actual, expected, rtol, atol);
  assert.ok(err <= 1, `${what}: off by ${err.toFixed(2)}x the tolerance (rtol ${rtol}, atol ${atol})`);
}

function describe(c: Case): string {
  return `${c.act} ${c.padding} seq=${c.returnSequences} lengths=${c.lengths ?? 'all'} with [${c.optional}] loss [${c.loss}]`;
}

const LOSS_COMBOS: LossTerm[][] = [['output'], ['h'], ['c'], ['output', 'h'], ['output', 'c'], ['h', 'c'], ['output', 'h', 'c']];

/** Every activation x padding x returnSequences, each with no options, all of them and a random subset. */
function agreementCases(): Case[] {
  const pick = rng(11);
  const cases: Case[] = [];
  for (const act of ['sigmoid', 'hardSigmoid'] as const) {
    for (const padding of ['left', 'right'] as const) {
      for (const returnSequences of [true, false]) {
        for (const optional of [[], OPTIONAL, OPTIONAL.filter(() => pick() < 0.5)]) {
          const k = cases.length;
          const lengths = k % 3 === 1 ? undefined : [5, 0, 2, 4 - (k % 2)];
          cases.push(makeCase(100 + k, { B: 4, T: 5, D: 3, H: 3, act, padding, returnSequences, lengths, optional, loss: LOSS_COMBOS[k % 7] }));
        }
      }
    }
  }
  return cases;
}

test('native lstmSequence matches the plain tfjs version: outputs and every gradient', { skip: skipNative }, async () => {
  for (const c of agreementCases()) {
    const nat = await runLstm('native', c);
    const plain = await runLstm('cpu', c);
    for (const key of ['output', 'h', 'c'] as const) expectClose(`${describe(c)}: ${key}`, nat[key], plain[key], 1e-4, 1e-6);
    for (const name of [...WEIGHTS, ...c.optional]) {
      expectClose(`${describe(c)}: d${name}`, nat.grads[name]!, plain.grads[name]!, 1e-4, 1e-6);
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
  const dot = (u: ArrayLike<number>, v: ArrayLike<number>) => Array.from(u).reduce((s, x, i) => s + x * v[i], 0);
  const loss = (c.loss.includes('output') ? dot(output, c.data.lossOutput) : 0)
    + (c.loss.includes('h') ? dot(hT, c.data.lossH) : 0) + (c.loss.includes('c') ? dot(cT, c.data.lossC) : 0);
  return { output, h: hT, c: cT, loss };
}

test('native and plain lstmSequence agree with a float64 reference and its central finite differences', async () => {
  const backends = nativeAvailable ? (['native', 'cpu'] as const) : (['cpu'] as const);
  let k = 0;
  for (const act of ['sigmoid', 'hardSigmoid'] as const) {
    for (const padding of ['left', 'right'] as const) {
      for (const optional of [[], OPTIONAL]) {
        const c = makeCase(300 + k, { B: 3, T: 4, D: 3, H: 2, act, padding, returnSequences: k % 2 === 0, lengths: [4, 0, 2], optional, loss: ['output', 'h', 'c'] });
        k++;
        const params = Object.fromEntries(Object.entries(c.data).map(([name, v]) => [name, Float64Array.from(v)])) as Record<Param, Float64Array>;
        const ref = reference64(c, params);
        for (const backend of backends) {
          const r = await runLstm(backend, c);
          for (const key of ['output', 'h', 'c'] as const) expectClose(`${backend} ${describe(c)}: ${key}`, r[key], ref[key], 1e-5, 1e-6);
          for (const name of [...WEIGHTS, ...optional]) {
            const values = params[name];
            const fd = values.map((v, i) => {
              const eps = 1e-6;
              values[i] = v + eps;
              const up = reference64(c, params).loss;
              values[i] = v - eps;
              const down = reference64(c, params).loss;
              values[i] = v;
              return (up - down) / (2 * eps);
            });
            expectClose(`${backend} ${describe(c)}: d${name} vs finite differences`, r.grads[name]!, fd, 1e-4, 1e-5);
          }
        }
      }
    }
  }
});

interface TorchCase {
  B: number; T: number; D: number; H: number;
  lengths: number[] | null;
  x: number[]; h0: number[]; c0: number[]; weight_ih: number[]; weight_hh: number[]; b_ih: number[]; b_hh: number[];
  loss_output: number[]; loss_h: number[]; loss_c: number[];
  output: number[]; h: number[]; c: number[];
  grad_x: number[]; grad_weight_ih: number[]; grad_weight_hh: number[]; grad_b_ih: number[]; grad_h0: number[]; grad_c0: number[];
}

/** Row-major transpose of a [rows, cols] matrix. */
function transpose(a: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let q = 0; q < cols; q++) out[q * rows + r] = a[r * cols + q];
  return out;
}

test('lstmSequence matches PyTorch nn.LSTM (batch_first, float64) on the fixture from bench/make_lstm_fixture.py', async () => {
  const fixture = JSON.parse(readFileSync(new URL('../../fixtures/lstm_torch.json', import.meta.url), 'utf8')) as { cases: TorchCase[] };
  const backends = nativeAvailable ? (['native', 'cpu'] as const) : (['cpu'] as const);
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
    const real = (t: number, b: number) => !f.lengths || t < f.lengths[b];
    const realSteps = (a: ArrayLike<number>) => Array.from(a).filter((_, i) => real(Math.floor(i / H) % T, Math.floor(i / (T * H))));
    for (const backend of backends) {
      const r = await runLstm(backend, c);
      const what = `${backend} B=${B} T=${T} lengths=${f.lengths ?? 'all'}`;
      expectClose(`${what}: output`, realSteps(r.output), realSteps(f.output), 1e-4, 1e-6);
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
  const backends = nativeAvailable ? (['native', 'cpu'] as const) : (['cpu'] as const);
  const c = makeCase(500, { B: 2, T: 0, D: 3, H: 2, act: 'sigmoid', padding: 'right', returnSequences: true, optional: ['h0', 'c0'], loss: ['output', 'h', 'c'] });
  for (const backend of backends) {
    const r = await runLstm(backend, c, ['h0', 'c0']);
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
    makeCase(600, { B: 17, T: 5, D: 3, H: 64, act: 'hardSigmoid', padding: 'left', returnSequences: true, lengths: [5, 0, 2, 3, 5, 1, 4, 5, 0, 2, 3, 5, 1, 4, 5, 5, 0], optional: OPTIONAL, loss: ['output', 'h', 'c'] }),
    // few rows with B*H above the step loop's parallel grain: each step's rows are split in unit blocks
    makeCase(601, { B: 3, T: 3, D: 4, H: 1379, act: 'sigmoid', padding: 'right', returnSequences: false, lengths: [3, 1, 2], optional: ['hiddenMask', 'gateMask'], loss: ['output', 'c'] }),
  ];
  const threads = getNumThreads();
  try {
    for (const c of cases) {
      setNumThreads(1);
      const serial = await runLstm('native', c);
      setNumThreads(2);
      const parallel = await runLstm('native', c);
      for (const key of ['output', 'h', 'c'] as const) expectClose(`${describe(c)}: ${key}`, parallel[key], serial[key], 1e-5, 1e-6);
      for (const name of [...WEIGHTS, ...c.optional]) expectClose(`${describe(c)}: d${name}`, parallel.grads[name]!, serial.grads[name]!, 1e-4, 1e-6);
    }
  } finally {
    setNumThreads(threads);
  }
});

test('bad arguments are rejected with the argument name and the expected shape', async () => {
  const backends = nativeAvailable ? (['native', 'cpu'] as const) : (['cpu'] as const);
  for (const backend of backends) {
    await tf.setBackend(backend);
    tf.tidy(() => {
      const x = tf.zeros([2, 3, 4]) as tf.Tensor3D;
      const kernel = tf.zeros([4, 20]) as tf.Tensor2D;
      const recurrent = tf.zeros([5, 20]) as tf.Tensor2D;
      const bias = tf.zeros([20]) as tf.Tensor1D;
      const call = (over: Partial<{ x: tf.Tensor; kernel: tf.Tensor; recurrent: tf.Tensor; bias: tf.Tensor }>, options: RnnSequenceOptions = {}) =>
        () => lstmSequence((over.x ?? x) as tf.Tensor3D, (over.kernel ?? kernel) as tf.Tensor2D, (over.recurrent ?? recurrent) as tf.Tensor2D, (over.bias ?? bias) as tf.Tensor1D, options);
      assert.throws(call({ x: tf.zeros([2, 3]) }), /x must have shape \[B, T, D\] \(rank 3\), got \[2, 3\]/);
      assert.throws(call({ kernel: tf.zeros([3, 20]) }), /kernel must have shape \[D, 4H\] = \[4, 20\], got \[3, 20\]/);
      assert.throws(call({ recurrent: tf.zeros([5, 16]) }), /recurrentKernel must have shape \[H, 4H\] = \[5, 20\], got \[5, 16\]/);
      assert.throws(call({ bias: tf.zeros([16]) }), /bias must have shape \[4H\] = \[20\], got \[16\]/);
      assert.throws(call({}, { h0: tf.zeros([2, 4]) }), /h0 must have shape \[B, H\] = \[2, 5\], got \[2, 4\]/);
      assert.throws(call({}, { c0: tf.zeros([3, 5]) }), /c0 must have shape \[B, H\] = \[2, 5\], got \[3, 5\]/);
      assert.throws(call({}, { inputMask: tf.zeros([2, 5]) }), /inputMask must have shape \[B, D\] = \[2, 4\], got \[2, 5\]/);
      assert.throws(call({}, { hiddenMask: tf.tensor1d([0, 0]) as tf.Tensor as tf.Tensor2D }), /hiddenMask must have shape \[B, H\] = \[2, 5\], got \[2\]/);
      assert.throws(call({}, { gateMask: tf.zeros([2, 5]) }), /gateMask must have shape \[B, 4H\] = \[2, 20\], got \[2, 5\]/);
      assert.throws(call({}, { lengths: tf.tensor1d([1, 2, 3], 'int32') }), /lengths must have shape \[B\] = \[2\], got \[3\]/);
      assert.throws(call({}, { lengths: tf.tensor1d([1, 4], 'int32') }), /lengths\[1\] = 4 is outside \[0, T = 3\]/);
      assert.throws(call({}, { lengths: tf.tensor1d([1, 2]) as tf.Tensor1D }), /lengths must be an int32/);
      assert.throws(call({ x: tf.zeros([2, 3, 4], 'int32') }), /x must be float32, got int32/);
    });
  }
});
