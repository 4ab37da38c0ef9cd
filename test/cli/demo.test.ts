import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../helpers.js';
import { DEMO_DEFAULTS, runDemo } from '../../src/cli/demo.js';
import { loadCompactModel } from '../../src/sparsify/compact_serialization.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'parsimony-demo-'));

test('the Quick start demo trains a sparse spam classifier into a run directory and reports what it kept', async () => {
  process.env.PARSIMONY_CACHE = tmp(); // the PPMI cache goes here, not into the user's cache
  const out = join(tmp(), 'demo');
  const lines: string[] = [];
  const tiny = { ...DEMO_DEFAULTS, epochs: 1, hidden: 4, embeddingDim: 4, maxTrain: 96, maxEval: 100, out, progress: null, log: (l: string) => lines.push(l) };
  const r = await runDemo({ ...tiny, embeddings: 'ppmi' });
  for (const f of ['metrics.jsonl', 'config.json', 'structure.json', 'checkpoint.bin', 'model.compact.json']) assert.ok(existsSync(join(out, f)), f);
  assert.equal(loadCompactModel(join(out, 'model.compact.json')).data.classes, 2);
  assert.ok(r.testAccuracy >= 0 && r.testAccuracy <= 1);
  assert.ok(r.majorityAccuracy > 0.5 && r.majorityAccuracy < 0.8, `SpamAssassin is about 2/3 ham, got ${r.majorityAccuracy}`);
  assert.ok(r.compression.compressionRatio >= 1 && r.compactBytes > 0 && r.fullSeconds > 0 && r.compactSeconds > 0);
  assert.equal(r.keptWords.length, r.compression.keptWords.kept);
  for (const label of ['embeddings: PPMI', 'test accuracy', 'compression', 'kept words', 'kept neurons', 'compact model', 'run directory']) {
    assert.ok(lines.some((l) => l.startsWith(label)), `no "${label}" line in:\n${lines.join('\n')}`);
  }
  assert.ok(lines.some((l) => l.includes(`parsimony report --run ${out}`)));

  // a second run overwrites the first (the trainer alone would refuse a directory that holds a checkpoint)
  const again = await runDemo({ ...tiny, embeddings: 'none', log: () => {} });
  assert.equal(again.runDir, r.runDir);
});

test('the demo refuses to overwrite a directory that is not one of its runs', async () => {
  const out = tmp();
  mkdirSync(join(out, 'mine'));
  writeFileSync(join(out, 'notes.txt'), 'keep me');
  await assert.rejects(runDemo({ ...DEMO_DEFAULTS, embeddings: 'none', out, progress: null, log: () => {} }), /not empty and holds no run/);
  assert.ok(existsSync(join(out, 'notes.txt')));
});
