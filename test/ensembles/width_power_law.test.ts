import { test } from 'node:test';
import assert from 'node:assert/strict';
import { predictOptimalSplits, widthPowerLaws } from '../../src/ensembles/width_power_law.js';
import { meanAndSpread } from '../../src/ensembles/run_statistics.js';
import { subEnsembleMetrics, subEnsembleSizes } from '../../src/ensembles/sub_ensembles.js';
import { classScores } from '../../src/ensembles/class_scores.js';
import { evaluateEnsemble } from '../../src/ensembles/evaluate_ensemble.js';
import type { SplitCellRecord, SweepSettings } from '../../src/ensembles/sweep_record.js';
import type { MemberResult } from '../../src/ensembles/train_member.js';
import { blobDataset } from './synthetic_member_data.js';

const settings: SweepSettings = { family: { arch: 'mlp', inputSize: 784, depth: 2, classes: 10 }, data: 'synthetic', epochs: 1, runs: 1, batchSize: 128, learningRate: 1e-3, seed: 0 };
const m = (mean: number) => meanAndSpread([mean]);

/** A cell at `width` whose sub-ensembles follow CNLL_n = law(n) exactly, for n = 1, 2, 4, ..., k. */
function cell(budget: number, k: number, width: number, law: (n: number) => number, withSubEnsembles = true): SplitCellRecord {
  const run = { accuracy: 0.9, nll: law(k) + 0.1, cnll: law(k), validationCalibratedNll: law(k), temperature: 1 };
  return {
    budget, k, width, memberParameters: budget / k, totalParameters: budget, relativeError: 0, seeds: [[1]], runs: [run],
    metrics: { accuracy: m(0.9), nll: m(run.nll), cnll: m(run.cnll), validationCalibratedNll: m(run.cnll), temperature: m(1) },
    subEnsembles: withSubEnsembles
      ? subEnsembleSizes(k).map((n) => ({ members: n, groups: k / n, accuracy: m(0.9), nll: m(law(n) + 0.1), cnll: m(law(n)) }))
      : undefined,
    trainLoss: 0.3, memberSeconds: 1, wallSeconds: 1, settings,
  };
}

test('sub-ensemble sizes are the powers of two below k, then k', () => {
  assert.deepEqual(subEnsembleSizes(1), [1]);
  assert.deepEqual(subEnsembleSizes(8), [1, 2, 4, 8]);
  assert.deepEqual(subEnsembleSizes(6), [1, 2, 4, 6]);
});

test('sub-ensembles score disjoint groups of the pooled members, capped at maxGroups per size', () => {
  const dataset = blobDataset({ train: 3, validation: 3, test: 30 });
  let state = 1;
  const noise = () => ((state = (state * 48271) % 2147483647) / 2147483647) * 4 - 2;
  const members: MemberResult[] = Array.from({ length: 8 }, (_, i) => ({
    seed: i, width: 4, parameters: 10, validationLogits: new Float32Array(9), finalTrainLoss: 0, seconds: 0,
    testLogits: Float32Array.from({ length: 30 * 3 }, noise),
  }));
  const test = members.map((r) => classScores(r.testLogits, 3));
  const summary = subEnsembleMetrics(members, 4, dataset, { maxGroups: 3 });
  assert.deepEqual(summary.map((s) => [s.members, s.groups]), [[1, 3], [2, 3], [4, 2]]);
  // n = 2, group 1 is members 2 and 3; n = 4 is members 0-3 and 4-7
  const pair = evaluateEnsemble([test[2], test[3]], dataset.test.labels);
  const quads = [evaluateEnsemble(test.slice(0, 4), dataset.test.labels), evaluateEnsemble(test.slice(4, 8), dataset.test.labels)];
  const pairs = [0, 2, 4].map((i) => evaluateEnsemble([test[i], test[i + 1]], dataset.test.labels));
  assert.ok(pairs.some((p) => p.cnll === pair.cnll));
  assert.ok(Math.abs(summary[1].cnll.mean - pairs.reduce((s, p) => s + p.cnll, 0) / 3) < 1e-12);
  assert.ok(Math.abs(summary[2].accuracy.mean - (quads[0].accuracy + quads[1].accuracy) / 2) < 1e-12);
});

test('per-width laws pool the cells of one width; the n <= 4 fit extrapolates an exact law and predicts k*', () => {
  const law = (n: number) => 0.3 + 0.1 * n ** -1;
  // width 50: one 16-member cell; width 80: a 1-member cell at 1e5 and a 4-member cell at 4e5 (as (B, k) and (4B, 4k))
  const cells = [cell(1e5, 16, 50, law), cell(1e5, 1, 80, (n) => 0.36 + 0 * n), cell(4e5, 4, 80, (n) => 0.36 / n ** 0.05)];
  const laws = widthPowerLaws(cells);
  assert.deepEqual(laws.map((l) => l.width), [50, 80]);
  const w50 = laws[0];
  assert.deepEqual(w50.points.map((p) => [p.members, p.groups]), [[1, 16], [2, 8], [4, 4], [8, 2], [16, 1]]);
  assert.ok(Math.abs(w50.all!.a + 1) < 1e-3 && Math.abs(w50.all!.c - 0.3) < 1e-3, JSON.stringify(w50.all));
  assert.equal(w50.extrapolation!.members, 16);
  assert.ok(Math.abs(w50.extrapolation!.predicted - law(16)) < 1e-3);
  assert.ok(Math.abs(w50.extrapolation!.observed - law(16)) < 1e-12);
  // width 80: the k = 1 cell's one group and the k = 4 cell's four single members pool into one point of 5 groups
  assert.deepEqual(laws[1].points[0], { members: 1, cnll: 0.36, groups: 5 });
  const [small, large] = predictOptimalSplits(cells, laws);
  assert.deepEqual(small, { budget: 1e5, predictedBestK: 16, observedBestK: 16 });
  assert.deepEqual(large, { budget: 4e5, predictedBestK: 4, observedBestK: 4 });
});

test('older records without sub-ensembles contribute their own (k, CNLL); no n <= 4 law means no prediction', () => {
  const law = (n: number) => 0.3 + 0.1 / n;
  const cells = [cell(1e5, 1, 100, law, false), cell(4e5, 4, 100, law, false), cell(1.6e6, 16, 100, law, false), cell(4e5, 8, 60, law, false)];
  const laws = widthPowerLaws(cells);
  const w100 = laws.find((l) => l.width === 100)!;
  assert.deepEqual(w100.points.map((p) => p.members), [1, 4, 16]);
  assert.ok(w100.all !== null);
  assert.equal(w100.small, null);
  const predicted = predictOptimalSplits(cells, laws);
  assert.equal(predicted.find((p) => p.budget === 4e5)!.predictedBestK, null);
});
