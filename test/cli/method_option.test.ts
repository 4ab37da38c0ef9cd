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
import { loadCheckpoint } from '../../src/train/checkpoint.js';
import { writeRunReport } from '../../src/report/write_report.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'parsimony-method-'));
const quiet = { progress: null, log: () => {} };
const tiny = { task: 'spam' as const, preset: 'w+g+n', hidden: 6, embeddingDim: 5, batch: 32, maxTrain: 64, maxEval: 32, seed: 3 };

test('--method: sparsevd by default, l0 accepted with --l0-lambda, group-lasso accepted, bad values refused', () => {
  const base = { task: 'spam' as const, preset: 'w+g+n', epochs: 1 };
  const c = resolveRunConfig(base);
  assert.equal(c.method, 'sparsevd');
  assert.equal(c.l0Lambda, null);
  assert.equal(resolveRunConfig({ ...base, method: 'l0', l0Lambda: 0.5 }).l0Lambda, 0.5);
  assert.equal(resolveRunConfig({}, { ...base, method: 'group-lasso' }, 'f.json').method, 'group-lasso');
  assert.throws(() => resolveRunConfig({}, { ...base, method: 'l1' }, 'f.json'), /method.*expected one of sparsevd, l0, group-lasso/);
  assert.throws(() => resolveRunConfig({ ...base, l0Lambda: 0.5 }), /--l0-lambda\) applies to method l0 only/);
});

test('train --method l0 (spam, tiny): config.json keeps it, --resume is bit-identical, eval / compress / report read the run', async () => {
  const straight = tmp(), resumed = tmp();
  const flags = { ...tiny, method: 'l0' as const, l0Lambda: 0.2 };
  await runTrain({ flags: { ...flags, epochs: 2 }, out: straight, ...quiet });
  await runTrain({ flags: { ...flags, epochs: 1 }, out: resumed, ...quiet });
  await runTrain({ flags: { epochs: 2 }, out: resumed, resume: true, ...quiet });
  await assert.rejects(runTrain({ flags: { method: 'sparsevd', epochs: 3 }, out: resumed, resume: true, ...quiet }), /method is "l0" .* cannot change/);
  const saved = readRunConfig(resumed);
  assert.equal(saved.method, 'l0');
  assert.equal(saved.l0Lambda, 0.2);
  const a = loadCheckpoint(join(straight, 'checkpoint.bin')), b = loadCheckpoint(join(resumed, 'checkpoint.bin'));
  assert.ok([...a.parameters.keys()].includes('lstm.gateGroups.logAlpha'));
  for (const [k, p] of a.parameters) assert.deepEqual(b.parameters.get(k)!.values, p.values, `parameter ${k}`);

  const lines: string[] = [];
  const metrics = await runEval({ run: straight, split: 'test', log: (l) => lines.push(l) });
  assert.ok(metrics.test.accuracy >= 0 && metrics.test.accuracy <= 1);
  assert.ok(lines.some((l) => /spam w\+g\+n \(l0, lambda 0\.2\), LSTM 6/.test(l)), lines.join('\n'));
  const { report, compactFile } = await runCompress({ run: straight, log: () => {} });
  assert.ok(report.compressionRatio >= 1);
  assert.ok(compactFile && existsSync(compactFile));
  const written = await writeRunReport({ runDir: straight });
  assert.ok(existsSync(written.markdown) && /l0/.test(readFileSync(written.markdown, 'utf8')));
});

test('the command line: --gl-lambda without --method group-lasso is refused; --l0-lambda without --method l0 is refused (language models too)', () => {
  const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });
  const dir = tmp();
  for (const [args, message] of [
    [['train', '--task', 'spam', '--preset', 'w+g+n', '--epochs', '1', '--method', 'l0', '--gl-lambda', '2', '--out', dir], /--gl-lambda\) applies to method group-lasso only/],
    [['train', '--task', 'moby-dick', '--preset', 'w+g+n', '--epochs', '1', '--l0-lambda', '0.5', '--out', dir], /--l0-lambda\) applies to method l0 only/],
  ] as [string[], RegExp][]) {
    const r = cli(args);
    assert.equal(r.status, 1, `${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
  }
});
