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
import { readRunConfig, resolveRunConfig } from '../../src/cli/classifier_run.js';
import { loadCheckpoint } from '../../src/train/checkpoint.js';
import { loadCompactModel } from '../../src/sparsify/compact_serialization.js';
import { writeRunReport } from '../../src/report/write_report.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'parsimony-cell-'));
const quiet = { progress: null, log: () => {} };
/** 64 documents in batches of 32: two steps per epoch. */
const tiny = { task: 'spam' as const, preset: 'w+g+n', hidden: 6, embeddingDim: 5, batch: 32, maxTrain: 64, maxEval: 32, seed: 3 };

test('--cell: lstm by default, gru accepted, anything else refused naming the field', () => {
  const base = { task: 'spam' as const, preset: 'w+g+n', epochs: 1 };
  assert.equal(resolveRunConfig(base).cell, 'lstm');
  assert.equal(resolveRunConfig({ ...base, cell: 'gru' }).cell, 'gru');
  assert.throws(() => resolveRunConfig({}, { ...base, cell: 'rnn' }, 'f.json'), /cell: expected one of lstm, gru \(--cell\), got "rnn" \(from f\.json\)/);
});

test('train --cell gru (spam, tiny): config.json keeps it, --resume is bit-identical and refuses a change, eval / compress / report rebuild the GRU', async () => {
  const straight = tmp(), resumed = tmp();
  const flags = { ...tiny, cell: 'gru' as const };
  await runTrain({ flags: { ...flags, epochs: 2 }, out: straight, ...quiet });
  await runTrain({ flags: { ...flags, epochs: 1 }, out: resumed, ...quiet });
  await runTrain({ flags: { epochs: 2 }, out: resumed, resume: true, ...quiet });
  await assert.rejects(runTrain({ flags: { cell: 'lstm', epochs: 3 }, out: resumed, resume: true, ...quiet }), /cell is "gru" .* cannot change it to "lstm"/);
  assert.equal(readRunConfig(resumed).cell, 'gru');
  assert.equal(JSON.parse(readFileSync(join(resumed, 'config.json'), 'utf8')).cell, 'gru');
  const a = loadCheckpoint(join(straight, 'checkpoint.bin')), b = loadCheckpoint(join(resumed, 'checkpoint.bin'));
  assert.equal(b.epoch, 2);
  assert.ok([...a.parameters.keys()].includes('gru.recurrentBias'), [...a.parameters.keys()].join());
  assert.ok(![...a.parameters.keys()].some((k) => k.startsWith('lstm.')));
  for (const [k, p] of a.parameters) assert.deepEqual(b.parameters.get(k)!.values, p.values, `parameter ${k}`);

  const lines: string[] = [];
  const metrics = await runEval({ run: resumed, split: 'test', maxEval: 40, log: (l) => lines.push(l) });
  assert.ok(metrics.test.accuracy >= 0 && metrics.test.accuracy <= 1 && metrics.test.nll > 0);
  assert.match(lines[0], /^spam w\+g\+n, GRU 6, epoch 2, test \(40 documents\): accuracy/);

  const out: string[] = [];
  const { report, compactFile } = await runCompress({ run: resumed, log: (l) => out.push(l) });
  assert.equal(out[0], 'spam w+g+n, GRU 6, epoch 2');
  assert.deepEqual(Object.keys(report.keptGates.byGate), ['r', 'z', 'n']);
  assert.ok(compactFile && existsSync(compactFile));
  const compact = loadCompactModel(compactFile);
  try {
    assert.equal(compact.cell.kind, 'gru');
  } finally {
    compact.dispose();
  }
  const written = await writeRunReport({ runDir: resumed });
  assert.ok(existsSync(written.markdown));
});

test('a run saved without the cell field reads as an LSTM run, and --resume refuses --cell gru for it', async () => {
  const run = tmp();
  const config = { ...resolveRunConfig({ ...tiny, epochs: 1 }), vocabularySize: 100 } as Record<string, unknown>;
  delete config.cell;
  writeFileSync(join(run, 'config.json'), JSON.stringify(config));
  assert.equal(readRunConfig(run).cell, 'lstm');
  await assert.rejects(runTrain({ flags: { cell: 'gru', epochs: 2 }, out: run, resume: true, ...quiet }), /cell is "lstm" .* cannot change it to "gru"/);
});

test('the command line: --cell is refused for a language model; train --help lists it', () => {
  const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { encoding: 'utf8' });
  const r = cli(['train', '--task', 'moby-dick', '--preset', 'w+g+n', '--epochs', '1', '--cell', 'gru', '--out', tmp()]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /--cell applies to the classification tasks \(imdb, agnews, spam\) only, not to moby-dick/);
  const help = cli(['train', '--help']);
  assert.equal(help.status, 0, help.stderr);
  assert.match(help.stdout, /--cell <kind>\s+classifiers: recurrent cell: lstm \| gru/);
});
