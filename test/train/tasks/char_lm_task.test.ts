import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/engine/tf.js';
import { Adam } from '../../../src/engine/optim/adam.js';
import { CharLmTask } from '../../../src/train/tasks/char_lm_task.js';
import { rng } from '../../helpers.js';
import { tinyCorpus } from './lm_task_fixtures.js';

const corpus = tinyCorpus(['_', 'a', 'b', 'c', 'd', '\n'], 1250, 650);

test('sizes: N = windows x 99, steps = ceil(windows / batch), description names preset and config', () => {
  const task = new CharLmTask(corpus, { preset: 'sparsevd', hiddenSize: 8, batchSize: 4, seed: 1 });
  assert.equal(task.trainSize, 11 * 99);
  assert.equal(task.stepsPerEpoch(), 3);
  assert.equal(task.description, 'char-ptb sparsevd (LCCL), LSTM 8');
  assert.deepEqual(task.primaryMetric, { name: 'bpc', higherIsBetter: false });
  const batches = [...task.trainBatches(0, rng(1))];
  assert.equal(batches.length, task.stepsPerEpoch());
  batches.forEach((b) => b.dispose());
  task.model.dispose();
});

test('a few Adam steps lower the objective (mean NLL + KL / N) and the validation bpc; eval is deterministic', () => {
  const task = new CharLmTask(corpus, { preset: 'w+g+n', hiddenSize: 16, batchSize: 4, seed: 2 });
  const params = task.model.parameters();
  task.model.eval();
  const before = task.evaluate('validation');
  assert.deepEqual(Object.keys(before), ['bpc']);
  assert.deepEqual(task.evaluate('validation'), before, 'evaluation is deterministic');
  task.model.train();
  const optimizer = new Adam({ learningRate: 0.02 });
  const random = rng(3);
  const losses: number[] = [];
  for (let epoch = 0; epoch < 4; epoch++) {
    for (const batch of task.trainBatches(epoch, random)) {
      const loss = optimizer.minimize(() => task.objective(batch), params);
      losses.push(loss.dataSync()[0]);
      loss.dispose();
      batch.dispose();
    }
  }
  assert.ok(losses.every(Number.isFinite));
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  assert.ok(mean(losses.slice(-3)) < mean(losses.slice(0, 3)) - 0.2, `objective ${losses.map((l) => l.toFixed(3)).join(' ')}`);
  task.model.eval();
  const after = task.evaluate('validation');
  assert.ok(after.bpc < before.bpc - 0.2, `bpc ${before.bpc} -> ${after.bpc}`);
  assert.ok(Number.isFinite(task.evaluate('test').bpc));
  const report = task.compression();
  assert.equal(report.prunableWeights, 6 * 64 + 16 * 64 + 16 * 6);
  const kept = task.keptStructure();
  assert.deepEqual(kept.keptWords, corpus.vocabulary.tokens); // nothing pruned after a few steps
  assert.deepEqual(Object.keys(kept.gateStates!), ['i', 'f', 'g', 'o']);
  optimizer.dispose();
  task.model.dispose();
});

test('the objective adds exactly KL / N to the mean NLL (eval mode: no noise)', () => {
  const task = new CharLmTask(corpus, { preset: 'sparsevd', hiddenSize: 8, batchSize: 4, seed: 5 });
  task.model.eval();
  const [batch] = task.trainBatches(0, rng(1));
  const objective = task.objective(batch).dataSync()[0];
  const nll = tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(tf.reshape(batch.targets, [-1]), 6),
    tf.reshape(task.model.forward(batch.inputs).logits, [-1, 6]))).dataSync()[0];
  const kl = task.model.kl().dataSync()[0];
  assert.ok(Math.abs(objective - (nll + kl / task.trainSize)) < 1e-4, `${objective} vs ${nll} + ${kl} / ${task.trainSize}`);
  batch.dispose();
  task.model.dispose();
});
