import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import '../helpers.js';
import { runTrain } from '../../src/cli/train.js';
import { runEval } from '../../src/cli/eval.js';
import { runCompress } from '../../src/cli/compress.js';
import { readConfigFile, resolveRunConfig } from '../../src/cli/classifier_run.js';
import { loadCheckpoint } from '../../src/train/checkpoint.js';
import { loadCompactModel } from '../../src/sparsify/compact_serialization.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'parsimony-cli-'));
const quiet = { progress: null, log: () => {} };
/** A tiny spam run: the corpus ships with the package, so this needs no data folder. */
const tiny = { task: 'spam' as const, preset: 'w+g+n', hidden: 6, embeddingDim: 5, batch: 32, maxTrain: 64, maxEval: 32, seed: 3 };

test('train (spam, tiny) 2 epochs == 1 epoch + --resume; then eval and compress read the run', async () => {
  const straight = tmp(), resumed = tmp();
  await runTrain({ flags: { ...tiny, epochs: 2 }, out: straight, ...quiet });
  await runTrain({ flags: { ...tiny, epochs: 1 }, out: resumed, ...quiet });
  await runTrain({ flags: { epochs: 2 }, out: resumed, resume: true, ...quiet });
  const a = loadCheckpoint(join(straight, 'checkpoint.bin')), b = loadCheckpoint(join(resumed, 'checkpoint.bin'));
  assert.equal(b.epoch, 2);
  for (const [k, p] of a.parameters) assert.deepEqual(b.parameters.get(k)!.values, p.values, `parameter ${k}`);
  const config = JSON.parse(readFileSync(join(resumed, 'config.json'), 'utf8'));
  assert.equal(config.task, 'spam');
  assert.equal(config.epochs, 2);
  assert.equal(config.lr, 1e-3);

  const lines: string[] = [];
  const metrics = await runEval({ run: straight, split: 'both', maxEval: 40, log: (l) => lines.push(l) });
  assert.deepEqual(Object.keys(metrics), ['validation', 'test']);
  assert.ok(metrics.test.accuracy >= 0 && metrics.test.accuracy <= 1 && metrics.test.nll > 0);
  assert.match(lines[1], /spam w\+g\+n, LSTM 6, epoch 2, test \(40 documents\): accuracy/);

  const out: string[] = [];
  const { report, compactFile } = await runCompress({ run: straight, log: (l) => out.push(l) });
  assert.ok(report.compressionRatio >= 1);
  assert.ok(out.some((l) => /^ {2}compression {7}/.test(l)) && out.some((l) => /constant gates/.test(l)));
  assert.ok(compactFile && existsSync(compactFile));
  assert.equal(loadCompactModel(compactFile).data.classes, 2);
});

test('resume refuses changed settings and missing runs', async () => {
  const dir = tmp();
  await runTrain({ flags: { ...tiny, epochs: 1, maxTrain: 32 }, out: dir, ...quiet });
  await assert.rejects(runTrain({ flags: { hidden: 7 }, out: dir, resume: true, ...quiet }), /hidden is 6 .* cannot change it to 7/);
  await assert.rejects(runTrain({ flags: {}, out: tmp(), resume: true, ...quiet }), /no run to resume/);
  await assert.rejects(runTrain({ flags: { ...tiny, epochs: 1 }, out: dir, ...quiet }), /already holds a run/);
});

test('run config: flags override the file, defaults per task, clear errors', () => {
  const c = resolveRunConfig({ epochs: 3, lr: 1e-3 }, { task: 'imdb', preset: 'sparsevd', lr: 0.1, hidden: 64 }, 'f.json');
  assert.equal(c.lr, 1e-3);
  assert.equal(c.hidden, 64);
  assert.equal(c.batch, 128);
  assert.equal(c.embeddingDim, 300);
  assert.equal(c.embeddings, 'ppmi');
  assert.equal(c.clipNorm, null);
  assert.throws(() => resolveRunConfig({ epochs: 1 }, { task: 'imdb', preset: 'sparsevd', hiden: 3 }, 'f.json'), /f\.json: unknown field "hiden"/);
  assert.throws(() => resolveRunConfig({ epochs: 1, preset: 'sparsevd' }, {}), /task: expected one of imdb, agnews, spam/);
  assert.throws(() => resolveRunConfig({ task: 'imdb', epochs: 1 }, {}), /preset: required/);
  assert.throws(() => resolveRunConfig({ task: 'imdb', preset: 'sparse' }, {}), /epochs: required/);
  assert.throws(() => resolveRunConfig({ task: 'imdb', preset: 'nope', epochs: 1 }, {}), /neither a sparsification preset/);
  assert.throws(() => resolveRunConfig({ epochs: 1 }, { task: 'imdb', preset: 'sparsevd', batch: 0 }, 'f.json'), /batch: expected a positive integer, got 0/);
  const dir = tmp();
  writeFileSync(join(dir, 'bad.json'), '{"task": "imdb", "preset": 3}');
  assert.throws(() => resolveRunConfig({ epochs: 1 }, readConfigFile(join(dir, 'bad.json')), 'bad.json'), /preset: expected a non-empty string, got 3/);
  writeFileSync(join(dir, 'list.json'), '[1]');
  assert.throws(() => readConfigFile(join(dir, 'list.json')), /list\.json: expected a JSON object/);
  assert.throws(() => readConfigFile(join(dir, 'none.json')), /none\.json: missing config file/);
});

test('the parsimony command line rejects bad arguments with a message and exit code 1', () => {
  const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });
  const dir = tmp();
  for (const [args, message] of [
    [['train', '--task', 'mnist', '--out', dir], /--task must be one of imdb, agnews, spam, char-ptb, word-ptb, moby-dick, got "mnist"/],
    [['train', '--task', 'spam', '--preset', 'w+g+n', '--epochs', '0', '--out', dir], /--epochs must be a positive integer, got "0"/],
    [['train', '--task', 'spam', '--preset', 'w+g+n', '--epochs', '1'], /required option '--out <dir>'/],
    [['eval', '--run', dir], /config\.json: missing: not a training run directory/],
  ] as [string[], RegExp][]) {
    const r = cli(args);
    assert.equal(r.status, 1, `${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
  }
});
