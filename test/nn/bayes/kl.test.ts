import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/engine/tf.js';
import { klMolchanov, klRepo, logAlpha } from '../../../src/nn/bayes/kl.js';
import '../../helpers.js'; // registers the native backend when it is built, so this runs on the default backend
import { assertClose, hostLogAlpha, values } from './bayes_test_utils.js';


// The spec's test vectors (rnn-sparsification §2.2): log alpha -> Molchanov KL / repo KL.
const A = [-8, -3, 0, 3, 8];
const MOLCHANOV = [4.635899, 2.115590, 0.431239, 0.025420, 0.000168];
const REPO = [3.970140, 1.447941, -0.243712, -0.644696, -0.669832];

test('both KL forms match the spec test vectors', () => {
  assertClose(values(klMolchanov(tf.tensor1d(A))), MOLCHANOV, 1e-5, 'molchanov');
  assertClose(values(klRepo(tf.tensor1d(A))), REPO, 1e-5, 'repo');
});

test('logAlpha is 2 log sigma - log theta^2, clipped to [-8, 8], finite at theta = 0', () => {
  const theta = [0.5, -2, 1, 1e-6, 3, 0];
  const logSigma = [-1, 0.5, 1.4, 0, -9, -3];
  const expected = theta.map((t, i) => hostLogAlpha(t, logSigma[i]));
  assertClose(values(logAlpha(tf.tensor1d(theta), tf.tensor1d(logSigma))), expected, 1e-5, 'logAlpha');
});

test('the KL gradient is zero outside the clip range and dKL/da * da/dparam inside it', () => {
  // Elements 0-2 land inside [-8, 8]; 3 (tiny theta) clips at +8, 4 (tiny sigma) at -8, 5 (theta = 0) at +8.
  const theta = tf.tensor1d([0.5, -2, 1, 1e-6, 3, 0]);
  const logSigma = tf.tensor1d([-1, 0.5, 1.4, 0, -9, -3]);
  const [gTheta, gLogSigma] = tf.grads((t: tf.Tensor, s: tf.Tensor) => tf.sum(klMolchanov(logAlpha(t, s))))([theta, logSigma]);
  const th = values(theta), ls = values(logSigma);
  const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
  // d/da [k1 - k1 sigmoid(k2 + k3 a) + 0.5 log1p(exp(-a))]
  const dKl = (a: number): number => {
    const s = sigmoid(1.8732 + 1.48695 * a);
    return -0.63576 * 1.48695 * s * (1 - s) - 0.5 * sigmoid(-a);
  };
  const inside = [0, 1, 2];
  const a = inside.map((i) => 2 * ls[i] - Math.log(th[i] * th[i]));
  const gs = values(gLogSigma), gt = values(gTheta);
  assertClose(inside.map((i) => gs[i]), a.map((ai) => 2 * dKl(ai)), 1e-5, 'dKL/dlogSigma');
  assertClose(inside.map((i) => gt[i]), a.map((ai, k) => -2 * dKl(ai) / th[inside[k]]), 1e-5, 'dKL/dtheta');
  for (const i of [3, 4, 5]) {
    assert.ok(gs[i] === 0, `logSigma gradient of clipped element ${i}`);
    assert.ok(gt[i] === 0, `theta gradient of clipped element ${i}`);
  }
});
