import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCompactModel, saveCompactModel } from '../../src/sparsify/compact_serialization.js';
import { randomBatch, trainedLikeClassifier, T } from './compact_fixtures.js';

test('save / load round-trips a compact model exactly (LSTM auto format, GRU forced CSR and dense)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'compact-'));
  try {
    const cases = [['lstm', 'auto'], ['gru', 'csr'], ['gru', 'dense']] as const;
    for (const [cell, format] of cases) {
      const model = trainedLikeClassifier('w+g+n', cell, 21);
      const compact = model.compact({ format });
      const path = join(dir, `${cell}-${format}.json`);
      saveCompactModel(path, compact);
      const loaded = loadCompactModel(path);
      const { ids, lengths } = randomBatch(5);
      assert.deepEqual(Array.from(loaded.logitsArray(ids, lengths, T)), Array.from(compact.logitsArray(ids, lengths, T)));
      assert.deepEqual(loaded.summary, compact.summary);
      assert.equal(loaded.cell.hiddenWeights.format, compact.cell.hiddenWeights.format);
      model.dispose();
    }
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp')), [], 'no temp file left behind');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('loading a bad file names the file and the field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'compact-'));
  try {
    const model = trainedLikeClassifier('sparsevd', 'lstm', 22);
    const path = join(dir, 'model.json');
    saveCompactModel(path, model.compact());
    const good = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    const broken = (edit: (o: Record<string, any>) => void): string => {
      const o = JSON.parse(JSON.stringify(good));
      edit(o);
      writeFileSync(path, JSON.stringify(o));
      return path;
    };
    assert.throws(() => loadCompactModel(broken((o) => { o.format = 'other'; })), /model\.json: .*field format/);
    assert.throws(() => loadCompactModel(broken((o) => { o.cell.gateBias = 'AAAAAA=='; })), /model\.json: .*cell\.gateBias has 1 entries/);
    assert.throws(() => loadCompactModel(broken((o) => { o.outputWeights.rows = 1; })), /model\.json: .*outputWeights/);
    assert.throws(() => loadCompactModel(broken((o) => { delete o.cell; })), /model\.json: .*field cell is missing/);
    writeFileSync(path, '{');
    assert.throws(() => loadCompactModel(path), /model\.json: not JSON/);
    assert.throws(() => loadCompactModel(join(dir, 'absent.json')), /absent\.json: cannot read/);
    model.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
