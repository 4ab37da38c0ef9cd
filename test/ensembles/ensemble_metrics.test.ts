import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accuracy, averageProbabilities, classScores, negativeLogLikelihood, softmaxRows } from '../../src/ensembles/class_scores.js';
import { calibratedNll, calibratedNllAfterAveraging, fitSharedTemperature, fitTemperature, goldenSectionMinimize, nllAtTemperature, temperatureScaledNll } from '../../src/ensembles/temperature_scaling.js';
import { disjointGroups, meanAndSpread, summarizeRuns } from '../../src/ensembles/run_statistics.js';
import { evaluateEnsemble } from '../../src/ensembles/evaluate_ensemble.js';
import { rng } from '../helpers.js';

const close = (actual: number, expected: number, tol = 1e-6, what = ''): void =>
  assert.ok(Math.abs(actual - expected) <= tol, `${what} ${actual} vs ${expected}`);

// Two members, two rows, two classes: member 1 gives [.5 .5] and [.75 .25]; member 2 [.8 .2] and [.25 .75].
const member1 = classScores([0, 0, Math.log(3), 0], 2);
const member2 = classScores([Math.log(4), 0, 0, Math.log(3)], 2);
const labels = [0, 1];

test('the ensemble averages probabilities (not logits); accuracy and NLL of the average', () => {
  const p = averageProbabilities([member1, member2]);
  [0.65, 0.35, 0.5, 0.5].forEach((v, i) => close(p.values[i], v, 1e-12));
  assert.equal(accuracy(p, labels), 0.5); // row 2 is a tie: argmax takes the first class
  close(negativeLogLikelihood(p, labels), -(Math.log(0.65) + Math.log(0.5)) / 2, 1e-12); // 0.5619650
  close(negativeLogLikelihood(classScores([1, 0], 2), [1]), -Math.log(1e-12), 1e-9, 'clipped at 1e-12');
  assert.throws(() => averageProbabilities([member1, classScores([0, 0, 0], 3)]), /member 1 has shape \[1, 3\]/);
  assert.throws(() => accuracy(averageProbabilities([member1]), [0, 2]), /label 1 is 2, expected an integer in \[0, 2\)/);
  assert.throws(() => classScores([1, 2, 3], 2), /not a multiple of 2 classes/);
});

test('softmax with temperature and the NLL at a temperature agree', () => {
  const z = classScores([3, 1, -2, 0.5, 0.5, 4], 3);
  const p = softmaxRows(z, 2);
  close(p.values[0], Math.exp(1.5) / (Math.exp(1.5) + Math.exp(0.5) + Math.exp(-1)), 1e-12);
  close(nllAtTemperature(z, [0, 2], 2), negativeLogLikelihood(p, [0, 2]), 1e-12);
});

test('golden-section search finds the minimum of a unimodal function', () => {
  const { x, value } = goldenSectionMinimize((t) => (t - 1.3) ** 2 + 0.25, 0, 5, 1e-9);
  close(x, 1.3, 1e-8);
  close(value, 0.25, 1e-12);
});

// Three rows with logits [2, 0], labels 0, 0, 1: the best constant probability of class 0 is 2/3, so
// sigmoid(2 / T) = 2/3, T = 2 / ln 2 = 2.885390, NLL = -(2 ln(2/3) + ln(1/3)) / 3 = 0.636514.
const overconfident = classScores([2, 0, 2, 0, 2, 0], 2);
const threeLabels = [0, 0, 1];

test('fitTemperature: T = 2 / ln 2 on the hand-computed example; scales with the logits', () => {
  const fit = fitTemperature(overconfident, threeLabels);
  close(fit.temperature, 2 / Math.LN2, 1e-5);
  close(fit.nll, -(2 * Math.log(2 / 3) + Math.log(1 / 3)) / 3, 1e-10);
  const random = rng(3);
  const z = classScores(Array.from({ length: 60 }, () => 4 * (random() - 0.5)), 3);
  const y = Array.from({ length: 20 }, (_, i) => i % 3);
  const base = fitTemperature(z, y).temperature;
  const scaled = fitTemperature(classScores(Array.from(z.values, (v) => 3 * v), 3), y).temperature;
  close(scaled, 3 * base, 1e-4, 'T(3 z) = 3 T(z)');
});

test('temperatureScaledNll: T from the validation split, NLL on the test split', () => {
  const result = temperatureScaledNll(overconfident, threeLabels, classScores([2, 0], 2), [1]);
  close(result.temperature, 2 / Math.LN2, 1e-5);
  close(result.nll, -Math.log(1 / 3), 1e-5); // at that T the test row gets p(1) = 1/3
});

test('calibrated NLL (2-fold x 5 CV): near the hand-computed optimum on a large set, reproducible, setup 1 = plain for one member', () => {
  const random = rng(11);
  const n = 3000;
  const logits = classScores(new Array(2 * n).fill(0).map((_, i) => (i % 2 === 0 ? 1 : 0)), 2);
  const y = Array.from({ length: n }, () => (random() < 2 / 3 ? 0 : 1));
  const result = calibratedNll(logits, y, { seed: 4 });
  assert.equal(result.folds.length, 10);
  // each half fits sigmoid(1 / T) to its share of zeros q: T = 1 / logit(q), q near the whole set's share;
  // the held-out NLL is then near the entropy of that share
  const zeros = y.filter((v) => v === 0).length / n;
  for (const f of result.folds) close(f.temperature, 1 / Math.log(zeros / (1 - zeros)), 0.15, 'fold T');
  const entropy = -(zeros * Math.log(zeros) + (1 - zeros) * Math.log(1 - zeros));
  assert.ok(result.cnll >= entropy - 1e-9, 'held-out NLL cannot beat the in-sample optimum of the whole set on average');
  close(result.cnll, entropy, 2e-3);
  assert.deepEqual(calibratedNll(logits, y, { seed: 4 }), result);
  assert.notDeepEqual(calibratedNll(logits, y, { seed: 5 }).folds, result.folds);
  // one member: log softmax(z) is z shifted per row, so scaling it is scaling z
  const z = classScores(Array.from({ length: 90 }, () => 6 * (random() - 0.5)), 3);
  const yz = Array.from({ length: 30 }, () => Math.floor(random() * 3));
  close(calibratedNllAfterAveraging(averageProbabilities([z]), yz, { seed: 1 }).cnll, calibratedNll(z, yz, { seed: 1 }).cnll, 1e-6);
});

test('setup 2: one shared temperature before averaging; equals the single-model fit for identical members', () => {
  const fit = fitSharedTemperature([overconfident, overconfident], threeLabels);
  close(fit.temperature, 2 / Math.LN2, 1e-5);
  const mixed = fitSharedTemperature([member1, member2], labels);
  assert.ok(mixed.temperature > 0 && Number.isFinite(mixed.nll));
});

test('mean and spread over runs; disjoint ensemble groups of a pool', () => {
  const s = meanAndSpread([1, 2, 3, 4]);
  assert.equal(s.mean, 2.5);
  close(s.std, Math.sqrt(5 / 3), 1e-12);
  assert.deepEqual([s.count, s.min, s.max], [4, 1, 4]);
  assert.equal(meanAndSpread([0.7]).std, 0);
  assert.deepEqual(disjointGroups(10, 3), [[0, 1, 2], [3, 4, 5], [6, 7, 8]]);
  assert.deepEqual(disjointGroups(8, 5), [[0, 1, 2, 3, 4]]);
  assert.throws(() => disjointGroups(3, 4), /pool of 3 cannot hold an ensemble of 4/);
  const summary = summarizeRuns([{ accuracy: 0.8, nll: 0.5 }, { accuracy: 0.9, nll: 0.3 }]);
  close(summary.accuracy.mean, 0.85, 1e-12);
  close(summary.nll.std, Math.sqrt(0.02), 1e-12);
});

test('evaluateEnsemble: accuracy and NLL of the averaged probabilities, CNLL of setup 1', () => {
  const m = evaluateEnsemble([member1, member2], labels, { seed: 2 });
  assert.equal(m.accuracy, 0.5);
  close(m.nll, -(Math.log(0.65) + Math.log(0.5)) / 2, 1e-12);
  close(m.cnll, calibratedNllAfterAveraging(averageProbabilities([member1, member2]), labels, { seed: 2 }).cnll, 1e-12);
  assert.ok(m.temperature > 0);
});
