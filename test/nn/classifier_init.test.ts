import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { gateBlocksInit, glorotUniformInit, lstmBiasInit, orthogonalInit, uniformInit } from '../../src/nn/init.js';
import { SparseTextClassifier } from '../../src/nn/sparse_text_classifier.js';
import { SparseVD } from '../../src/nn/bayes/sparse_vd.js';
import { BayesianDense } from '../../src/nn/bayes/bayesian_dense.js';
import '../helpers.js';
import { values } from './bayes/bayes_test_utils.js';
import type { PrunableTensor } from '../../src/nn/bayes/prunable_tensor.js';

/** Column block [rows, width] starting at column `start` of a row-major [rows, cols] matrix. */
function columns(m: number[], cols: number, start: number, width: number): number[] {
  const rows = m.length / cols, out: number[] = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < width; c++) out.push(m[r * cols + start + c]);
  return out;
}

/** Asserts A^T A = gain^2 I for a row-major [rows, cols] matrix (orthogonal columns of norm gain). */
function assertOrthogonalColumns(a: number[], cols: number, gain: number, what: string): void {
  const rows = a.length / cols;
  for (let i = 0; i < cols; i++) {
    for (let j = 0; j < cols; j++) {
      let dot = 0;
      for (let r = 0; r < rows; r++) dot += a[r * cols + i] * a[r * cols + j];
      const expected = i === j ? 1 : 0;
      assert.ok(Math.abs(dot / gain ** 2 - expected) < 1e-4, `${what}: (W^T W)[${i},${j}] / gain^2 = ${dot / gain ** 2}`);
    }
  }
}

function transpose(a: number[], rows: number, cols: number): number[] {
  return Array.from({ length: a.length }, (_, k) => a[(k % rows) * cols + Math.floor(k / rows)]);
}

/** Uniform sample on (-bound, bound): inside it, reaching near its ends, mean ~0 and variance ~bound^2 / 3. */
function assertUniform(sample: number[], bound: number, what: string): void {
  const n = sample.length;
  assert.ok(sample.every((x) => Math.abs(x) <= bound), `${what}: a value outside +-${bound}`);
  assert.ok(Math.max(...sample.map(Math.abs)) > 0.9 * bound, `${what}: does not fill +-${bound}`);
  const mean = sample.reduce((s, x) => s + x, 0) / n;
  const variance = sample.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1);
  const expected = bound ** 2 / 3;
  assert.ok(Math.abs(mean) < 5 * Math.sqrt(expected / n), `${what}: mean ${mean}`);
  // Var of a U(-b, b) sample variance is ~ (4/45) b^4 / n.
  assert.ok(Math.abs(variance - expected) < 5 * Math.sqrt(4 / 45 / n) * bound ** 2, `${what}: variance ${variance} vs ${expected}`);
}

test('glorotUniformInit: U(-sqrt(6 / (fanIn + fanOut)), +) with uniform moments', () => {
  assertUniform(values(glorotUniformInit([30, 50], 1)), Math.sqrt(6 / 80), 'glorot [30, 50]');
  assertUniform(values(glorotUniformInit([200, 4], 2)), Math.sqrt(6 / 204), 'glorot [200, 4]');
});

test('orthogonalInit: W^T W = gain^2 I (tall or square), W W^T = gain^2 I (wide)', () => {
  assertOrthogonalColumns(values(orthogonalInit([6, 6], 1.1, 3)), 6, 1.1, 'square');
  assertOrthogonalColumns(values(orthogonalInit([9, 4], 1, 4)), 4, 1, 'tall');
  assertOrthogonalColumns(transpose(values(orthogonalInit([3, 10], 2, 5)), 3, 10), 3, 2, 'wide');
  // Square: the rows are orthonormal too.
  assertOrthogonalColumns(transpose(values(orthogonalInit([7, 7], 1, 6)), 7, 7), 7, 1, 'square rows');
});

test('initialisers are deterministic per seed and differ across seeds', () => {
  const makers: [string, (seed: number) => tf.Tensor][] = [
    ['uniform', (s) => uniformInit([5, 6], 0.05, s)],
    ['glorot', (s) => glorotUniformInit([5, 6], s)],
    ['orthogonal', (s) => orthogonalInit([6, 6], 1.1, s)],
    ['gate blocks', (s) => gateBlocksInit(4, (b) => orthogonalInit([3, 3], 1, b), s)],
  ];
  for (const [name, make] of makers) {
    assert.deepEqual(values(make(11)), values(make(11)), `${name}: same seed`);
    assert.notDeepEqual(values(make(11)), values(make(12)), `${name}: different seeds`);
  }
});

test('gateBlocksInit draws each gate block independently; lstmBiasInit sets only the forget block', () => {
  const H = 3;
  const w = values(gateBlocksInit(4, (s) => orthogonalInit([H, H], 1.1, s), 21));
  assert.equal(w.length, H * 4 * H);
  const blocks = [0, 1, 2, 3].map((k) => columns(w, 4 * H, k * H, H));
  blocks.forEach((b, k) => assertOrthogonalColumns(b, H, 1.1, `block ${k}`));
  assert.notDeepEqual(blocks[0], blocks[1]);
  assert.deepEqual(values(lstmBiasInit(H, 1)), [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
});

const V = 12, E = 5, H = 4, C = 3;

/** The plain value of a parameter or a SparseVD mean. */
function mean(p: PrunableTensor | tf.Variable): number[] {
  return Array.from((p instanceof tf.Variable ? p : p.theta).dataSync());
}

test("SparseTextClassifier init 'spec' (the default) follows §6.3 for SparseVD and plain weights", () => {
  for (const preset of ['sparsevd', 'dense', 'w+g+n'] as const) {
    const model = new SparseTextClassifier(V, E, H, C, preset, { seed: 31 });
    const embedding = mean(model.embedding.table);
    assert.ok(embedding.every((x) => Math.abs(x) <= 0.05) && Math.max(...embedding.map(Math.abs)) > 0.04, `${preset}: embedding`);
    const wx = mean(model.lstm.kernel), wh = mean(model.lstm.recurrentKernel);
    assert.ok(wx.every((x) => Math.abs(x) <= Math.sqrt(6 / (E + H))), `${preset}: W_x within the per-gate Glorot bound`);
    for (let k = 0; k < 4; k++) assertOrthogonalColumns(columns(wh, 4 * H, k * H, H), H, 1.1, `${preset}: W_h gate ${k}`);
    const bias = Array.from(model.lstm.bias.dataSync());
    assert.deepEqual(bias, Array.from({ length: 4 * H }, (_, i) => (i >= H && i < 2 * H ? 1 : 0)), `${preset}: bias`);
    const out = mean('weight' in model.output ? model.output.weight : model.output.kernel);
    assert.ok(out.every((x) => Math.abs(x) <= Math.sqrt(6 / (H + C))), `${preset}: output within the Glorot bound`);
    assert.deepEqual(Array.from(model.output.bias.dataSync()), [0, 0, 0], `${preset}: output bias`);
    for (const [name, p] of model.namedParameters()) {
      if (/[lL]ogSigma$/.test(name)) assert.ok(p.dataSync().every((x) => x === -3), `${preset}: ${name} stays -3`);
    }
    model.dispose();
  }
});

test("SparseTextClassifier init: same seed gives the same parameters; 'pytorch' keeps the layers' defaults", () => {
  const params = (init: 'spec' | 'pytorch' | undefined, seed: number): number[][] => {
    const model = new SparseTextClassifier(V, E, H, C, 'sparsevd', init ? { seed, init } : { seed });
    const out = model.parameters().map((p) => Array.from(p.dataSync()));
    model.dispose();
    return out;
  };
  assert.deepEqual(params('spec', 41), params('spec', 41));
  assert.deepEqual(params(undefined, 41), params('spec', 41));
  assert.notDeepEqual(params('spec', 41), params('spec', 42));
  const pytorch = new SparseTextClassifier(V, E, H, C, 'sparsevd', { seed: 41, init: 'pytorch' });
  const bias = Array.from(pytorch.lstm.bias.dataSync());
  const bound = 1 / Math.sqrt(H);
  assert.ok(bias.every((b) => Math.abs(b) <= bound) && bias.some((b) => b !== 0 && b !== 1), 'PyTorch U(-1/sqrt(H), +) bias');
  assert.ok(mean(pytorch.embedding.table).some((x) => Math.abs(x) > 0.05), 'PyTorch N(0, 1) embedding');
  pytorch.dispose();
});
