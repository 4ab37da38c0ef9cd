import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { parseMetricOption, registerReportCommand } from '../../src/cli/report.js';
import { writeSyntheticRun } from '../report/synthetic_run.js';

/** A program with only the report command, throwing instead of exiting on usage errors. */
function reportProgram(): Command {
  const program = new Command('parsimony').exitOverride();
  registerReportCommand(program).exitOverride().configureOutput({ writeErr: () => {} });
  return program;
}

test('`parsimony report --run DIR` writes DIR/report', () => {
  const dir = writeSyntheticRun({ epochs: 3, infinityAs: 'null', allPrunedLast: true });
  try {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'report', '--run', dir], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /wrote .*report\.md and 4 plot\(s\)/);
    assert.ok(readFileSync(join(dir, 'report', 'compression.svg'), 'utf8').startsWith('<svg'));
    assert.match(readFileSync(join(dir, 'report', 'report.md'), 'utf8'), /∞ \(every weight pruned\)/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a bad metrics line: exit code 1 and one line naming file, line and field, no stack trace', async () => {
  const dir = writeSyntheticRun({ epochs: 3 });
  appendFileSync(join(dir, 'metrics.jsonl'), '{"epoch": 4, "trainSeconds": "slow"}\n');
  const error = console.error;
  const errors: string[] = [];
  console.error = (line: string) => { errors.push(line); };
  try {
    await reportProgram().parseAsync(['report', '--run', dir], { from: 'user' });
    assert.equal(process.exitCode, 1);
    assert.deepEqual(errors, [`parsimony report: ${join(dir, 'metrics.jsonl')}:4: field "trainSeconds": expected a number or null, got "slow"`]);
    assert.ok(!existsSync(join(dir, 'report', 'report.md')));
  } finally {
    process.exitCode = undefined;
    console.error = error;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--out and --metric are passed through; --run is required', async () => {
  const dir = writeSyntheticRun({ epochs: 3 });
  const log = console.log;
  console.log = () => {};
  try {
    const program = reportProgram();
    await program.parseAsync(['report', '--run', dir, '--out', join(dir, 'r2'), '--metric', 'nll:max'], { from: 'user' });
    assert.match(readFileSync(join(dir, 'r2', 'report.md'), 'utf8'), /By validation nll \(higher is better\): epoch 1\./);
    await assert.rejects(program.parseAsync(['report'], { from: 'user' }), /required option '--run <dir>' not specified/);
  } finally {
    console.log = log;
    rmSync(dir, { recursive: true, force: true });
  }
});

test('--metric parses NAME, NAME:max and NAME:min', () => {
  assert.deepEqual(parseMetricOption('accuracy'), { name: 'accuracy', higherIsBetter: true });
  assert.deepEqual(parseMetricOption('perplexity'), { name: 'perplexity', higherIsBetter: false });
  assert.deepEqual(parseMetricOption('my:metric:min'), { name: 'my:metric', higherIsBetter: false });
  assert.deepEqual(parseMetricOption('score:max'), { name: 'score', higherIsBetter: true });
  assert.throws(() => parseMetricOption('score'), /--metric: expected NAME:max or NAME:min/);
});
