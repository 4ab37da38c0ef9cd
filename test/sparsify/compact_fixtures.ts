// Training-like parameters for the compact-model tests: random means, log sigma set so that a good share of weights,
// words, neurons and gates are pruned (log alpha >= 3), whole gate columns pruned so that gates become constant, and
// biases in [-4, 4] so that hard-sigmoid gates saturate (kappa exactly 0 or 1).
import { tf } from '../../src/engine/tf.js';
import { SparseVD } from '../../src/nn/bayes/sparse_vd.js';
import { BayesianGRU } from '../../src/nn/bayes/bayesian_gru.js';
import { SparseTextClassifier, type SparseTextClassifierOptions } from '../../src/nn/sparse_text_classifier.js';
import { rng } from '../helpers.js';

export const V = 40, E = 6, H = 7, C = 3, T = 9, B = 12;

/** log sigma = log|theta| + u: log alpha = 2u, pruned when u >= 1.5; `pruned` is about the pruned share. */
function randomizeSparseVD(p: SparseVD, rand: () => number, pruned: number, lo: number, hi: number,
  prunedColumns: Set<number> = new Set()): void {
  const n = p.theta.size, cols = p.shape[p.shape.length - 1];
  const theta = new Float32Array(n), logSigma = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const magnitude = lo + (hi - lo) * rand();
    theta[i] = rand() < 0.5 ? -magnitude : magnitude;
    const prune = rand() < pruned || prunedColumns.has(i % cols);
    const u = prune ? 1.6 + 2 * rand() : -3 + 4 * rand();
    logSigma[i] = Math.log(magnitude) + u;
  }
  p.theta.assign(tf.tensor(theta, p.shape));
  p.logSigma.assign(tf.tensor(logSigma, p.shape));
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
  if (model.embedding.table instanceof SparseVD) randomizeSparseVD(model.embedding.table, rand, 0.45, 0.05, 1.5);
  else randomize(model.embedding.table, rand, -1, 1);
  for (const k of [rnn.kernel, rnn.recurrentKernel]) {
    if (k instanceof SparseVD) randomizeSparseVD(k, rand, 0.4, 0.05, 1, deadColumns);
    else randomize(k, rand, -0.8, 0.8);
  }
  randomize(rnn.bias, rand, -4, 4);
  if (rnn instanceof BayesianGRU) randomize(rnn.recurrentBias, rand, -2, 2);
  const out = 'weight' in model.output ? model.output.weight : null;
  if (out) randomizeSparseVD(out, rand, 0.3, 0.1, 1.5);
  else randomize((model.output as { kernel: tf.Variable }).kernel, rand, -1, 1);
  randomize(model.output.bias, rand, -1, 1);
  for (const g of [model.vocabularyGroups, rnn.inputGroups, rnn.hiddenGroups, rnn.gateGroups]) {
    if (g) randomizeSparseVD(g.z, rand, 0.3, 0.3, 1.5);
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
