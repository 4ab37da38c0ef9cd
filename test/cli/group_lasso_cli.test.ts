import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import '../helpers.js';
import { runTrain } from '../../src/cli/train.js';
import { runEval } from '../../src/cli/eval.js';
import { runCompress } from '../../src/cli/compress.js';
import { readRunConfig, resolveRunConfig } from '../../src/cli/classifier_run.js';
import { resolvePruningSchedule } from '../../src/cli/group_lasso_run.js';
import { loadCheckpoint } from '../../src/train/checkpoint.js';
import { writeRunReport } from '../../src/report/write_report.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'parsimony-gl-cli-'));
const quiet = { progress: null, log: () => {} };
const tiny = { task: 'spam' as const, preset: 'w+g+n', hidden: 6, embeddingDim: 5, batch: 32, maxTrain: 64, maxEval: 32, seed: 3 };

test('group-lasso settings: defaults, phase lengths in epochs or steps, and the schedule they give', () => {
  const base = { task: 'spam' as const, preset: 'w+g+n', epochs: 4, method: 'group-lasso' as const };
  const c = resolveRunConfig(base);
  assert.equal(c.glLambda, null);
  // defaults: 25 % warm-up, 50 % pruning with 10 events, the rest fine-tuning
  const d = resolvePruningSchedule(c, 4, 10).config;
  assert.deepEqual([d.warmupSteps, d.pruningEvents, d.frequency, d.finalSparsity], [10, 10, 2, 0.9]);
  const s = resolvePruningSchedule(resolveRunConfig({ ...base, glWarmup: '1', glPruning: '5steps', glPruneEvents: 3, glSparsity: 0.5 }), 4, 10).config;
  assert.deepEqual([s.warmupSteps, s.pruningEvents, s.frequency, s.fineTuneSteps, s.finalSparsity], [10, 3, 2, 25, 0.5]);
  // phases may outlast the run (to be resumed with more epochs); the fine-tuning left unset then gets none
  const long = resolvePruningSchedule(resolveRunConfig({ ...base, glWarmup: '3', glPruning: '2' }), 4, 10);
  assert.equal(long.lastPruningStep, 30 + 9 * 2);
  assert.throws(() => resolvePruningSchedule(resolveRunConfig({ ...base, glWarmup: '4' }), 4, 10), /pruning phase has 0 steps of the run's 40/);
  assert.throws(() => resolveRunConfig({ ...base, glWarmup: 'soon' }), /glWarmup \(--gl-warmup\): expected a number of epochs/);
  assert.throws(() => resolveRunConfig({ ...base, method: 'l0', glThreshold: 0.1 }), /glThreshold \(--gl-threshold\) applies to method group-lasso only/);
  assert.throws(() => resolveRunConfig({ ...base, glSparsity: 1 }), /glSparsity: expected a number in \[0, 1\)/);
});

test('train --method group-lasso (spam, tiny): schedule and masks saved, --resume bit-identical, eval / compress / report read the run', async () => {
  const straight = tmp(), resumed = tmp();
  // 2 steps per epoch: warm-up 1 step, pruning events at steps 1 and 2, fine-tuning from step 3
  const flags = { ...tiny, method: 'group-lasso' as const, glLambda: 2, glThreshold: 0.02, glSparsity: 0.5, glWarmup: '1steps', glPruning: '2steps', glPruneEvents: 2 };
  await runTrain({ flags: { ...flags, epochs: 3 }, out: straight, ...quiet });
  await runTrain({ flags: { ...flags, epochs: 1 }, out: resumed, ...quiet });
  await runTrain({ flags: { epochs: 3 }, out: resumed, resume: true, ...quiet });
  await assert.rejects(runTrain({ flags: { glLambda: 1, epochs: 4 }, out: resumed, resume: true, ...quiet }), /glLambda is 2 .* cannot change/);
  const saved = readRunConfig(resumed);
  assert.equal(saved.method, 'group-lasso');
  assert.equal(saved.glThreshold, 0.02);
  const file = JSON.parse(readFileSync(join(resumed, 'config.json'), 'utf8')) as { pruningSchedule: { warmupSteps: number; pruningEvents: number } };
  assert.equal(file.pruningSchedule.warmupSteps, 1);
  assert.equal(file.pruningSchedule.pruningEvents, 2);
  const a = loadCheckpoint(join(straight, 'checkpoint.bin')), b = loadCheckpoint(join(resumed, 'checkpoint.bin'));
  assert.ok([...a.parameters.keys()].includes('lstm.kernelMask'));
  for (const [k, p] of a.parameters) assert.deepEqual(b.parameters.get(k)!.values, p.values, `parameter ${k}`);
  const metrics = readFileSync(join(straight, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { klPerExample: number; compression: { sparsityPercent: number } });
  assert.ok(metrics[0].klPerExample > 0, 'penalty on in epoch 1');
  assert.equal(metrics[2].klPerExample, 0, 'penalty off while fine-tuning');
  assert.ok(metrics[2].compression.sparsityPercent >= 49, `sparsity ${metrics[2].compression.sparsityPercent}%`);

  const lines: string[] = [];
  const m = await runEval({ run: straight, split: 'test', log: (l) => lines.push(l) });
  assert.ok(m.test.accuracy >= 0 && m.test.accuracy <= 1);
  assert.ok(lines.some((l) => /spam w\+g\+n \(group-lasso, lambda 2, threshold 0\.02, sparsity 0\.5\), LSTM 6/.test(l)), lines.join('\n'));
  const { report, compactFile } = await runCompress({ run: straight, log: () => {} });
  assert.ok(report.compressionRatio >= 1.9, `compression ${report.compressionRatio}`);
  assert.ok(compactFile && existsSync(compactFile));
  const written = await writeRunReport({ runDir: straight });
  assert.ok(existsSync(written.markdown) && /group-lasso/.test(readFileSync(written.markdown, 'utf8')));
});

test('the command line: --help documents the group-lasso flags; they are refused for language models', () => {
  const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });
  const help = cli(['train', '--help']);
  for (const flag of ['--gl-lambda', '--gl-threshold', '--gl-sparsity', '--gl-warmup', '--gl-pruning', '--gl-fine-tune', '--gl-prune-events']) assert.match(help.stdout, new RegExp(flag));
  const r = cli(['train', '--task', 'moby-dick', '--preset', 'w+g+n', '--epochs', '1', '--gl-lambda', '2', '--out', tmp()]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /--gl-lambda applies to the classification tasks/);
  const bad = cli(['train', '--task', 'spam', '--preset', 'w+g+n', '--epochs', '1', '--method', 'group-lasso', '--gl-warmup', 'later', '--out', tmp()]);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /--gl-warmup: expected a number of epochs/);
});
