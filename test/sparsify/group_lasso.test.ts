import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import '../helpers.js';
import { randomArray, rng } from '../helpers.js';
import { presetConfig } from '../../src/sparsify/presets.js';
import {
  gateCount, groupLassoLayout, type ClassifierTensorName, type ClassifierTensorSet, type GroupKind, type RecurrentClassifierShape,
} from '../../src/sparsify/group_lasso_layout.js';
import { groupLassoPenalty, groupNorms, proximalGroupStep, type ClassifierWeights } from '../../src/sparsify/group_lasso.js';
import { groupPruning } from '../../src/sparsify/group_lasso_pruning.js';
import { deriveLstmStructure } from '../../src/sparsify/structure.js';
import { deriveGruStructure } from '../../src/sparsify/gru_structure.js';

// Host model of the groups, written from the spec's definitions (element lists), independent of the tf code.
type Host = ClassifierTensorSet<{ rows: number; cols: number; values: Float32Array }>;
type Member = [ClassifierTensorName, number, number];

function shapeOf(cell: 'lstm' | 'gru', V = 5, D = 3, H = 2, C = 2): RecurrentClassifierShape {
  return { vocabSize: V, inputSize: D, hiddenSize: H, outputSize: C, gates: gateCount(cell) };
}

function randomHost(s: RecurrentClassifierShape, seed: number): Host {
  const r = rng(seed);
  const GH = s.gates * s.hiddenSize;
  const t = (rows: number, cols: number): { rows: number; cols: number; values: Float32Array } => ({ rows, cols, values: randomArray(rows * cols, r) });
  return {
    embedding: t(s.vocabSize, s.inputSize), inputWeights: t(s.inputSize, GH),
    hiddenWeights: t(s.hiddenSize, GH), outputWeights: t(s.hiddenSize, s.outputSize),
  };
}

function members(s: RecurrentClassifierShape, kind: GroupKind, g: number): Member[] {
  const GH = s.gates * s.hiddenSize, out: Member[] = [];
  if (kind === 'vocabulary') for (let c = 0; c < s.inputSize; c++) out.push(['embedding', g, c]);
  if (kind === 'inputs') for (let c = 0; c < GH; c++) out.push(['inputWeights', g, c]);
  if (kind === 'hidden') {
    for (let c = 0; c < GH; c++) out.push(['hiddenWeights', g, c]);
    for (let c = 0; c < s.outputSize; c++) out.push(['outputWeights', g, c]);
  }
  if (kind === 'gates') {
    for (let r = 0; r < s.inputSize; r++) out.push(['inputWeights', r, g]);
    for (let r = 0; r < s.hiddenSize; r++) out.push(['hiddenWeights', r, g]);
  }
  return out;
}

const COUNTS = (s: RecurrentClassifierShape): Record<GroupKind, number> =>
  ({ vocabulary: s.vocabSize, inputs: s.inputSize, hidden: s.hiddenSize, gates: s.gates * s.hiddenSize });

function hostNorm(h: Host, list: Member[]): number {
  return Math.sqrt(list.reduce((acc, [t, r, c]) => acc + h[t].values[r * h[t].cols + c] ** 2, 0));
}

function hostPenalty(h: Host, s: RecurrentClassifierShape, kinds: GroupKind[], lambda: number, eps: number): number {
  let total = 0;
  for (const kind of kinds) {
    for (let g = 0; g < COUNTS(s)[kind]; g++) {
      const list = members(s, kind, g);
      total += Math.sqrt(list.length) * Math.sqrt(hostNorm(h, list) ** 2 + eps);
    }
  }
  return lambda * total;
}

function toTf(h: Host): ClassifierWeights {
  const t = (x: Host[ClassifierTensorName]): tf.Tensor2D => tf.tensor2d(x.values, [x.rows, x.cols]);
  return { embedding: t(h.embedding), inputWeights: t(h.inputWeights), hiddenWeights: t(h.hiddenWeights), outputWeights: t(h.outputWeights) };
}

function disposeAll(w: ClassifierWeights): void {
  for (const t of Object.values(w)) t.dispose();
}

const ALL: GroupKind[] = ['vocabulary', 'inputs', 'hidden', 'gates'];

test('presets choose the groups and the magnitude-pruned tensors as the Bayesian presets do', () => {
  const s = shapeOf('lstm');
  const kinds = (preset: string): GroupKind[] => ALL.filter((k) => groupLassoLayout(s, presetConfig(preset)).groups[k]);
  assert.deepEqual(kinds('sparsevd'), []);
  assert.deepEqual(kinds('sparsevd-voc'), ['vocabulary']);
  assert.deepEqual(kinds('w+n'), ['vocabulary', 'inputs', 'hidden']);
  assert.deepEqual(kinds('w+g+n'), ALL);
  assert.deepEqual(groupLassoLayout(s, presetConfig('w+g+n')).magnitude, { embedding: true, inputWeights: true, hiddenWeights: true, outputWeights: true });
  assert.deepEqual(groupLassoLayout(s, presetConfig('dense')).magnitude, { embedding: false, inputWeights: false, hiddenWeights: false, outputWeights: false });
  assert.throws(() => groupLassoLayout({ ...s, hiddenSize: 0 }, presetConfig('w+n')), /shape\.hiddenSize must be a positive integer, got 0/);
});

for (const cell of ['lstm', 'gru'] as const) {
  test(`${cell}: the penalty equals lambda * sum sqrt(|g|) sqrt(||W_g||^2 + eps), computed by hand, for each preset`, () => {
    const s = shapeOf(cell);
    const h = randomHost(s, 11);
    const w = toTf(h);
    for (const [preset, kinds] of [['sparsevd', []], ['sparsevd-voc', ['vocabulary']], ['w+n', ['vocabulary', 'inputs', 'hidden']], ['w+g+n', ALL]] as const) {
      const layout = groupLassoLayout(s, presetConfig(preset));
      for (const eps of [1e-10, 0.01]) {
        const p = groupLassoPenalty(w, layout, 0.3, eps);
        const expected = hostPenalty(h, s, [...kinds], 0.3, eps);
        assert.ok(Math.abs(p.dataSync()[0] - expected) <= 1e-5 * Math.max(1, expected), `${preset} eps ${eps}: ${p.dataSync()[0]} vs ${expected}`);
        p.dispose();
      }
    }
    disposeAll(w);
  });
}

test('the penalty gradient matches central finite differences, and is finite (zero) on an all-zero group', () => {
  const s = shapeOf('lstm', 3, 2, 2, 2);
  const h = randomHost(s, 5);
  h.embedding.values.fill(0, 0, s.inputSize); // word 0: an all-zero group
  const layout = groupLassoLayout(s, presetConfig('w+g+n'));
  const lambda = 0.7, eps = 1e-6;
  const w = toTf(h);
  const names: ClassifierTensorName[] = ['embedding', 'inputWeights', 'hiddenWeights', 'outputWeights'];
  const grads = tf.grads((e: tf.Tensor, x: tf.Tensor, hh: tf.Tensor, o: tf.Tensor) => groupLassoPenalty(
    { embedding: e as tf.Tensor2D, inputWeights: x as tf.Tensor2D, hiddenWeights: hh as tf.Tensor2D, outputWeights: o as tf.Tensor2D },
    layout, lambda, eps))(names.map((n) => w[n]));
  const step = 1e-3;
  names.forEach((name, ti) => {
    const analytic = grads[ti].dataSync();
    for (let i = 0; i < h[name].values.length; i++) {
      assert.ok(Number.isFinite(analytic[i]), `${name}[${i}] gradient is ${analytic[i]}`);
      const saved = h[name].values[i];
      // float64 host penalty: the finite difference is then exact to ~1e-9
      const at = (v: number): number => {
        h[name].values[i] = v;
        const p = hostPenalty(h, s, ALL, lambda, eps);
        h[name].values[i] = saved;
        return p;
      };
      const fd = (at(saved + step) - at(saved - step)) / (2 * step);
      assert.ok(Math.abs(analytic[i] - fd) <= 2e-3 * Math.max(1, Math.abs(fd)), `${name}[${i}]: ${analytic[i]} vs finite difference ${fd}`);
    }
    grads[ti].dispose();
  });
  // word 0's own group contributes w / sqrt(||w||^2 + eps) = 0 at 0; its elements are in no other group
  assert.deepEqual(Array.from(tf.grads((e: tf.Tensor) => groupLassoPenalty({ ...w, embedding: e as tf.Tensor2D }, layout, lambda, eps))([w.embedding])[0].dataSync()).slice(0, s.inputSize), [0, 0]);
  disposeAll(w);
});

for (const cell of ['lstm', 'gru'] as const) {
  test(`${cell}: group norms match the hand computation and a threshold prunes exactly the small groups, with dead weights`, () => {
    const s = shapeOf(cell, 5, 3, 3, 2);
    const { hiddenSize: H, inputSize: D, gates: G } = s;
    const GH = G * H;
    const h = randomHost(s, 23);
    for (const t of Object.values(h)) for (let i = 0; i < t.values.length; i++) t.values[i] = Math.sign(t.values[i]) * (0.5 + Math.abs(t.values[i]));
    // shrink one group of each kind to norm well below 0.1: word 2, input 1, hidden neuron 2, gate (k = 1, j = 0)
    const shrink = (list: Member[]): void => list.forEach(([t, r, c]) => { h[t].values[r * h[t].cols + c] = 0.01; });
    shrink(members(s, 'vocabulary', 2));
    shrink(members(s, 'inputs', 1));
    shrink(members(s, 'hidden', 2));
    shrink(members(s, 'gates', 1 * H + 0));
    const layout = groupLassoLayout(s, presetConfig('w+g+n'));
    const w = toTf(h);
    const norms = groupNorms(w, layout);
    for (const kind of ALL) {
      const got = norms[kind] as Float32Array;
      assert.equal(got.length, COUNTS(s)[kind], kind);
      for (let g = 0; g < got.length; g++) {
        const expected = hostNorm(h, members(s, kind, g));
        assert.ok(Math.abs(got[g] - expected) <= 1e-5 * Math.max(1, expected), `${kind}[${g}]: ${got[g]} vs ${expected}`);
      }
    }
    const { kept, masks } = groupPruning(norms, 0.1, layout);
    const allBut = (n: number, i: number): number[] => Array.from({ length: n }, (_, k) => (k === i ? 0 : 1));
    assert.deepEqual(Array.from(kept.vocabulary ?? []), allBut(s.vocabSize, 2));
    assert.deepEqual(Array.from(kept.inputs ?? []), allBut(D, 1));
    assert.deepEqual(Array.from(kept.hidden ?? []), allBut(H, 2));
    assert.deepEqual(Array.from(kept.gates ?? []), allBut(GH, H));
    // expected masks from the rules, element by element
    const E = (v: number, d: number): number => (v === 2 || d === 1 ? 0 : 1);
    const deadColumn = (c: number): boolean => c === H || c % H === 2;
    const X = (d: number, c: number): number => (d === 1 || deadColumn(c) ? 0 : 1);
    const Wh = (l: number, c: number): number => (l === 2 || deadColumn(c) ? 0 : 1);
    const O = (l: number): number => (l === 2 ? 0 : 1);
    const grid = (rows: number, cols: number, f: (r: number, c: number) => number): number[] =>
      Array.from({ length: rows * cols }, (_, i) => f(Math.floor(i / cols), i % cols));
    assert.deepEqual(Array.from(masks.embedding), grid(s.vocabSize, D, E));
    assert.deepEqual(Array.from(masks.inputWeights), grid(D, GH, X));
    assert.deepEqual(Array.from(masks.hiddenWeights), grid(H, GH, Wh));
    assert.deepEqual(Array.from(masks.outputWeights), grid(H, s.outputSize, O));
    // §3.3 on these masks (no group masks given) removes the same words, inputs, neurons; gates also of neuron 2
    const derive = cell === 'gru' ? deriveGruStructure : deriveLstmStructure;
    const structure = derive(s, masks);
    assert.deepEqual(Array.from(structure.words), allBut(s.vocabSize, 2));
    assert.deepEqual(Array.from(structure.inputs), allBut(D, 1));
    assert.deepEqual(Array.from(structure.hidden), allBut(H, 2));
    assert.deepEqual(Array.from(structure.gates), Array.from({ length: GH }, (_, c) => (deadColumn(c) ? 0 : 1)));
    // one threshold per kind; a kind left out prunes nothing
    const onlyGates = groupPruning(norms, { gates: 0.1 }, layout);
    assert.deepEqual(Array.from(onlyGates.kept.hidden ?? []), [1, 1, 1]);
    assert.deepEqual(Array.from(onlyGates.kept.gates ?? []), allBut(GH, H));
    assert.throws(() => groupPruning({ ...norms, hidden: new Float32Array(2) }, 0.1, layout), /norms\.hidden has 2 entries, expected 3/);
    disposeAll(w);
  });
}

test('the proximal step zeroes groups below lr*lambda*sqrt(|g|) and shrinks the others by the soft-threshold factor', () => {
  const s = shapeOf('lstm', 3, 4, 1, 1);
  const h = randomHost(s, 3);
  h.embedding.values.set([3, 0, 0, 4, 0.1, 0.1, 0.1, 0.1, 0, 0, 0, 0]); // word norms 5, 0.2, 0
  const layout = groupLassoLayout(s, presetConfig('sparsevd-voc'));
  const w = toTf(h);
  const threshold = 0.5; // cut = 0.5 * sqrt(4) = 1
  const next = proximalGroupStep(w, layout, threshold);
  const e = Array.from(next.embedding.dataSync());
  const scale = 1 - 1 / 5;
  [3 * scale, 0, 0, 4 * scale, 0, 0, 0, 0, 0, 0, 0, 0].forEach((v, i) => assert.ok(Math.abs(e[i] - v) < 1e-6, `embedding[${i}]: ${e[i]} vs ${v}`));
  // tensors of no group are unchanged
  assert.deepEqual(next.inputWeights.dataSync(), w.inputWeights.dataSync());
  disposeAll(next);
  disposeAll(w);
});
