import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/engine/tf.js';
import {
  HARD_CONCRETE_BETA as BETA, HARD_CONCRETE_GAMMA as GAMMA, HARD_CONCRETE_ZETA as ZETA, L0_LOG_ALPHA_MAX, L0_LOG_ALPHA_MIN,
  clampLogAlpha, hardConcreteNoise, hardConcreteProbNonzero, hardConcreteSample, hardConcreteTestGate, initialLogAlpha,
} from '../../../src/nn/bayes/hard_concrete.js';
import '../../helpers.js';
import { assertClose, values } from './bayes_test_utils.js';

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Closed forms: z = 0 iff the logistic L <= beta ln(-gamma / zeta) - log alpha; z = 1 iff L >= beta ln((1 - gamma) / (zeta - 1)) - log alpha. */
const probZero = (a: number): number => sigmoid(BETA * Math.log(-GAMMA / ZETA) - a);
const probOne = (a: number): number => sigmoid(a - BETA * Math.log((1 - GAMMA) / (ZETA - 1)));

/** E[z] = integral over u in (0, 1) of the sample formula, midpoint rule in float64. */
function meanByQuadrature(a: number, n = 200_000): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const u = (i + 0.5) / n;
    const s = sigmoid((Math.log(u) - Math.log(1 - u) + a) / BETA);
    sum += Math.min(1, Math.max(0, s * (ZETA - GAMMA) + GAMMA));
  }
  return sum / n;
}

test('hard-concrete samples: P(z = 0), P(z = 1) and E[z] match the closed forms', () => {
  const logAlphas = [-2, 0, 1.5];
  const N = 100_000;
  const noise = hardConcreteNoise(17);
  const z = values(hardConcreteSample(tf.tensor1d(logAlphas), noise([N, logAlphas.length])));
  logAlphas.forEach((a, k) => {
    let zeros = 0, ones = 0, sum = 0;
    for (let i = 0; i < N; i++) {
      const v = z[i * logAlphas.length + k];
      assert.ok(v >= 0 && v <= 1, `z in [0, 1], got ${v}`);
      if (v === 0) zeros++;
      if (v === 1) ones++;
      sum += v;
    }
    const se = (p: number): number => 5 * Math.sqrt(p * (1 - p) / N);
    assert.ok(Math.abs(zeros / N - probZero(a)) < se(probZero(a)), `log alpha ${a}: P(z = 0) ${zeros / N} vs ${probZero(a)}`);
    assert.ok(Math.abs(ones / N - probOne(a)) < se(probOne(a)), `log alpha ${a}: P(z = 1) ${ones / N} vs ${probOne(a)}`);
    assert.ok(Math.abs(sum / N - meanByQuadrature(a)) < 5 * 0.5 / Math.sqrt(N), `log alpha ${a}: E[z] ${sum / N} vs ${meanByQuadrature(a)}`);
  });
  // P(z != 0) is the complement of P(z = 0)
  assertClose(values(hardConcreteProbNonzero(tf.tensor1d(logAlphas))), logAlphas.map((a) => 1 - probZero(a)), 1e-6, 'P(z != 0)');
});

test('P(z != 0) at log alpha 0 is 0.83182 (spec §5)', () => {
  assertClose(values(hardConcreteProbNonzero(tf.scalar(0))), [0.83182], 5e-6, 'P(z != 0)');
});

test('test-time gates: clip(sigmoid(log alpha) (zeta - gamma) + gamma, 0, 1)', () => {
  const a = [-3, Math.log(1 / 11) - 1e-3, 0, 1, L0_LOG_ALPHA_MAX];
  const expected = [0, 0, 0.5, sigmoid(1) * 1.2 - 0.1, 1];
  assertClose(values(hardConcreteTestGate(tf.tensor1d(a))), expected, 1e-6, 'test gate');
});

test('noise is U(eps, 1 - eps), seeded and reseedable; init log alpha ~ N(0, 0.01^2)', () => {
  const noise = hardConcreteNoise(3);
  const first = values(noise([1000]));
  assert.ok(first.every((u) => u > 0 && u < 1));
  noise.reseed(3);
  assert.deepEqual(values(noise([1000])), first);
  const init = values(initialLogAlpha([4000], 9));
  const mean = init.reduce((s, x) => s + x, 0) / init.length;
  const sd = Math.sqrt(init.reduce((s, x) => s + (x - mean) ** 2, 0) / init.length);
  assert.ok(Math.abs(mean) < 0.001 && Math.abs(sd - 0.01) < 0.001, `mean ${mean}, sd ${sd}`);
});

test('clampLogAlpha puts log alpha back into [ln 0.01, ln 100]', () => {
  const v = tf.variable(tf.tensor1d([-10, -1, 0, 3, 10]));
  clampLogAlpha(v);
  assertClose(Array.from(v.dataSync()), [L0_LOG_ALPHA_MIN, -1, 0, 3, L0_LOG_ALPHA_MAX], 1e-6, 'clamped');
  v.dispose();
});
