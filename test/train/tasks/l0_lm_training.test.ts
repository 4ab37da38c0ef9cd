// The char and word LM tasks with L0 gates (spec §5) under the real trainer: the objective is mean NLL + penalty / N
// with the LM's N, it decreases, log alpha stays clamped, and a resumed run ends bit-identical to a straight one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../helpers.js';
import { tf } from '../../../src/engine/tf.js';
import { train } from '../../../src/train/trainer.js';
import { loadCheckpoint } from '../../../src/train/checkpoint.js';
import { L0_LOG_ALPHA_MAX, L0_LOG_ALPHA_MIN } from '../../../src/nn/bayes/hard_concrete.js';
import { CharLmTask } from '../../../src/train/tasks/char_lm_task.js';
import { WordLmTask } from '../../../src/train/tasks/word_lm_task.js';
import { rng } from '../../helpers.js';
import { tinyCorpus } from './lm_task_fixtures.js';
import { trainStraightAndResumed } from '../resume_check.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'parsimony-l0-lm-'));
const opts = (outDir: string, epochs: number, resume = false) => ({ epochs, learningRate: 2e-2, clipNorm: 1, seed: 3, outDir, resume, progress: null });
const charCorpus = tinyCorpus(['_', 'a', 'b', 'c', '\n'], 850, 450);
const wordCorpus = tinyCorpus(['<eos>', 'the', 'cat', 'sat', 'on', 'mat'], 4 * 60, 4 * 20);
const l0 = { method: 'l0' as const, l0: { lambda: 0.05 } };
const makeChar = (preset = 'w+g+n') => new CharLmTask(charCorpus, { preset, hiddenSize: 6, batchSize: 3, seed: 1, ...l0 });
const makeWord = (preset = 'sparsevd-voc') => new WordLmTask(wordCorpus, { preset, hiddenSize: 6, batchSize: 4, seed: 2, ...l0 }, 7);

function assertLogAlphaClamped(task: CharLmTask | WordLmTask): void {
  for (const [name, v] of task.model.namedParameters()) {
    if (!/[lL]ogAlpha$/.test(name)) continue;
    assert.ok(v.dataSync().every((x) => x >= L0_LOG_ALPHA_MIN - 1e-6 && x <= L0_LOG_ALPHA_MAX + 1e-6), `${name} within the clamp`);
  }
}

test('the L0 LM objective is mean NLL + penalty / N, N = windows x 99 (char) or train tokens - columns (word)', () => {
  for (const task of [makeChar(), makeWord()]) {
    task.model.eval();
    const [batch] = task.trainBatches(0, rng(1));
    const { nll, klPerExample } = task.objectiveParts(batch);
    const penalty = task.model.kl().dataSync()[0];
    assert.ok(penalty > 0);
    assert.ok(Math.abs(klPerExample.dataSync()[0] - penalty / task.trainSize) < 1e-7, `${task.description}: penalty / N`);
    tf.dispose([nll, klPerExample]);
    batch.dispose();
    task.model.dispose();
  }
  assert.equal(makeChar().trainSize, 7 * 99);
  assert.equal(makeWord().trainSize, 4 * 60 - 4);
});

for (const [level, make] of [['char', () => makeChar()], ['word', () => makeWord()]] as const) {
  test(`${level} LM with L0: a few epochs lower the objective and the penalty, log alpha stays clamped; eval is deterministic`, async () => {
    const task = make();
    assert.match(task.description, /, l0 lambda 0\.05\), LSTM 6$/);
    const { records } = await train(task, opts(tmp(), 5));
    const first = records[0], last = records[records.length - 1];
    assert.ok(last.trainObjective < first.trainObjective, `objective ${records.map((r) => r.trainObjective.toFixed(4)).join(' ')}`);
    assert.ok(last.klPerExample < first.klPerExample && last.klPerExample > 0, `penalty / N ${first.klPerExample} -> ${last.klPerExample}`);
    assertLogAlphaClamped(task);
    task.model.eval();
    if (task instanceof WordLmTask) task.resetState();
    assert.deepEqual(task.evaluate('validation'), task.evaluate('validation'));
    task.model.dispose();
  });
}

test('L0 LMs (char LLRL, word LCIL through the gathered rows): 2 epochs straight = 1 epoch + resume, parameters and Adam state', async () => {
  for (const make of [(): CharLmTask | WordLmTask => makeChar('LLRL'), (): CharLmTask | WordLmTask => makeWord('LCIL')]) {
    const { straight, resumed, straightDir, resumedDir, result } = await trainStraightAndResumed(make, opts);
    assert.equal(result.firstEpoch, 2);
    const pa = straight.model.namedParameters(), pb = resumed.model.namedParameters();
    assert.deepEqual([...pb.keys()], [...pa.keys()]);
    assert.ok([...pa.keys()].some((k) => k.endsWith('ogAlpha')));
    for (const [k, v] of pa) assert.deepEqual(pb.get(k)!.dataSync(), v.dataSync(), `${straight.description}: parameter ${k}`);
    const ca = loadCheckpoint(join(straightDir, 'checkpoint.bin')), cb = loadCheckpoint(join(resumedDir, 'checkpoint.bin'));
    for (const [k, slots] of Object.entries(ca.optimizer.slots)) assert.deepEqual(cb.optimizer.slots[k], slots, `Adam slots of ${k}`);
    for (const t of [straight, resumed]) {
      if (t instanceof WordLmTask) t.resetState();
      t.model.dispose();
    }
  }
});
