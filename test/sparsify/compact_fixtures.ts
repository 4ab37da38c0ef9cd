// Training-like parameters for the compact-model tests: random means, log sigma set so that a good share of weights,
// words, neurons and gates are pruned (log alpha >= 3), whole gate columns pruned so that gates become constant, and
// biases in [-4, 4] so that hard-sigmoid gates saturate (kappa exactly 0 or 1). L0 models (options.method 'l0') get
// the same share of zero test gates, and fractional gates elsewhere so that folding them is exercised; group-lasso
// models ('group-lasso') the same share of zeros in their masks.
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { CLASSIFIER_PRESETS, type ClassifierPreset } from '../../src/sparsify/presets.js';
import type { SparsificationMethod } from '../../src/sparsify/sparsification_method.js';
import { SparseVD } from '../../src/nn/bayes/sparse_vd.js';
import { BayesianGRU } from '../../src/nn/bayes/bayesian_gru.js';
import { L0Tensor } from '../../src/nn/bayes/l0_tensor.js';
import { GroupVariable } from '../../src/nn/bayes/group_variable.js';
import { L0GroupGate } from '../../src/nn/bayes/l0_group_gate.js';
import { MaskedParameter } from '../../src/nn/masked_parameter.js';
import type { PrunableTensor } from '../../src/nn/bayes/prunable_tensor.js';
import type { GroupGate } from '../../src/nn/bayes/group_gate.js';
import { SparseTextClassifier, type SparseTextClassifierOptions } from '../../src/nn/sparse_text_classifier.js';
import { rng } from '../helpers.js';

export const V = 40, E = 6, H = 7, C = 3, T = 9, B = 12;

/**
 * Random weights theta (magnitudes in [lo, hi], random signs) and their second parameter, `scale(magnitude, prune)`,
 * where about `pruned` of the elements (and every element of `prunedColumns`) are to be pruned.
 */
function randomizeWeights(theta: tf.Variable, second: tf.Variable, rand: () => number, pruned: number, lo: number, hi: number,
  prunedColumns: Set<number>, scale: (magnitude: number, prune: boolean) => number): void {
  const n = theta.size, cols = theta.shape[theta.shape.length - 1];
  const values = new Float32Array(n), seconds = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const magnitude = lo + (hi - lo) * rand();
    values[i] = rand() < 0.5 ? -magnitude : magnitude;
    seconds[i] = scale(magnitude, rand() < pruned || prunedColumns.has(i % cols));
  }
  theta.assign(tf.tensor(values, theta.shape));
  second.assign(tf.tensor(seconds, theta.shape));
}

/** log sigma = log|theta| + u: log alpha = 2u, pruned when u >= 1.5; `pruned` is about the pruned share. */
function randomizeSparseVD(p: SparseVD, rand: () => number, pruned: number, lo: number, hi: number,
  prunedColumns: Set<number> = new Set()): void {
  randomizeWeights(p.theta, p.logSigma, rand, pruned, lo, hi, prunedColumns,
    (magnitude, prune) => Math.log(magnitude) + (prune ? 1.6 + 2 * rand() : -3 + 4 * rand()));
}

/**
 * L0 log alpha: pruned elements in [-4.6, -2.5] (test gate 0 below ln(1/11) = -2.398), kept ones in [-2.2, 4.6]
 * (test gates from about 0.02 to exactly 1).
 */
function randomL0LogAlpha(rand: () => number, prune: boolean): number {
  return prune ? -4.6 + 2.1 * rand() : -2.2 + 6.8 * rand();
}

function randomizePrunable(p: PrunableTensor, rand: () => number, pruned: number, lo: number, hi: number,
  prunedColumns: Set<number> = new Set()): void {
  if (p instanceof SparseVD) randomizeSparseVD(p, rand, pruned, lo, hi, prunedColumns);
  else if (p instanceof L0Tensor) randomizeWeights(p.theta, p.logAlpha, rand, pruned, lo, hi, prunedColumns, (_, prune) => randomL0LogAlpha(rand, prune));
  else if (p instanceof MaskedParameter) randomizeWeights(p.theta, p.mask, rand, pruned, lo, hi, prunedColumns, (_, prune) => (prune ? 0 : 1));
  else throw new Error('randomizePrunable: unknown prunable tensor');
}

function randomizeGroup(g: GroupGate, rand: () => number, pruned: number, lo: number, hi: number): void {
  if (g instanceof GroupVariable) randomizeSparseVD(g.z, rand, pruned, lo, hi);
  else if (g instanceof L0GroupGate) g.logAlpha.assign(tf.tensor1d(Float32Array.from({ length: g.size }, () => randomL0LogAlpha(rand, rand() < pruned))));
  else throw new Error('randomizeGroup: unknown group gate');
}

function randomize(v: tf.Variable, rand: () => number, lo: number, hi: number): void {
  v.assign(tf.tensor(Float32Array.from({ length: v.size }, () => lo + (hi - lo) * rand()), v.shape));
}

/** A classifier of the given preset and cell with training-like parameters, in eval mode. */
export function trainedLikeClassifier(preset: string, cell: 'lstm' | 'gru', seed: number,
  options: SparseTextClassifierOptions = {}): SparseTextClassifier {
  const model = new SparseTextClassifier(V, E, H, C, preset, { seed, cell, ...options });
  const rand = rng(seed * 7919 + 13);
  const rnn = model.lstm;
  const G = rnn.gates * H;
  // a few gate columns lose every weight: those gates become constant without any gate group
  const deadColumns = new Set(Array.from({ length: 4 }, () => Math.floor(rand() * G)));
  const table = model.embedding.table;
  if (table instanceof tf.Variable) randomize(table, rand, -1, 1);
  else randomizePrunable(table, rand, 0.45, 0.05, 1.5);
  for (const k of [rnn.kernel, rnn.recurrentKernel]) {
    if (k instanceof tf.Variable) randomize(k, rand, -0.8, 0.8);
    else randomizePrunable(k, rand, 0.4, 0.05, 1, deadColumns);
  }
  randomize(rnn.bias, rand, -4, 4);
  if (rnn instanceof BayesianGRU) randomize(rnn.recurrentBias, rand, -2, 2);
  const out = 'weight' in model.output ? model.output.weight : null;
  if (out) randomizePrunable(out, rand, 0.3, 0.1, 1.5);
  else randomize((model.output as { kernel: tf.Variable }).kernel, rand, -1, 1);
  randomize(model.output.bias, rand, -1, 1);
  for (const g of [model.vocabularyGroups, rnn.inputGroups, rnn.hiddenGroups, rnn.gateGroups]) {
    if (g) randomizeGroup(g, rand, 0.3, 0.3, 1.5);
  }
  return model.eval();
}

/** Left-padded random ids [B, T] (padding positions hold random ids too: they must be ignored) and lengths [B]. */
export function randomBatch(seed: number, batch = B, steps = T): { ids: Int32Array; lengths: Int32Array } {
  const rand = rng(seed);
  const lengths = Int32Array.from({ length: batch }, (_, b) => (b === 0 ? 0 : b === 1 ? steps : Math.floor(rand() * (steps + 1))));
  const ids = Int32Array.from({ length: batch * steps }, () => Math.floor(rand() * V));
  return { ids, lengths };
}

/** The full model's eval logits [B * C]. */
export function fullLogits(model: SparseTextClassifier, ids: Int32Array, lengths: Int32Array, steps = T): Float32Array {
  return tf.tidy(() => {
    const out = model.logits(tf.tensor2d(ids, [lengths.length, steps], 'int32'), tf.tensor1d(lengths, 'int32'));
    return Float32Array.from(out.dataSync());
  });
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** What checkCompactEquivalence pruned over all presets and gate activations. */
export interface EquivalenceTally {
  constants: number; prunedHidden: number; prunedWords: number; prunedInputs: number; prunedWeights: number;
}

/**
 * For every preset and both gate activations: a training-like classifier of `method` (seed `seedBase + p`), made
 * ready by `prepare` (e.g. pruning groups), whose host and fused compact logits must equal the full eval model's
 * within `tolerance`, and whose compact summary must count what compression() counts. Returns what was pruned.
 */
export function checkCompactEquivalence(cell: 'lstm' | 'gru', method: SparsificationMethod, seedBase: number, tolerance: number,
  prepare: (model: SparseTextClassifier, p: number) => void = () => {}): EquivalenceTally {
  const tally: EquivalenceTally = { constants: 0, prunedHidden: 0, prunedWords: 0, prunedInputs: 0, prunedWeights: 0 };
  (Object.keys(CLASSIFIER_PRESETS) as ClassifierPreset[]).forEach((preset, p) => {
    for (const gateActivation of ['hardSigmoid', 'sigmoid'] as const) {
      const model = trainedLikeClassifier(preset, cell, seedBase + p, { gateActivation, method });
      assert.equal(model.method, method);
      prepare(model, p);
      const compact = model.compact();
      const { ids, lengths } = randomBatch(seedBase * 3 + p);
      const full = fullLogits(model, ids, lengths);
      const diff = maxAbsDiff(compact.logitsArray(ids, lengths, T), full);
      assert.ok(diff <= tolerance, `${cell} ${preset} ${gateActivation}: max |compact - full| = ${diff}`);
      const fused = compact.withForward('fused');
      const fusedDiff = maxAbsDiff(fused.logitsArray(ids, lengths, T), full);
      fused.dispose();
      assert.ok(fusedDiff <= tolerance, `${cell} ${preset} ${gateActivation}: max |fused compact - full| = ${fusedDiff}`);
      const report = model.compression(), s = compact.summary;
      assert.deepEqual(s.words, report.keptWords, `${preset}: words`);
      assert.deepEqual(s.inputs, report.keptInputs, `${preset}: inputs`);
      assert.deepEqual(s.hidden, report.keptHidden, `${preset}: hidden`);
      assert.deepEqual(s.gates, { kept: report.keptGates.kept, total: report.keptGates.total }, `${preset}: gates`);
      tally.constants += s.constantGates;
      tally.prunedHidden += s.hidden.total - s.hidden.kept;
      tally.prunedWords += s.words.total - s.words.kept;
      tally.prunedInputs += s.inputs.total - s.inputs.kept;
      if (preset !== 'dense') tally.prunedWeights += report.prunableWeights - report.nonzeroWeights;
      if (preset === 'dense') assert.equal(report.nonzeroWeights, report.prunableWeights);
      compact.dispose();
      model.dispose();
    }
  });
  return tally;
}
