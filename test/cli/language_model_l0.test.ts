// `parsimony train --method l0` on a language model, end to end on a tiny Moby Dick char LM (the corpus ships with
// the package): config.json keeps the method, --resume is bit-identical and refuses a change, eval, compress and
// report read the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../helpers.js';
import { runTrain } from '../../src/cli/train.js';
import { runEval } from '../../src/cli/eval.js';
import { runCompress } from '../../src/cli/compress.js';
import { readLanguageModelRunConfig, resolveLanguageModelRunConfig } from '../../src/cli/language_model_run.js';
import { loadCheckpoint } from '../../src/train/checkpoint.js';
import { writeRunReport } from '../../src/report/write_report.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'parsimony-lm-l0-'));
const quiet = { progress: null, log: () => {} };
/** 20 windows, 2 steps of 4 windows per epoch, LSTM 6. */
const tiny = { task: 'moby-dick' as const, preset: 'w+g+n', hidden: 6, batch: 4, maxTrain: 20, maxEval: 3, maxSteps: 2, seed: 5, method: 'l0' as const, l0Lambda: 0.2 };

test('LM --method: sparsevd by default (old config.json files too), l0 with --l0-lambda, lambda without l0 refused', () => {
  const base = { task: 'word-ptb' as const, preset: 'LLRL', epochs: 1 };
  const c = resolveLanguageModelRunConfig(base);
  assert.deepEqual([c.method, c.l0Lambda], ['sparsevd', null]);
  const l0 = resolveLanguageModelRunConfig({ ...base, method: 'l0' });
  assert.deepEqual([l0.method, l0.l0Lambda], ['l0', null]);
  assert.throws(() => resolveLanguageModelRunConfig({}, { ...base, l0Lambda: 0.5 }, 'f.json'), /l0Lambda \(--l0-lambda\) applies to method l0 only, not to sparsevd/);
  assert.throws(() => resolveLanguageModelRunConfig({}, { ...base, method: 'l1' }, 'f.json'), /method \(from f\.json or --method\): expected one of sparsevd, l0/);
  assert.throws(() => resolveLanguageModelRunConfig({}, { ...base, method: 'l0', l0Lambda: -1 }, 'f.json'), /l0Lambda: expected a positive number or null/);
  // Group lasso is the text classifier's only: a language model refuses it by name.
  assert.throws(() => resolveLanguageModelRunConfig({}, { ...base, method: 'group-lasso' }, 'f.json'),
    /method: "group-lasso" applies to the classification tasks only; the language models take sparsevd or l0/);
});

test('LM train --method l0 (moby-dick, tiny): 2 epochs == 1 + --resume, which keeps the method; eval, compress and report read the run', async () => {
  const straight = tmp(), resumed = tmp();
  await runTrain({ flags: { ...tiny, epochs: 2 }, out: straight, ...quiet });
  await runTrain({ flags: { ...tiny, epochs: 1 }, out: resumed, ...quiet });
  await assert.rejects(runTrain({ flags: { method: 'sparsevd', epochs: 2 }, out: resumed, resume: true, ...quiet }), /method is "l0" .* cannot change it to "sparsevd"/);
  await assert.rejects(runTrain({ flags: { l0Lambda: 0.1, epochs: 2 }, out: resumed, resume: true, ...quiet }), /l0Lambda is 0\.2 .* cannot change it to 0\.1/);
  await runTrain({ flags: { epochs: 2 }, out: resumed, resume: true, ...quiet });
  const saved = readLanguageModelRunConfig(resumed);
  assert.deepEqual([saved.method, saved.l0Lambda, saved.epochs], ['l0', 0.2, 2]);
  const a = loadCheckpoint(join(straight, 'checkpoint.bin')), b = loadCheckpoint(join(resumed, 'checkpoint.bin'));
  assert.equal(b.epoch, 2);
  assert.ok(['lstm.kernelLogAlpha', 'lstm.gateGroups.logAlpha', 'lstm.hiddenGroups.logAlpha', 'output.logAlpha'].every((k) => a.parameters.has(k)));
  for (const [k, p] of a.parameters) assert.deepEqual(b.parameters.get(k)!.values, p.values, `parameter ${k}`);

  // A run written before --method existed has no method field: it reads as SparseVD.
  const old = tmp(), { method: _m, l0Lambda: _l, ...before } = JSON.parse(readFileSync(join(straight, 'config.json'), 'utf8'));
  writeFileSync(join(old, 'config.json'), JSON.stringify(before));
  assert.deepEqual([readLanguageModelRunConfig(old).method, readLanguageModelRunConfig(old).l0Lambda], ['sparsevd', null]);

  const lines: string[] = [];
  const evaluated = await runEval({ run: straight, split: 'test', maxEval: 3, log: (l) => lines.push(l) });
  const recorded = readFileSync(join(straight, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))[1];
  assert.ok(Math.abs(evaluated.test.bpc - recorded.test.bpc) < 1e-5, `eval ${evaluated.test.bpc} vs recorded ${recorded.test.bpc}`);
  assert.match(lines[0], /^moby-dick w\+g\+n \(LLRL, l0 lambda 0\.2\), LSTM 6, epoch 2, test \(3 windows of 100 characters\): bpc \d/);

  const out: string[] = [];
  const { report } = await runCompress({ run: straight, log: (l) => out.push(l) });
  assert.equal(out[0], 'moby-dick w+g+n (l0, lambda 0.2), LSTM 6, epoch 2');
  assert.deepEqual(report, recorded.compression, 'compress reports what the trainer recorded for the same checkpoint');
  assert.ok(out.some((l) => /^ {2}kept gates {8}\d+ \/ 24 /.test(l)), out.join('\n'));

  const written = await writeRunReport({ runDir: straight });
  const markdown = readFileSync(written.markdown, 'utf8');
  assert.ok(existsSync(written.markdown));
  assert.match(markdown, /\| method \| l0 \|/);
  assert.match(markdown, /\| l0Lambda \| 0\.2 \|/);
});
