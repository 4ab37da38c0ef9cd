import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/engine/tf.js';
import { BayesianSampledDense } from '../../../src/nn/bayes/bayesian_sampled_dense.js';
import '../../helpers.js';
import { assertClose, assertNormalMoments, values } from './bayes_test_utils.js';

test('train mode: one weight sample per call, shared by every sequence and step; a new call draws a new one', () => {
  const H = 3, U = 40;
  const layer = new BayesianSampledDense(H, U, 11);
  layer.weight.theta.assign(tf.fill([H, U], 2));
  layer.weight.logSigma.assign(tf.fill([H, U], Math.log(0.3)));
  layer.bias.assign(tf.zeros([U]));
  // [B = 2, T = 3] inputs that are one-hot rows: row 1 at (0, 0), (0, 2) and (1, 1) must give the same weight row
  const x = tf.tensor3d([[[0, 1, 0], [1, 0, 0], [0, 1, 0]], [[0, 0, 1], [0, 1, 0], [1, 0, 0]]]);
  const y = values(layer.apply(x));
  const row = (b: number, t: number): number[] => y.slice((b * 3 + t) * U, (b * 3 + t + 1) * U);
  assertClose(row(0, 2), row(0, 0), 0, 'same word, same sequence, other step');
  assertClose(row(1, 1), row(0, 0), 0, 'same word, other sequence');
  assertClose(row(1, 2), row(0, 1), 0, 'word 0 in both sequences');
  const sample = [...row(0, 0), ...row(0, 1), ...row(1, 0)];
  assertNormalMoments(sample, 2, 0.09, 'W sample'); // 120 independent elements of one draw
  const again = values(layer.apply(x));
  assert.ok(again.some((v, i) => v !== y[i]), 'a second call draws a new weight sample');
  layer.eval();
  assertClose(values(layer.apply(x)).slice(0, U), new Array(U).fill(2), 1e-6, 'eval uses theta');
  x.dispose();
  layer.dispose();
});
