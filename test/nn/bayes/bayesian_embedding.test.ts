import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/engine/tf.js';
import { BayesianEmbedding } from '../../../src/nn/bayes/bayesian_embedding.js';
import '../../helpers.js';
import { assertClose, hostLogAlpha, values } from './bayes_test_utils.js';
import { asSparseVD } from './sparse_vd_parts.js';

test('train mode draws one table sample per call, shared by every position of the batch', () => {
  const e = new BayesianEmbedding(5, 3, 4);
  asSparseVD(e.table).logSigma.assign(tf.fill([5, 3], -1));
  const ids = tf.tensor2d([[1, 2, 1], [4, 1, 0]], undefined, 'int32');
  const y = e.apply(ids);
  assert.deepEqual(y.shape, [2, 3, 3]);
  const rows = y.arraySync() as number[][][];
  assert.deepEqual(rows[0][0], rows[0][2], 'same word, same sequence');
  assert.deepEqual(rows[0][0], rows[1][1], 'same word, other sequence');
  const theta = e.table.theta.arraySync() as number[][];
  assert.ok(rows[0][0].some((v, k) => Math.abs(v - theta[1][k]) > 1e-3), 'noise is added');
  const again = e.apply(ids).arraySync() as number[][][];
  assert.notDeepEqual(again[0][0], rows[0][0], 'a new sample per call');
  y.dispose();
  e.dispose();
});

test('eval mode looks rows up in the masked mean; gradients reach theta and logSigma in train mode', () => {
  const e = new BayesianEmbedding(4, 2, 5);
  e.table.theta.assign(tf.tensor2d([[1, -1], [0.5, 2], [1, 1], [-3, 0.01]]));
  asSparseVD(e.table).logSigma.assign(tf.tensor2d([[1.6, -3], [-3, -3], [-3, 1.4], [-3, -3]])); // pruned: [0][0], [3][1]
  const theta = e.table.theta.arraySync() as number[][], logSigma = asSparseVD(e.table).logSigma.arraySync() as number[][];
  const masked = theta.map((row, v) => row.map((t, k) => (hostLogAlpha(t, logSigma[v][k]) >= 3 ? 0 : t)));
  e.eval();
  const ids = tf.tensor1d([3, 0, 2], 'int32');
  assertClose(values(e.apply(ids)), [...masked[3], ...masked[0], ...masked[2]], 1e-7, 'eval rows');
  assert.equal(masked.flat().filter((w) => w === 0).length, 2);
  e.train();
  const { value, grads } = tf.variableGrads(() => tf.add(tf.sum(tf.square(e.apply(ids))), e.kl()));
  value.dispose();
  for (const v of [e.table.theta, asSparseVD(e.table).logSigma]) assert.ok(values(grads[v.name]).some((g) => g !== 0));
  e.dispose();
});
