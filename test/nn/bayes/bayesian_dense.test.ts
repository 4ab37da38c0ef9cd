import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/engine/tf.js';
import { BayesianDense } from '../../../src/nn/bayes/bayesian_dense.js';
import '../../helpers.js';
import { assertClose, assertNormalMoments, hostLogAlpha, values } from './bayes_test_utils.js';

const X = [0.5, -1, 2];

/** A 3 -> 2 layer with hand-set theta, log sigma and bias. */
function layer(seed = 3): BayesianDense {
  const d = new BayesianDense(3, 2, seed);
  d.weight.theta.assign(tf.tensor2d([[0.4, -1], [1, 0.2], [-0.3, 0.05]]));
  d.weight.logSigma.assign(tf.tensor2d([[-1, 0.5], [-2, -1.5], [-0.5, -1]]));
  d.bias.assign(tf.tensor1d([0.1, -0.2]));
  return d;
}

function column(rows: number[], units: number, j: number): number[] {
  return rows.filter((_, i) => i % units === j);
}

test('train mode (LRT): each output is N(x theta + b, x^2 sigma^2 + 1e-8), independently per example', () => {
  const d = layer();
  const theta = d.weight.theta.arraySync() as number[][], logSigma = d.weight.logSigma.arraySync() as number[][];
  const bias = [0.1, -0.2];
  const n = 4000;
  const out = values(d.apply(tf.tile(tf.tensor2d([X]), [n, 1])));
  for (let j = 0; j < 2; j++) {
    const mean = X.reduce((s, x, i) => s + x * theta[i][j], bias[j]);
    const variance = X.reduce((s, x, i) => s + x * x * Math.exp(2 * logSigma[i][j]), 1e-8);
    assertNormalMoments(column(out, 2, j), mean, variance, `unit ${j}`);
  }
  d.dispose();
});

test('eval mode is deterministic and uses theta with the log alpha >= 3 elements zeroed', () => {
  const d = layer();
  // Make two weights prunable: log alpha(0.05, logSigma 0) = 5.99 and log alpha(1, logSigma 1.6) = 3.2.
  d.weight.logSigma.assign(tf.tensor2d([[-1, 0.5], [1.6, -1.5], [-0.5, 0]]));
  d.eval();
  const theta = d.weight.theta.arraySync() as number[][], logSigma = d.weight.logSigma.arraySync() as number[][];
  const masked = theta.map((row, i) => row.map((t, j) => (hostLogAlpha(t, logSigma[i][j]) >= 3 ? 0 : t)));
  assert.equal(masked.flat().filter((w) => w === 0).length, 2);
  const expected = [0, 1].map((j) => X.reduce((s, x, i) => s + x * masked[i][j], [0.1, -0.2][j]));
  const x = tf.tensor2d([X, X]);
  const y = values(d.apply(x));
  assertClose(y, [...expected, ...expected], 1e-6, 'eval output');
  assert.deepEqual(values(d.apply(x)), y, 'deterministic');
  d.dispose();
});

test('rank-3 inputs keep their leading shape; the same seed gives the same outputs', () => {
  const a = new BayesianDense(3, 4, 9), b = new BayesianDense(3, 4, 9);
  const x = tf.randomUniform([2, 5, 3], -1, 1, 'float32', 1);
  const ya = a.apply(x);
  assert.deepEqual(ya.shape, [2, 5, 4]);
  assert.deepEqual(values(b.apply(x)), values(ya));
  [a, b].forEach((m) => m.dispose());
});

test('kl() sums the kernel KL; gradients reach theta, logSigma and the bias', () => {
  const d = layer();
  assertClose(values(d.kl('repo')), values(d.weight.kl('repo')), 0, 'kl');
  const { value, grads } = tf.variableGrads(() => tf.add(tf.sum(tf.square(d.apply(tf.tensor2d([X])))), d.kl()));
  value.dispose();
  for (const name of ['theta', 'logSigma', 'bias']) {
    const v = d.namedParameters().get(name)!;
    const g = values(grads[v.name]);
    assert.ok(g.every(Number.isFinite) && g.some((x) => x !== 0), `${name} gets a gradient`);
  }
  d.dispose();
});
