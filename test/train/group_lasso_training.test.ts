import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../helpers.js';
import { tf } from '../../src/engine/tf.js';
import { SparseTextClassifier } from '../../src/nn/sparse_text_classifier.js';
import { MaskedParameter } from '../../src/nn/masked_parameter.js';
import { PruningSchedule, type PruningScheduleConfig } from '../../src/sparsify/pruning_schedule.js';
import { ClassificationTask } from '../../src/train/tasks/classification_task.js';
import { train } from '../../src/train/trainer.js';
import { loadCheckpoint } from '../../src/train/checkpoint.js';
import { TOY_VOCAB, toyDataset } from './toy_classification.js';
import { trainStraightAndResumed } from './resume_check.js';

const E = 4, H = 3;
// 48 training documents in batches of 16: 3 steps per epoch
const STEPS_PER_EPOCH = 3;

function makeTask(schedule: PruningScheduleConfig | null, cell: 'lstm' | 'gru' = 'lstm', lambda = 0.5, threshold = 1e-3): ClassificationTask {
  const model = new SparseTextClassifier(TOY_VOCAB, E, H, 2, 'w+g+n', {
    seed: 5, cell, method: 'group-lasso', groupLasso: { lambda, threshold },
    pruningSchedule: schedule ? new PruningSchedule(schedule) : null,
  });
  return new ClassificationTask(model, toyDataset(), { batchSize: 16, description: 'toy w+g+n group-lasso' });
}

const tmp = () => mkdtempSync(join(tmpdir(), 'parsimony-gl-'));
const opts = (outDir: string, epochs: number, resume = false) => ({ epochs, learningRate: 3e-2, seed: 11, outDir, resume, progress: null, config: { task: 'toy' } });

function masks(model: SparseTextClassifier): Map<string, Float32Array> {
  return new Map([...model.namedParameters()].filter(([k]) => /[mM]ask$/.test(k)).map(([k, v]) => [k, Float32Array.from(v.dataSync())]));
}

test('group lasso: no group variables, masked tensors, and training with the penalty on lowers the objective and the penalty', async () => {
  for (const cell of ['lstm', 'gru'] as const) {
    const task = makeTask({ warmupSteps: 100, pruningEvents: 1, frequency: 1, initialSparsity: 0, finalSparsity: 0, fineTuneSteps: 0 }, cell, 2);
    const model = task.model;
    assert.equal(model.vocabularyGroups, null);
    assert.equal(model.lstm.inputGroups ?? model.lstm.hiddenGroups ?? model.lstm.gateGroups, null);
    const names = [...model.namedParameters().keys()];
    for (const n of ['embedding.theta', 'embedding.mask', `${cell}.kernelMask`, `${cell}.recurrentKernelMask`, 'output.weightMask']) assert.ok(names.includes(n), `${n} in ${names}`);
    assert.ok(!names.some((n) => /logSigma|logAlpha|LogSigma|LogAlpha/.test(n)), 'no noise scales');
    assert.equal(model.namedNoiseSources().size, 0, 'no noise sources');
    const { records } = await train(task, opts(tmp(), 6));
    const first = records[0], last = records[records.length - 1];
    assert.ok(last.trainObjective < first.trainObjective, `${cell}: objective ${first.trainObjective} -> ${last.trainObjective}`);
    assert.ok(last.klPerExample > 0 && last.klPerExample < first.klPerExample, `${cell}: penalty / N ${first.klPerExample} -> ${last.klPerExample}`);
    assert.equal(last.compression.nonzeroWeights, last.compression.prunableWeights, 'warm-up prunes nothing');
    model.dispose();
  }
});

test('a pruning event removes the groups whose RMS weight is below the threshold, and the compression report shows them gone', () => {
  for (const cell of ['lstm', 'gru'] as const) {
    const { model } = makeTask(null, cell, 0.5, 1e-3);
    const gl = model.groupLasso!;
    const G = model.lstm.gates * H;
    const theta = (name: 'embedding' | 'inputWeights' | 'hiddenWeights' | 'outputWeights') => (gl.tensors[name] as MaskedParameter).theta;
    const shrink = (v: tf.Variable, cols: number, cells: (r: number, c: number) => boolean) => {
      const x = Float32Array.from(v.dataSync());
      for (let i = 0; i < x.length; i++) if (cells(Math.floor(i / cols), i % cols)) x[i] *= 1e-6;
      v.assign(tf.tensor(x, v.shape));
    };
    // word 5, input 2, hidden neuron 1 (its W_h and W_out rows) and gate column G-1 (of neuron H-1) fall below the threshold
    shrink(theta('embedding'), E, (r) => r === 5);
    shrink(theta('inputWeights'), G, (r) => r === 2);
    shrink(theta('hiddenWeights'), G, (r) => r === 1);
    shrink(theta('outputWeights'), 2, (r) => r === 1);
    shrink(theta('inputWeights'), G, (_, c) => c === G - 1);
    shrink(theta('hiddenWeights'), G, (_, c) => c === G - 1);
    const before = model.compression();
    assert.equal(before.keptHidden.kept, H);
    const { groupsBelowThreshold } = gl.prune(0);
    assert.deepEqual(groupsBelowThreshold, { vocabulary: 1, inputs: 1, hidden: 1, gates: 1 }, cell);
    const report = model.compression(), s = model.structure();
    assert.equal(report.keptWords.kept, TOY_VOCAB - 1);
    assert.equal(s.words[5], 0);
    assert.equal(report.keptInputs.kept, E - 1);
    assert.equal(s.inputs[2], 0);
    assert.equal(report.keptHidden.kept, H - 1);
    assert.equal(s.hidden[1], 0);
    assert.equal(s.gates[G - 1], 0, 'the pruned gate column is a constant gate');
    assert.ok(report.nonzeroWeights < before.nonzeroWeights);
    // the pruned weights are zero in the forward pass, theta keeps its values
    const w = (gl.tensors.outputWeights as MaskedParameter).evalWeight();
    assert.ok([...w.dataSync()].slice(2, 4).every((x) => x === 0));
    w.dispose();
    assert.notEqual(theta('outputWeights').dataSync()[2], 0);
    // a second event with nothing new below the threshold prunes nothing more
    const after = masks(model);
    gl.prune(0);
    assert.deepEqual(masks(model), after);
    model.dispose();
  }
});

test('the schedule: pruning events reach the final magnitude sparsity; fine-tuning has no penalty, frozen masks and zero gradients on pruned weights', async () => {
  // events at steps 1, 2, 3 (epochs 1-2), fine-tuning from step 4 on
  const task = makeTask({ warmupSteps: 1, pruningEvents: 3, frequency: 1, initialSparsity: 0.2, finalSparsity: 0.6, fineTuneSteps: 5 });
  const model = task.model;
  const perEpoch: Map<string, Float32Array>[] = [];
  const { records } = await train(task, { ...opts(tmp(), 4), onEpoch: () => perEpoch.push(masks(model)) });
  assert.equal(model.groupLasso!.events.map((e) => e.step).join(), '1,2,3');
  for (const name of ['embedding', 'inputWeights', 'hiddenWeights', 'outputWeights'] as const) {
    const m = model.groupLasso!.tensors[name] as MaskedParameter;
    const pruned = 1 - m.keptCount() / m.mask.size;
    assert.ok(pruned >= 0.6 - 1 / m.mask.size, `${name}: ${pruned} pruned`);
  }
  assert.ok(records[1].compression.sparsityPercent > 50, `sparsity ${records[1].compression.sparsityPercent}%`);
  // epochs 3 and 4 are all fine-tuning (steps 6-11): no penalty, masks as after epoch 2
  assert.equal(records[2].klPerExample, 0);
  assert.equal(records[3].klPerExample, 0);
  assert.ok(records[0].klPerExample > 0);
  for (const e of [2, 3]) for (const [k, v] of perEpoch[1]) assert.deepEqual(perEpoch[e].get(k), v, `mask ${k} changed in fine-tuning (epoch ${e + 1})`);
  // gradients of the pruned entries are exactly zero
  model.beforeStep(100);
  const batch = [...task.trainBatches(1, () => 0.5)][0];
  const thetas = [...model.namedParameters()].filter(([k]) => /[tT]heta$/.test(k));
  const { value, grads } = tf.variableGrads(() => task.objective(batch), thetas.map(([, v]) => v));
  let zeroed = 0;
  for (const [name, v] of thetas) {
    const mask = model.namedParameters().get(name.replace(/theta$/, 'mask').replace(/Theta$/, 'Mask'))!.dataSync();
    const g = grads[v.name].dataSync();
    for (let i = 0; i < g.length; i++) if (!mask[i]) { assert.ok(g[i] === 0, `${name}[${i}]: ${g[i]}`); zeroed++; }
  }
  assert.ok(zeroed > 0);
  tf.dispose([value, ...Object.values(grads)]);
  batch.dispose();
  model.dispose();
});

test('group lasso: 2 epochs straight and 1 epoch + resume 1 end bit-identical, masks and pruning events included', async () => {
  const schedule = { warmupSteps: 1, pruningEvents: 3, frequency: 2, initialSparsity: 0.1, finalSparsity: 0.5, fineTuneSteps: 0 };
  for (const cell of ['lstm', 'gru'] as const) {
    const { straight: a, resumed: b, straightDir, resumedDir } = await trainStraightAndResumed(() => makeTask(schedule, cell, 2, 0.05), opts);
    const pa = new Map([...a.model.namedParameters()].map(([k, v]) => [k, Float32Array.from(v.dataSync())]));
    const pb = new Map([...b.model.namedParameters()].map(([k, v]) => [k, Float32Array.from(v.dataSync())]));
    assert.deepEqual([...pb.keys()], [...pa.keys()]);
    for (const [k, v] of pa) assert.deepEqual(pb.get(k), v, `${cell}: parameter ${k} differs after resume`);
    assert.ok([...masks(a.model).values()].some((m) => m.includes(0)), `${cell}: something was pruned`);
    const ca = loadCheckpoint(join(straightDir, 'checkpoint.bin')), cb = loadCheckpoint(join(resumedDir, 'checkpoint.bin'));
    assert.equal(cb.optimizer.step, ca.optimizer.step);
    assert.equal(ca.optimizer.step, 2 * STEPS_PER_EPOCH);
    for (const [k, slots] of Object.entries(ca.optimizer.slots)) assert.deepEqual(cb.optimizer.slots[k], slots, `Adam slots of ${k}`);
    a.model.dispose(); b.model.dispose();
  }
});
