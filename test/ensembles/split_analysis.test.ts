import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeSplitSweep } from '../../src/ensembles/split_analysis.js';
import { writeSplitReport } from '../../src/ensembles/split_report.js';
import { writeCellRecord, writeSweepSettings, type SplitCellRecord, type SweepSettings } from '../../src/ensembles/sweep_record.js';
import { meanAndSpread } from '../../src/ensembles/run_statistics.js';

const settings: SweepSettings = { family: { arch: 'mlp', inputSize: 784, depth: 2, classes: 10 }, data: 'synthetic', epochs: 1, runs: 2, batchSize: 128, learningRate: 1e-3, seed: 0 };

/** A cell whose two runs have CNLL mean `cnll` (spread `std`) and accuracy mean `acc`. */
function cell(budget: number, k: number, cnll: number, acc: number, std = 0.001): SplitCellRecord {
  const runs = [-1, 1].map((s) => ({ accuracy: acc + s * std, nll: cnll + 0.1, cnll: cnll + s * std / Math.SQRT2, validationCalibratedNll: cnll, temperature: 1 }));
  const metrics = {
    accuracy: meanAndSpread(runs.map((r) => r.accuracy)), nll: meanAndSpread(runs.map((r) => r.nll)), cnll: meanAndSpread(runs.map((r) => r.cnll)),
    validationCalibratedNll: meanAndSpread(runs.map((r) => r.validationCalibratedNll)), temperature: meanAndSpread(runs.map((r) => r.temperature)),
  };
  return { budget, k, width: 10, memberParameters: budget / k, totalParameters: budget, relativeError: 0, seeds: [[1], [2]], runs, metrics,
    trainLoss: 0.3, memberSeconds: 1, wallSeconds: 1, settings };
}

// small budget: k = 1 best; large budget: k = 4 best by CNLL by far more than the spread; CNLL(k) = 0.3 + 0.1 k^-1 at B = 4e5
const cells = [
  cell(25e3, 1, 0.33, 0.88), cell(25e3, 2, 0.36, 0.87), cell(25e3, 4, 0.39, 0.86),
  cell(4e5, 1, 0.4, 0.89), cell(4e5, 2, 0.35, 0.895), cell(4e5, 4, 0.325, 0.891), cell(4e5, 8, 0.3125, 0.89),
  cell(1e5, 1, 0.3, 0.89), cell(1e5, 2, 0.31, 0.885),
];

test('optimal k per budget and the memory-split advantage with its spread', () => {
  const a = analyzeSplitSweep(cells);
  assert.deepEqual(a.budgets.map((b) => b.budget), [25e3, 1e5, 4e5]);
  const [small, , large] = a.budgets;
  assert.equal(small.cnll.bestK, 1);
  assert.equal(small.cnll.gain, 0);
  assert.equal(small.cnll.significant, false);
  assert.equal(large.cnll.bestK, 8);
  assert.ok(Math.abs(large.cnll.gain! - 0.0875) < 1e-12);
  assert.ok(Math.abs(large.cnll.spread! - Math.hypot(0.001, 0.001)) < 1e-12);
  assert.equal(large.cnll.significant, true);
  assert.equal(large.accuracy.bestK, 2);
  assert.ok(Math.abs(large.accuracy.gain! - 0.005) < 1e-12);
  // CNLL(k) at 4e5 is 0.3 + 0.1 / k exactly
  assert.ok(Math.abs(large.cnllVsK!.a + 1) < 1e-3 && Math.abs(large.cnllVsK!.c - 0.3) < 1e-3);
  assert.equal(a.budgets[1].cnllVsK, null, 'two ks: no fit');
  // at 4e5 the smaller single net of the 1e5 cell (0.3) beats the best split (0.3125): a negative gain
  assert.equal(large.bestSingleUpToBudget!.budget, 1e5);
  assert.ok(Math.abs(large.bestSingleUpToBudget!.gain + 0.0125) < 1e-12);
  assert.deepEqual(small.bestSingleUpToBudget, { budget: 25e3, cnll: small.cnll.single, gain: 0 });
});

test('split report: markdown tables and three SVG plots from a sweep directory', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'split-report-'));
  try {
    writeSweepSettings(dir, settings);
    for (const c of cells) writeCellRecord(dir, c);
    const files = await writeSplitReport(dir);
    const md = readFileSync(files.markdown, 'utf8');
    assert.match(md, /\| 400,000 \| 8 \| 0\.0875 ± 0\.0014 \(> 2 spreads\) \| 2 \|/);
    assert.match(md, /\| 25,000 \| 1 \| k = 1 is best \|/);
    assert.equal(files.images.length, 3);
    assert.match(md, /CNLL vs ensemble size at a fixed member width/);
    for (const image of files.images) assert.match(readFileSync(image, 'utf8'), /^<svg[^]*<\/svg>\s*$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
