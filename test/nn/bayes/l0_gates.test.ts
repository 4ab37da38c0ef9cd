import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/engine/tf.js';
import { L0Tensor } from '../../../src/nn/bayes/l0_tensor.js';
import { L0GroupGate } from '../../../src/nn/bayes/l0_group_gate.js';
import { L0_LOG_ALPHA_MAX, L0_LOG_ALPHA_MIN } from '../../../src/nn/bayes/hard_concrete.js';
import { SparseTextClassifier } from '../../../src/nn/sparse_text_classifier.js';
import { BayesianLSTM } from '../../../src/nn/bayes/bayesian_lstm.js';
import '../../helpers.js';
import { assertClose, values } from './bayes_test_utils.js';

/** P(z != 0) = sigmoid(log alpha - beta ln(-gamma / zeta)) = sigmoid(log alpha + (2/3) ln 11). */
const probNonzero = (a: number): number => 1 / (1 + Math.exp(-(a + (2 / 3) * Math.log(11))));

function l0Tensor(theta: number[][], logAlpha: number[][], lambda: number, priorPrecision: number): L0Tensor {
  return new L0Tensor(tf.variable(tf.tensor2d(theta)), tf.variable(tf.tensor2d(logAlpha)), 5, { lambda, priorPrecision });
}

test('L0 weight penalty: sum of P(z != 0) (lambda + 0.5 priorPrecision theta^2), by hand', () => {
  const t = l0Tensor([[1, -2], [0.5, 0]], [[0, 1], [-1, 2]], 0.1, 2);
  // P(z != 0): 0.831822, 0.930771, 0.645335, 0.973367 (sigmoid of 1.5986, 2.5986, 0.5986, 3.5986)
  const expected = probNonzero(0) * (0.1 + 1) + probNonzero(1) * (0.1 + 4) + probNonzero(-1) * (0.1 + 0.25) + probNonzero(2) * 0.1;
  assertClose(values(t.penalty()), [expected], 1e-5, 'penalty');
  assertClose([expected], [0.831822 * 1.1 + 0.930771 * 4.1 + 0.645335 * 0.35 + 0.973367 * 0.1], 1e-5, 'hand values');
});

test('L0 tensor: train draws gate each element once per call; eval uses the test gates; kept = test gate > 0', () => {
  const t = l0Tensor([[1, -2, 3], [0.5, 4, -1]], [[-4, 0, 4], [-3, 1, 0]], 0.1, 1);
  const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
  const gate = (a: number): number => Math.min(1, Math.max(0, sigmoid(a) * 1.2 - 0.1));
  const thetas = [1, -2, 3, 0.5, 4, -1], alphas = [-4, 0, 4, -3, 1, 0];
  assertClose(values(t.evalWeight()), thetas.map((w, i) => w * gate(alphas[i])), 1e-6, 'eval weight');
  assert.deepEqual(values(t.keptMask()), [0, 1, 1, 0, 1, 1]);
  assert.deepEqual(values(t.weight(false)), values(t.evalWeight()));
  const a = values(t.weight(true)), b = values(t.weight(true));
  assert.notDeepEqual(a, b, 'a fresh draw per call');
  a.forEach((w, i) => assert.ok(Math.abs(w) <= Math.abs(thetas[i]) + 1e-6 && w * thetas[i] >= 0, `sample ${i}: ${w}`));
  // gathered rows: eval rows equal the eval weight's rows
  assertClose(values(t.gatherRows(tf.tensor1d([1], 'int32'), false)), values(t.evalWeight()).slice(3), 1e-6, 'eval row 1');
  t.noise.reseed(2);
  const c = values(t.weight(true));
  t.noise.reseed(2);
  assert.deepEqual(values(t.weight(true)), c, 'reseeded draws repeat');
});

test('L0 group gate: one sample per sequence in train mode, test gates in eval; penalty lambda * weightsPerGroup * sum P', () => {
  const g = new L0GroupGate(4, 6, 3, { lambda: 0.2, priorPrecision: 1 });
  g.logAlpha.assign(tf.tensor1d([-4, 0, 1, 4]));
  const rows = values(g.apply(64));
  const distinct = new Set(Array.from({ length: 64 }, (_, b) => rows.slice(b * 4, b * 4 + 4).join()));
  assert.ok(distinct.size > 32, 'rows are independent draws');
  g.eval();
  const evalRows = values(g.apply(3));
  const test = values(g.evalValues());
  assert.deepEqual(evalRows, [...test, ...test, ...test]);
  assert.deepEqual(values(g.keptMask()), [0, 1, 1, 1]);
  const expected = 0.2 * 6 * [-4, 0, 1, 4].reduce((s, a) => s + probNonzero(a), 0);
  assertClose(values(g.penalty()), [expected], 1e-5, 'group penalty');
  g.dispose();
});

test('Module.afterStep clamps every L0 log alpha of a model (tensors and group gates) and leaves SparseVD alone', () => {
  const model = new SparseTextClassifier(10, 4, 3, 2, 'w+g+n', { seed: 1, method: 'l0' });
  const logAlphas = [...model.namedParameters()].filter(([name]) => /[lL]ogAlpha$/.test(name));
  // embedding, W_x, W_h, output, z_voc, z_x, z_h, z_gate
  assert.equal(logAlphas.length, 8, logAlphas.map(([n]) => n).join());
  for (const [, v] of logAlphas) v.assign(tf.mul(tf.randomNormal(v.shape, 0, 1, 'float32', 4), 20));
  model.afterStep();
  for (const [name, v] of logAlphas) {
    const xs = Array.from(v.dataSync());
    assert.ok(xs.every((x) => x >= L0_LOG_ALPHA_MIN - 1e-6 && x <= L0_LOG_ALPHA_MAX + 1e-6), `${name} clamped`);
    assert.ok(xs.some((x) => Math.abs(x - L0_LOG_ALPHA_MAX) < 1e-6 || Math.abs(x - L0_LOG_ALPHA_MIN) < 1e-6), `${name} hits a bound`);
  }
  model.dispose();
  const vd = new BayesianLSTM(3, 2, { weights: 'sparsevd', gateGroups: true, seed: 1 });
  const before = [...vd.namedParameters()].map(([, v]) => Array.from(v.dataSync()));
  vd.afterStep();
  assert.deepEqual([...vd.namedParameters()].map(([, v]) => Array.from(v.dataSync())), before);
  vd.dispose();
});

test('an L0 classifier: parameter names, penalty = sum of the parts (z_h costs its output row too), SparseVD parameter names unchanged', () => {
  const l0 = new SparseTextClassifier(10, 4, 3, 2, 'w+g+n', { seed: 2, method: 'l0', l0: { lambda: 0.3 } });
  assert.deepEqual([...l0.namedParameters().keys()], [
    'embedding.theta', 'embedding.logAlpha', 'vocabularyGroups.logAlpha', 'lstm.kernelTheta', 'lstm.kernelLogAlpha',
    'lstm.recurrentKernelTheta', 'lstm.recurrentKernelLogAlpha', 'lstm.bias', 'lstm.inputGroups.logAlpha',
    'lstm.hiddenGroups.logAlpha', 'lstm.gateGroups.logAlpha', 'output.theta', 'output.logAlpha', 'output.bias',
  ]);
  // at init every log alpha is ~0: P(z != 0) ~ 0.83182 for each gate, priorPrecision 1 by default
  const p = 0.83182, sq = (t: tf.Tensor): number => values(tf.sum(tf.square(t)))[0];
  const weights = (name: string, n: number): number => p * (0.3 * n + 0.5 * sq(l0.namedParameters().get(name)!));
  const expected = weights('embedding.theta', 40) + weights('lstm.kernelTheta', 48) + weights('lstm.recurrentKernelTheta', 36)
    // groups: z_voc its embedding row (4), z_x its W_x row (12), z_h its W_h row plus its output row (12 + 2 classes),
    // z_gate its columns of W_x and W_h (4 + 3)
    + weights('output.theta', 6) + p * 0.3 * (10 * 4 + 4 * 12 + 3 * (12 + 2) + 12 * 7);
  assertClose(values(l0.kl()), [expected], 2e-3 * expected, 'penalty');
  l0.dispose();
  const vd = new SparseTextClassifier(10, 4, 3, 2, 'w+g+n', { seed: 2 });
  assert.deepEqual([...vd.namedParameters().keys()], [
    'embedding.theta', 'embedding.logSigma', 'vocabularyGroups.mu', 'vocabularyGroups.logSigma', 'lstm.kernelTheta',
    'lstm.kernelLogSigma', 'lstm.recurrentKernelTheta', 'lstm.recurrentKernelLogSigma', 'lstm.bias', 'lstm.inputGroups.mu',
    'lstm.inputGroups.logSigma', 'lstm.hiddenGroups.mu', 'lstm.hiddenGroups.logSigma', 'lstm.gateGroups.mu',
    'lstm.gateGroups.logSigma', 'output.theta', 'output.logSigma', 'output.bias',
  ]);
  vd.dispose();
});
