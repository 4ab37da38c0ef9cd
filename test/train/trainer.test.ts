import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../helpers.js';
import { tf } from '../../src/engine/tf.js';
import { SparseTextClassifier } from '../../src/nn/sparse_text_classifier.js';
import { ClassificationTask } from '../../src/train/tasks/classification_task.js';
import { train, deriveSeed } from '../../src/train/trainer.js';
import { loadCheckpoint } from '../../src/train/checkpoint.js';
import { toJson } from '../../src/train/run_files.js';
import { parseMetricsJsonl, parseStructure } from '../../src/report/run_files.js';
import { TOY_VOCAB, toyDataset } from './toy_classification.js';
import { trainStraightAndResumed } from './resume_check.js';

function makeTask(preset = 'w+g+n', seed = 5): ClassificationTask {
  const model = new SparseTextClassifier(TOY_VOCAB, 4, 3, 2, preset, { seed });
  return new ClassificationTask(model, toyDataset(), { batchSize: 16, description: `toy ${preset}` });
}

const tmp = () => mkdtempSync(join(tmpdir(), 'parsimony-trainer-'));
const opts = (outDir: string, epochs: number, resume = false) => ({ epochs, learningRate: 1e-2, seed: 11, outDir, resume, progress: null, config: { task: 'toy' } });

function paramValues(task: ClassificationTask): Map<string, Float32Array> {
  return new Map([...task.model.namedParameters()].map(([k, v]) => [k, Float32Array.from(v.dataSync() as Float32Array)]));
}

test('2 epochs straight and 1 epoch + resume 1 end with bit-identical parameters and optimizer state', async () => {
  const { straight: a, resumed: b2, straightDir, resumedDir, result } = await trainStraightAndResumed(() => makeTask(), opts);
  assert.equal(result.firstEpoch, 2);
  const pa = paramValues(a), pb = paramValues(b2);
  assert.deepEqual([...pb.keys()], [...pa.keys()]);
  for (const [k, v] of pa) assert.deepEqual(pb.get(k), v, `parameter ${k} differs after resume`);
  const ca = loadCheckpoint(join(straightDir, 'checkpoint.bin')), cb = loadCheckpoint(join(resumedDir, 'checkpoint.bin'));
  assert.equal(cb.epoch, 2);
  assert.equal(cb.optimizer.step, ca.optimizer.step);
  for (const [k, slots] of Object.entries(ca.optimizer.slots)) assert.deepEqual(cb.optimizer.slots[k], slots, `Adam slots of ${k}`);
  const la = parseMetricsJsonl(readFileSync(join(straightDir, 'metrics.jsonl'), 'utf8'), 'a');
  const lb = parseMetricsJsonl(readFileSync(join(resumedDir, 'metrics.jsonl'), 'utf8'), 'b');
  assert.deepEqual(lb.map((r) => r.epoch), [1, 2]);
  assert.deepEqual(lb[1].validation, la[1].validation);
  assert.equal(lb[1].trainObjective, la[1].trainObjective);
  a.model.dispose(); b2.model.dispose();
});

test('a different seed gives different training (the noise and shuffles really are seeded)', async () => {
  const a = makeTask(), b = makeTask();
  await train(a, opts(tmp(), 1));
  await train(b, { ...opts(tmp(), 1), seed: 12 });
  const pa = paramValues(a), pb = paramValues(b);
  assert.ok([...pa].some(([k, v]) => pb.get(k)!.some((x, i) => x !== v[i])));
  a.model.dispose(); b.model.dispose();
});

test('run files: metrics.jsonl one well-formed record per epoch, structure.json, config.json, no temp files left', async () => {
  const dir = tmp();
  const task = makeTask();
  const seen: number[] = [];
  const { records } = await train(task, { ...opts(dir, 2), onEpoch: (r) => seen.push(r.epoch) });
  assert.deepEqual(seen, [1, 2]);
  const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trimEnd().split('\n');
  assert.equal(lines.length, 2);
  const parsed = parseMetricsJsonl(lines.join('\n'), 'metrics.jsonl');
  for (const [i, r] of parsed.entries()) {
    assert.equal(r.epoch, i + 1);
    assert.ok(r.trainSeconds > 0 && Number.isFinite(r.trainObjective));
    assert.ok(Math.abs(r.trainNll + r.klPerExample - r.trainObjective) < 1e-9);
    assert.ok(r.validation.accuracy >= 0 && r.validation.accuracy <= 1 && r.test.nll > 0);
    assert.equal(r.compression.prunableWeights, TOY_VOCAB * 4 + 4 * 12 + 3 * 12 + 3 * 2);
  }
  assert.deepEqual(parsed[1].test, records[1].test);
  const structure = parseStructure(readFileSync(join(dir, 'structure.json'), 'utf8'), 'structure.json');
  assert.deepEqual(Object.keys(structure.gateStates!), ['i', 'f', 'g', 'o']);
  assert.equal(structure.gateStates!.i.length, 3);
  const config = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
  assert.equal(config.task, 'toy');
  assert.equal(config.completedEpochs, 2);
  assert.deepEqual(readdirSync(dir).sort(), ['checkpoint.bin', 'config.json', 'metrics.jsonl', 'structure.json']);
  task.model.dispose();
});

test('Infinity compression survives JSON as "Infinity"', () => {
  const text = toJson({ compressionRatio: Infinity, x: NaN, a: new Float32Array([1, NaN]) });
  assert.equal(text, '{"compressionRatio":"Infinity","x":"NaN","a":[1,"NaN"]}');
});

test('refuses to overwrite a run without --resume, and --resume without a checkpoint', async () => {
  const dir = tmp();
  const task = makeTask();
  await train(task, opts(dir, 1));
  await assert.rejects(train(task, opts(dir, 1)), /already holds a run.*--resume/);
  await assert.rejects(train(task, opts(tmp(), 1, true)), /does not exist \(nothing to resume\)/);
  await assert.rejects(train(makeTask('sparsevd'), opts(dir, 2, true)), /checkpoint lacks parameter|not in the model/);
  task.model.dispose();
});

test('resume drops metrics lines of epochs whose checkpoint was never written', async () => {
  const dir = tmp();
  const task = makeTask();
  await train(task, opts(dir, 1));
  const path = join(dir, 'metrics.jsonl');
  writeFileSync(path, readFileSync(path, 'utf8') + '{"epoch":2,"trainSeconds":1}\n{"epoch":3,"tr'); // crashed mid-epoch-2 write
  await train(task, opts(dir, 2, true));
  assert.deepEqual(readFileSync(path, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l).epoch), [1, 2]);
  task.model.dispose();
});

test('checkpoints are replaced atomically: a failed write leaves the previous one intact', async () => {
  const dir = tmp();
  const task = makeTask();
  await train(task, opts(dir, 1));
  const before = readFileSync(join(dir, 'checkpoint.bin'));
  const failing = makeTask();
  let calls = 0;
  failing.keptStructure = () => { if (++calls > 0) throw new Error('boom'); return {}; };
  await assert.rejects(train(failing, opts(dir, 2, true)), /boom/);
  assert.deepEqual(readFileSync(join(dir, 'checkpoint.bin')), before);
  assert.ok(existsSync(join(dir, 'checkpoint.bin')));
  assert.equal(loadCheckpoint(join(dir, 'checkpoint.bin')).epoch, 1);
  assert.ok(deriveSeed(1, 1, 1) !== deriveSeed(1, 2, 1) && deriveSeed(1, 1, 1) !== deriveSeed(1, 1, 2));
  task.model.dispose(); failing.model.dispose();
});

test('a task without objectiveParts gets its KL part estimated from a few steps', async () => {
  const t = makeTask();
  (t as { objectiveParts?: unknown }).objectiveParts = undefined;
  const { records: [r] } = await train(t, opts(tmp(), 1));
  assert.ok(r.klPerExample > 0 && Number.isFinite(r.trainNll));
  assert.ok(Math.abs(r.trainNll + r.klPerExample - r.trainObjective) < 1e-9);
  t.model.dispose();
});

test('no tensors leak across epochs', async () => {
  const t = makeTask();
  const counts: number[] = [];
  await train(t, { ...opts(tmp(), 3), onEpoch: () => counts.push(tf.memory().numTensors) });
  assert.equal(counts[2], counts[1], `tensors after each epoch: ${counts}`);
  t.model.dispose();
});
