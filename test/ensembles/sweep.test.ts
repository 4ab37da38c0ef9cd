import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSweep } from '../../src/ensembles/sweep.js';
import { readSweepCells, cellPath, type SweepSettings } from '../../src/ensembles/sweep_record.js';
import { BLOB_MLP, blobDataset } from './synthetic_member_data.js';

const settings: SweepSettings = { family: BLOB_MLP, data: 'blobs', epochs: 2, runs: 2, batchSize: 32, learningRate: 0.01, seed: 5 };

test('a sweep writes one record per cell; a resumed sweep skips finished cells and trains only the missing ones', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'split-sweep-'));
  try {
    const dataset = blobDataset();
    // budgets 400 and 1200 parameters; P(h) = h^2 + 13 h + 3 for this MLP
    const first = await runSweep({ dataset, settings, budgets: [400], ks: [1, 2], outDir: dir, cores: 2, progress: null });
    assert.equal(first.trained.length, 2);
    const cells = readSweepCells(dir);
    assert.deepEqual(cells.map((c) => [c.budget, c.k]), [[400, 1], [400, 2]]);
    const c1 = cells[0];
    assert.equal(c1.runs.length, 2);
    assert.equal(c1.metrics.cnll.count, 2);
    assert.equal(c1.totalParameters, c1.k * (c1.width ** 2 + 13 * c1.width + 3));
    assert.ok(Math.abs(c1.relativeError) < 0.1);
    assert.equal(new Set(cells.flatMap((c) => c.seeds.flat())).size, 2 + 4, 'every member has its own seed');
    // the k = 2 cell's 2 runs x 2 members, scored as 4 single members and 2 pairs (the pairs are the runs themselves)
    assert.deepEqual(cells[1].subEnsembles!.map((s) => [s.members, s.groups]), [[1, 4], [2, 2]]);
    assert.ok(Math.abs(cells[1].subEnsembles![1].cnll.mean - cells[1].metrics.cnll.mean) < 1e-12);
    const before = statSync(cellPath(dir, 400, 1)).mtimeMs;
    const text = readFileSync(cellPath(dir, 400, 1), 'utf8');

    // "killed" after the first budget: resuming with a larger grid trains only the new cells
    const second = await runSweep({ dataset, settings, budgets: [400, 1200], ks: [1, 2], outDir: dir, cores: 2, progress: null });
    assert.deepEqual(second.skipped, [{ budget: 400, k: 1 }, { budget: 400, k: 2 }]);
    assert.deepEqual(second.trained.map((c) => [c.budget, c.k]), [[1200, 1], [1200, 2]]);
    assert.equal(statSync(cellPath(dir, 400, 1)).mtimeMs, before);
    assert.equal(readFileSync(cellPath(dir, 400, 1), 'utf8'), text);
    assert.equal(readSweepCells(dir).length, 4);
    assert.deepEqual(readdirSync(join(dir, 'cells')).filter((f) => f.endsWith('.tmp')), [], 'no temporary files left');

    await assert.rejects(runSweep({ dataset, settings: { ...settings, epochs: 3 }, budgets: [400], ks: [1], outDir: dir, progress: null }), /other settings/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
