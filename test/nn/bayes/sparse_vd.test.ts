import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/engine/tf.js';
import { klMolchanov, klRepo, logAlpha } from '../../../src/nn/bayes/kl.js';
import { SparseVD } from '../../../src/nn/bayes/sparse_vd.js';
import '../../helpers.js';
import { assertClose, assertNormalMoments, hostLogAlpha, values } from './bayes_test_utils.js';

function sparseVD(theta: number[], logSigma: number[], seed?: number): SparseVD {
  return new SparseVD(tf.variable(tf.tensor1d(theta)), tf.variable(tf.tensor1d(logSigma)), seed);
}

function dispose(p: SparseVD): void {
  p.theta.dispose();
  p.logSigma.dispose();
}

// log alpha: 2.8 (kept), 3.2 (pruned), -6 (kept), 3.2 (pruned), -8 clipped (kept), +8 clipped at theta = 0 (pruned)
const THETA = [1, 1, 1, -2, 0.5, 0];
const LOG_SIGMA = [1.4, 1.6, -3, Math.log(2) + 1.6, -9, -3];

test('evalWeight zeroes exactly the elements with log alpha >= 3, deterministically', () => {
  const p = sparseVD(THETA, LOG_SIGMA);
  const kept = THETA.map((t, i) => (hostLogAlpha(t, LOG_SIGMA[i]) < 3 ? 1 : 0));
  assert.deepEqual(kept, [1, 0, 1, 0, 1, 0]);
  assert.deepEqual(values(p.keptMask()), kept);
  const w = values(p.evalWeight());
  assertClose(w, THETA.map((t, i) => t * kept[i]), 1e-7, 'evalWeight');
  assert.deepEqual(values(p.evalWeight()), w);
  assert.deepEqual(values(p.weight(false)), w);
  assert.deepEqual(values(p.mean()), values(tf.tensor1d(THETA)));
  assert.ok(!p.theta.isDisposed, 'disposing mean() leaves theta alone');
  dispose(p);
});

test('kl() is the sum of the elementwise KL in either form', () => {
  const p = sparseVD(THETA, LOG_SIGMA);
  for (const [form, elementwise] of [['molchanov', klMolchanov], ['repo', klRepo]] as const) {
    const expected = values(elementwise(logAlpha(p.theta, p.logSigma))).reduce((s, x) => s + x, 0);
    assertClose(values(p.kl(form)), [expected], 1e-5, `kl(${form})`);
  }
  assertClose(values(p.kl()), values(p.kl('molchanov')), 0, 'default form');
  dispose(p);
});

test('sample() draws theta + sigma * eps, fresh each call, reproducible by seed', () => {
  const n = 4000, theta = 0.3, sigma = 0.5;
  const a = sparseVD(new Array(n).fill(theta), new Array(n).fill(Math.log(sigma)), 7);
  const b = sparseVD(new Array(n).fill(theta), new Array(n).fill(Math.log(sigma)), 7);
  const first = values(a.sample());
  assertNormalMoments(first, theta, sigma * sigma, 'sample');
  const second = values(a.sample());
  assert.notDeepEqual(second, first, 'each call draws new noise');
  assert.deepEqual(values(b.sample()), first, 'same seed, same first sample');
  assert.deepEqual(values(b.sample()), second, 'same seed, same second sample');
  const batched = a.sample([3]);
  assert.deepEqual(batched.shape, [3, n]);
  batched.dispose();
  [a, b].forEach(dispose);
});

test('gradients of a sample flow to theta (1) and logSigma (sigma * eps)', () => {
  const p = sparseVD([0.2, -1, 3], [-1, 0, -2], 11);
  const twin = sparseVD([0.2, -1, 3], [-1, 0, -2], 11);
  const { grads } = tf.variableGrads(() => tf.sum(p.sample()), [p.theta, p.logSigma]);
  assertClose(values(grads[p.theta.name]), [1, 1, 1], 1e-6, 'dtheta');
  // The twin draws the same eps, so sample - theta = sigma * eps.
  const sigmaEps = values(tf.sub(twin.sample(), twin.theta));
  assertClose(values(grads[p.logSigma.name]), sigmaEps, 1e-6, 'dlogSigma');
  [p, twin].forEach(dispose);
});
