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
import { resolveLanguageModelRunConfig, loadLanguageModelData } from '../../src/cli/language_model_run.js';
import { readConfigFile } from '../../src/cli/run_config.js';
import { loadCheckpoint } from '../../src/train/checkpoint.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'parsimony-lm-cli-'));
const quiet = { progress: null, log: () => {} };
/** A tiny Moby Dick char LM (the corpus ships with the package): 20 windows, 2 steps of 4 windows per epoch. */
const tiny = { task: 'moby-dick' as const, preset: 'w+g+n', hidden: 6, batch: 4, maxTrain: 20, maxEval: 3, maxSteps: 2, seed: 5 };

test('LM train (moby-dick, tiny) 2 epochs == 1 epoch + --resume; eval and compress read the run', async () => {
  const straight = tmp(), resumed = tmp();
  await runTrain({ flags: { ...tiny, epochs: 2 }, out: straight, ...quiet });
  await runTrain({ flags: { ...tiny, epochs: 1 }, out: resumed, ...quiet });
  await runTrain({ flags: { epochs: 2 }, out: resumed, resume: true, ...quiet });
  const a = loadCheckpoint(join(straight, 'checkpoint.bin')), b = loadCheckpoint(join(resumed, 'checkpoint.bin'));
  assert.equal(b.epoch, 2);
  for (const [k, p] of a.parameters) assert.deepEqual(b.parameters.get(k)!.values, p.values, `parameter ${k}`);
  const config = JSON.parse(readFileSync(join(resumed, 'config.json'), 'utf8'));
  assert.deepEqual([config.task, config.epochs, config.lr, config.clipNorm, config.maxSteps], ['moby-dick', 2, 2e-3, 1, 2]);
  assert.deepEqual(config.primaryMetric, { name: 'bpc', higherIsBetter: false });
  const metrics = readFileSync(join(resumed, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(metrics.map((m) => m.epoch), [1, 2]);
  assert.ok(metrics[1].validation.bpc > 0 && metrics[1].test.bpc > 0);

  const lines: string[] = [];
  const evaluated = await runEval({ run: straight, split: 'both', maxEval: 3, log: (l) => lines.push(l) });
  assert.deepEqual(Object.keys(evaluated), ['validation', 'test']);
  assert.ok(evaluated.test.bpc > 0 && evaluated.test.bpc < 10);
  // Same checkpoint, same 3 windows: eval reproduces the bpc the trainer recorded for epoch 2.
  const recorded = readFileSync(join(straight, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))[1];
  assert.ok(Math.abs(evaluated.test.bpc - recorded.test.bpc) < 1e-5, `${evaluated.test.bpc} vs ${recorded.test.bpc}`);
  assert.match(lines[1], /^moby-dick w\+g\+n \(LLRL\), LSTM 6, epoch 2, test \(3 windows of 100 characters\): bpc \d/);

  const out: string[] = [];
  const { report, compactFile } = await runCompress({ run: straight, log: (l) => out.push(l) });
  assert.ok(report.compressionRatio >= 1);
  assert.equal(compactFile, undefined);
  assert.ok(!existsSync(join(straight, 'model.compact.json')));
  assert.equal(out[0], 'moby-dick w+g+n, LSTM 6, epoch 2');
  for (const re of [/^ {2}compression {7}/, /^ {2}kept inputs {7}\d+ \/ \d+ \(vocabulary\)$/, /^ {2}kept hidden {7}\d+ \/ 6$/,
    /^ {2}kept gates {8}\d+ \/ 24 /, /^ {2}constant gates {4}\d+ /, /^compact model: not written: .*classifiers only/]) {
    assert.ok(out.some((l) => re.test(l)), `no line matches ${re}:\n${out.join('\n')}`);
  }
  assert.ok(!out.some((l) => /kept words/.test(l)));
});

test('LM resume refuses changed settings and flags of the other kind of task', async () => {
  const dir = tmp();
  await runTrain({ flags: { ...tiny, epochs: 1, maxSteps: 1 }, out: dir, ...quiet });
  await assert.rejects(runTrain({ flags: { hidden: 7 }, out: dir, resume: true, ...quiet }), /hidden is 6 .* cannot change it to 7/);
  await assert.rejects(runTrain({ flags: { preset: 'sparsevd' }, out: dir, resume: true, ...quiet }), /preset is "w\+g\+n" .* cannot change/);
  await assert.rejects(runTrain({ flags: { embeddingDim: 8 }, out: dir, resume: true, ...quiet }), /--embedding-dim applies to the classification tasks .* only, not to moby-dick/);
  await assert.rejects(runTrain({ flags: { ...tiny, epochs: 1, embeddings: 'none' }, out: tmp(), ...quiet }), /--embeddings applies to the classification tasks/);
  await assert.rejects(runTrain({ flags: { task: 'spam', preset: 'w+g+n', epochs: 1, maxSteps: 2 }, out: tmp(), ...quiet }), /--max-steps applies to the language-model tasks \(char-ptb, word-ptb, moby-dick\) only, not to spam/);
  await assert.rejects(runTrain({ flags: { preset: 'sparsevd', epochs: 1 }, out: tmp(), ...quiet }), /task: required \(--task imdb \| .* \| moby-dick\)/);
  await assert.rejects(runTrain({ flags: { task: 'ptb', preset: 'sparsevd', epochs: 1 }, out: tmp(), ...quiet }), /task: expected one of imdb, agnews, spam, char-ptb, word-ptb, moby-dick, got "ptb"/);
});

test('LM run config: spec §6.4 defaults per task, flags over the file, clear errors', () => {
  const char = resolveLanguageModelRunConfig({ task: 'char-ptb', preset: 'sparsevd', epochs: 1 });
  assert.deepEqual([char.hidden, char.batch, char.lr, char.clipNorm, char.dataDir], [1000, 64, 2e-3, 1, '../shared/data/text/ptb_char']);
  assert.deepEqual([char.seed, char.maxTrain, char.maxEval, char.maxSteps], [1, null, null, null]);
  const word = resolveLanguageModelRunConfig({ epochs: 2, lr: 1e-3 }, { task: 'word-ptb', preset: 'LLRL', lr: 0.1 }, 'f.json');
  assert.deepEqual([word.hidden, word.batch, word.lr, word.clipNorm, word.dataDir], [256, 32, 1e-3, 10, '../shared/data/text/ptb_word']);
  const moby = resolveLanguageModelRunConfig({ task: 'moby-dick', preset: 'dense', epochs: 1 });
  assert.deepEqual([moby.hidden, moby.batch, moby.clipNorm], [1000, 64, 1]);
  assert.throws(() => resolveLanguageModelRunConfig({ epochs: 1 }, { task: 'char-ptb', preset: 'sparsevd', embeddingDim: 3 }, 'f.json'), /f\.json: unknown field "embeddingDim"/);
  assert.throws(() => resolveLanguageModelRunConfig({ task: 'char-ptb', preset: 'LLLLLL', epochs: 1 }), /neither a language-model sparsification preset nor an LM config string/);
  assert.throws(() => resolveLanguageModelRunConfig({ task: 'char-ptb', preset: 'LXRL', epochs: 1 }), /gate groups \(character 2\) is "X"/);
  assert.throws(() => resolveLanguageModelRunConfig({ task: 'char-ptb', epochs: 1 }), /preset: required/);
  assert.throws(() => resolveLanguageModelRunConfig({ task: 'char-ptb', preset: 'sparsevd' }), /epochs: required/);
  assert.throws(() => resolveLanguageModelRunConfig({ epochs: 1 }, { task: 'imdb', preset: 'sparsevd' }), /task: expected one of char-ptb, word-ptb, moby-dick/);
  assert.throws(() => resolveLanguageModelRunConfig({ epochs: 1 }, { task: 'word-ptb', preset: 'sparsevd', maxSteps: 0 }, 'f.json'), /maxSteps: expected a positive integer or null, got 0 \(from f\.json/);
  const dir = tmp();
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ task: 'moby-dick', preset: 'sparsevd-voc', epochs: 3, maxSteps: 4 }));
  assert.equal(resolveLanguageModelRunConfig({}, readConfigFile(join(dir, 'run.json'))).maxSteps, 4);
});

test('LM data: --max-train / --max-eval take whole char windows; the vocabulary is the full training split\'s', () => {
  const config = resolveLanguageModelRunConfig({ ...tiny, epochs: 1 });
  const { corpus, summary } = loadLanguageModelData(config);
  assert.equal(corpus.train.length, 21 * 100);
  assert.equal(corpus.valid.length, 4 * 100);
  assert.equal(corpus.test.length, 4 * 100);
  const full = loadLanguageModelData({ ...config, maxTrain: null, maxEval: null });
  assert.equal(full.corpus.vocabulary.tokens.length, corpus.vocabulary.tokens.length);
  assert.ok(full.corpus.train.length > 1e6 && full.corpus.valid.length > 1e4 && full.corpus.test.length > 1e4);
  assert.match(summary, /^Moby Dick \(\d+ chapters\): \d+ symbols, 2100 train \/ 400 validation \/ 400 test characters$/);
});

test('the parsimony command line rejects bad LM arguments with a message and exit code 1', () => {
  const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });
  const dir = tmp();
  for (const [args, message] of [
    [['train', '--task', 'moby-dick', '--preset', 'w+g+n', '--epochs', '1', '--max-steps', '0', '--out', dir], /--max-steps must be a positive integer, got "0"/],
    [['train', '--task', 'char-ptb', '--preset', 'sparsevd', '--epochs', '1', '--data-dir', join(dir, 'nowhere'), '--out', join(dir, 'run')], /nowhere/],
  ] as [string[], RegExp][]) {
    const r = cli(args);
    assert.equal(r.status, 1, `${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
  }
});

const PTB_WORD = '../shared/data/text/ptb_word';
test('LM train + eval on word-PTB (tiny; skipped without ../shared data)', { skip: !existsSync(join(PTB_WORD, 'ptb.train.txt.xz')) && !existsSync(join(PTB_WORD, 'ptb.train.txt')) }, async () => {
  const dir = tmp();
  await runTrain({ flags: { task: 'word-ptb', preset: 'sparsevd', epochs: 1, hidden: 4, maxTrain: 3000, maxEval: 500, maxSteps: 2 }, out: dir, ...quiet });
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  assert.deepEqual([config.batch, config.clipNorm, config.vocabularySize], [32, 10, 10000]);
  const lines: string[] = [];
  const m = await runEval({ run: dir, maxEval: 500, log: (l) => lines.push(l) });
  assert.ok(m.test.perplexity > 1 && Math.abs(Math.log(m.test.perplexity) - m.test.nll) < 1e-9);
  assert.match(lines[0], /^word-ptb sparsevd \(LCCL\), LSTM 4, epoch 1, test \(500 tokens\): perplexity /);
});
