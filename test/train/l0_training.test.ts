import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../helpers.js';
import { SparseTextClassifier } from '../../src/nn/sparse_text_classifier.js';
import { ClassificationTask } from '../../src/train/tasks/classification_task.js';
import { train } from '../../src/train/trainer.js';
import { loadCheckpoint } from '../../src/train/checkpoint.js';
import { L0_LOG_ALPHA_MAX, L0_LOG_ALPHA_MIN } from '../../src/nn/bayes/hard_concrete.js';
import { TOY_VOCAB, toyDataset } from './toy_classification.js';
import { trainStraightAndResumed } from './resume_check.js';

function makeTask(cell: 'lstm' | 'gru' = 'lstm', seed = 5): ClassificationTask {
  const model = new SparseTextClassifier(TOY_VOCAB, 4, 3, 2, 'w+g+n', { seed, cell, method: 'l0', l0: { lambda: 0.05 } });
  return new ClassificationTask(model, toyDataset(), { batchSize: 16, description: 'toy w+g+n l0' });
}

const tmp = () => mkdtempSync(join(tmpdir(), 'parsimony-l0-'));
const opts = (outDir: string, epochs: number, resume = false) => ({ epochs, learningRate: 3e-2, seed: 11, outDir, resume, progress: null, config: { task: 'toy' } });

function paramValues(task: ClassificationTask): Map<string, Float32Array> {
  return new Map([...task.model.namedParameters()].map(([k, v]) => [k, Float32Array.from(v.dataSync() as Float32Array)]));
}

for (const cell of ['lstm', 'gru'] as const) test(`${cell}: training an L0 classifier lowers the objective and keeps log alpha clamped`, async () => {
  const task = makeTask(cell);
  const { records } = await train(task, opts(tmp(), 6));
  const first = records[0], last = records[records.length - 1];
  assert.ok(last.trainObjective < first.trainObjective, `objective ${first.trainObjective} -> ${last.trainObjective}`);
  assert.ok(last.klPerExample < first.klPerExample, `penalty / N ${first.klPerExample} -> ${last.klPerExample}`);
  assert.ok(last.klPerExample > 0, 'the L0 penalty is positive');
  for (const [name, v] of task.model.namedParameters()) {
    if (!/[lL]ogAlpha$/.test(name)) continue;
    const xs = v.dataSync();
    assert.ok(xs.every((x) => x >= L0_LOG_ALPHA_MIN - 1e-6 && x <= L0_LOG_ALPHA_MAX + 1e-6), `${name} within the clamp`);
  }
  task.model.dispose();
});

test('L0: 2 epochs straight and 1 epoch + resume 1 end with bit-identical parameters and optimizer state', async () => {
  const { straight: a, resumed: b2, straightDir, resumedDir, result } = await trainStraightAndResumed(() => makeTask(), opts);
  assert.equal(result.firstEpoch, 2);
  const pa = paramValues(a), pb = paramValues(b2);
  assert.deepEqual([...pb.keys()], [...pa.keys()]);
  assert.ok([...pa.keys()].some((k) => k.endsWith('logAlpha')));
  for (const [k, v] of pa) assert.deepEqual(pb.get(k), v, `parameter ${k} differs after resume`);
  const ca = loadCheckpoint(join(straightDir, 'checkpoint.bin')), cb = loadCheckpoint(join(resumedDir, 'checkpoint.bin'));
  assert.equal(cb.optimizer.step, ca.optimizer.step);
  for (const [k, slots] of Object.entries(ca.optimizer.slots)) assert.deepEqual(cb.optimizer.slots[k], slots, `Adam slots of ${k}`);
  a.model.dispose(); b2.model.dispose();
});
