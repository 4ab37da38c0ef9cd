// The LM tasks under the real trainer: an epoch runs, the records carry { bpc } / { perplexity, nll }, the structure
// file has the kept characters and gate states, and a resumed run ends bit-identical to a straight one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../helpers.js';
import { train } from '../../../src/train/trainer.js';
import { parseMetricsJsonl } from '../../../src/report/run_files.js';
import { CharLmTask } from '../../../src/train/tasks/char_lm_task.js';
import { WordLmTask } from '../../../src/train/tasks/word_lm_task.js';
import { tinyCorpus } from './lm_task_fixtures.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'parsimony-lm-'));
const opts = (outDir: string, epochs: number, resume = false) => ({ epochs, learningRate: 1e-2, clipNorm: 1, seed: 3, outDir, resume, progress: null });
const charCorpus = tinyCorpus(['_', 'a', 'b', 'c', '\n'], 850, 450);
const wordCorpus = tinyCorpus(['<eos>', 'the', 'cat', 'sat', 'on', 'mat'], 4 * 60, 4 * 20);

test('char LM: 2 epochs straight = 1 epoch + resume; records carry bpc, the structure kept characters', async () => {
  const make = () => new CharLmTask(charCorpus, { preset: 'sparsevd-voc', hiddenSize: 6, batchSize: 3, seed: 1 });
  const a = make(), straight = tmp();
  await train(a, opts(straight, 2));
  const resumed = tmp();
  const b1 = make();
  await train(b1, opts(resumed, 1));
  b1.model.dispose();
  const b2 = make();
  await train(b2, opts(resumed, 2, true));
  for (const [k, v] of a.model.namedParameters()) assert.deepEqual(b2.model.namedParameters().get(k)!.dataSync(), v.dataSync(), k);
  const records = parseMetricsJsonl(readFileSync(join(straight, 'metrics.jsonl'), 'utf8'), 'char');
  assert.deepEqual(records.map((r) => r.epoch), [1, 2]);
  assert.ok(records.every((r) => Number.isFinite(r.validation.bpc) && Number.isFinite(r.test.bpc)));
  const structure = JSON.parse(readFileSync(join(straight, 'structure.json'), 'utf8')) as { keptWords: string[]; gateStates: Record<string, unknown> };
  assert.deepEqual(Object.keys(structure.gateStates), ['i', 'f', 'g', 'o']);
  assert.ok(structure.keptWords.every((w) => charCorpus.vocabulary.tokens.includes(w)));
  a.model.dispose(); b2.model.dispose();
});

test('word LM: an epoch under the trainer gives perplexity = exp(nll) on both splits', async () => {
  const task = new WordLmTask(wordCorpus, { preset: 'w+g+n', hiddenSize: 6, batchSize: 4, seed: 2 }, 7);
  const { records } = await train(task, opts(tmp(), 1));
  for (const split of [records[0].validation, records[0].test]) {
    assert.ok(Math.abs(split.perplexity - Math.exp(split.nll)) < 1e-9 * split.perplexity);
  }
  assert.ok(Number.isFinite(records[0].trainNll) && records[0].klPerExample > 0);
  task.resetState();
  task.model.dispose();
});
