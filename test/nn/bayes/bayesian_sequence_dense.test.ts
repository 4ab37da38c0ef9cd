import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/engine/tf.js';
import { BayesianSequenceDense } from '../../../src/nn/bayes/bayesian_sequence_dense.js';
import '../../helpers.js';
import { assertClose, assertNormalMoments, values } from './bayes_test_utils.js';

test('train mode: one LRT noise value per (sequence, unit), reused at every step and scaled by that step\'s s', () => {
  const B = 40, T = 3, H = 4, U = 5;
  const layer = new BayesianSequenceDense(H, U, 7);
  layer.weight.theta.assign(tf.zeros([H, U]));
  layer.weight.logSigma.assign(tf.fill([H, U], Math.log(0.5)));
  layer.bias.assign(tf.zeros([U]));
  // step t of every sequence is (t + 1) * ones: s = (t + 1) * sqrt(H * 0.25) (+ the 1e-8 floor)
  const x = tf.tidy(() => tf.mul(tf.ones([B, T, H]), tf.reshape(tf.tensor1d([1, 2, 3]), [1, T, 1]))) as tf.Tensor3D;
  const y = values(layer.apply(x));
  const eps: number[] = [];
  for (let b = 0; b < B; b++) {
    for (let u = 0; u < U; u++) {
      const e = [0, 1, 2].map((t) => y[(b * T + t) * U + u] / ((t + 1) * Math.sqrt(H * 0.25 + 1e-8)));
      assertClose(e, [e[0], e[0], e[0]], 1e-4, `eps over time (b ${b}, u ${u})`);
      eps.push(e[0]);
    }
  }
  assertNormalMoments(eps, 0, 1, 'per-(sequence, unit) eps'); // 200 distinct draws, not one shared value
  assert.ok(new Set(eps.map((e) => e.toFixed(6))).size === eps.length, 'every (sequence, unit) draws its own eps');
  x.dispose();
  layer.dispose();
});

test('eval mode is the masked mean; gradients reach theta, logSigma and the bias', () => {
  const layer = new BayesianSequenceDense(3, 2, 3);
  layer.weight.theta.assign(tf.tensor2d([[1, 0.001], [2, 3], [-1, 1]]));
  const x = tf.tensor3d([[[1, 1, 1], [0, 1, 0]]]);
  layer.eval();
  const bias = values(tf.clone(layer.bias));
  // theta 0.001 with log sigma -3: log alpha = -6 - ln(1e-6) > 3, pruned
  assertClose(values(layer.apply(x)), [2 + bias[0], 4 + bias[1], 2 + bias[0], 3 + bias[1]], 1e-5, 'eval outputs');
  layer.train();
  const { grads } = tf.variableGrads(() => tf.sum(tf.square(layer.apply(x))) as tf.Scalar, layer.parameters());
  assert.equal(Object.keys(grads).length, 3);
  for (const [name, g] of Object.entries(grads)) assert.ok(values(tf.sum(tf.abs(g)))[0] > 0, `gradient of ${name}`);
  Object.values(grads).forEach((g) => g.dispose());
  x.dispose();
  layer.dispose();
});
