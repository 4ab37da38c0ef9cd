import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/engine/tf.js';
import { GroupVariable } from '../../../src/nn/bayes/group_variable.js';
import { klMolchanov } from '../../../src/nn/bayes/kl.js';
import '../../helpers.js';
import { assertClose, assertNormalMoments, values } from './bayes_test_utils.js';

test('starts at mu = 1, log sigma = -3 (log alpha = -6); its KL is n KL(-6)', () => {
  const z = new GroupVariable(6, 1);
  assert.deepEqual(values(z.z.mean()), [1, 1, 1, 1, 1, 1]);
  assertClose(values(z.z.logAlpha()), new Array(6).fill(-6), 1e-6, 'log alpha');
  assertClose(values(z.kl()), [6 * values(klMolchanov(tf.scalar(-6)))[0]], 1e-5, 'kl');
  z.dispose();
});

test('train mode: one sample per sequence (row), N(mu, sigma^2); same seed, same samples', () => {
  const n = 4, batch = 1000;
  const a = new GroupVariable(n, 2), b = new GroupVariable(n, 2);
  const s = a.apply(batch);
  assert.deepEqual(s.shape, [batch, n]);
  const v = values(s);
  assert.notDeepEqual(v.slice(0, n), v.slice(n, 2 * n), 'rows differ');
  assertNormalMoments(v, 1, Math.exp(-6), 'z');
  assert.deepEqual(values(b.apply(batch)), v);
  const { value, grads } = tf.variableGrads(() => tf.sum(a.apply(3)));
  value.dispose();
  assertClose(values(grads[a.z.theta.name]), [3, 3, 3, 3], 1e-6, 'dmu');
  assert.ok(values(grads[a.z.logSigma.name]).every((g) => g !== 0));
  [a, b].forEach((m) => m.dispose());
});

test('eval mode: masked mu for every row, deterministic', () => {
  const z = new GroupVariable(3, 3);
  z.z.theta.assign(tf.tensor1d([1, 0.2, -0.7]));
  z.z.logSigma.assign(tf.tensor1d([-3, 0, 1])); // log alpha: -6, 3.2 (pruned), 2.71
  z.eval();
  const y = values(z.apply(2));
  assertClose(y, [1, 0, -0.7, 1, 0, -0.7], 1e-7, 'eval z');
  assert.deepEqual(values(z.apply(2)), y);
  z.dispose();
});
