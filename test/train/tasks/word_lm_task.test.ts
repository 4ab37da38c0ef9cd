import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/engine/tf.js';
import { Adam } from '../../../src/engine/optim/adam.js';
import { wordStreamBatches } from '../../../src/data/word_lm_stream.js';
import { SparseLanguageModel, type LanguageModelState } from '../../../src/nn/sparse_language_model.js';
import { WordLmTask } from '../../../src/train/tasks/word_lm_task.js';
import { rng } from '../../helpers.js';
import { assertClose } from '../../nn/bayes/bayes_test_utils.js';
import { tinyCorpus } from './lm_task_fixtures.js';

const corpus = tinyCorpus(['<eos>', 'the', 'cat', 'sat', 'on', 'a', 'mat', 'dog', 'ran'], 4 * 41 + 3, 4 * 21);
const options = { hiddenSize: 8, batchSize: 4, seed: 7 };

test('sizes: N = train tokens - columns, steps = ceil((column length - 1) / bptt)', () => {
  const task = new WordLmTask(corpus, { preset: 'sparsevd-voc', ...options }, 10);
  assert.equal(task.trainSize, 4 * 41 + 3 - 4);
  assert.equal(task.stepsPerEpoch(), 4); // 40 predictions per column
  assert.equal(task.description, 'word-ptb sparsevd-voc (LCIL), LSTM 8');
  assert.deepEqual(task.primaryMetric, { name: 'perplexity', higherIsBetter: false });
  task.model.dispose();
});

test('stateful: each batch starts from the previous batch\'s final state; a new epoch starts from zeros', () => {
  const task = new WordLmTask(corpus, { preset: 'w+g+n', ...options }, 10);
  task.model.eval(); // deterministic forward passes so states can be compared
  const reference = (inputs: tf.Tensor2D, state?: LanguageModelState) => {
    const r = task.model.forward(inputs, state);
    tf.dispose([r.logits, r.output]);
    return { h: r.h, c: r.c };
  };
  const it = task.trainBatches(0, rng(1))[Symbol.iterator]();
  const b1 = it.next().value!, b2 = it.next().value!;
  task.objective(b1).dispose();
  const s1 = reference(b1.inputs);
  assertClose(task.carriedState()!.h.dataSync(), s1.h.dataSync(), 1e-6, 'h after batch 1');
  assertClose(task.carriedState()!.c.dataSync(), s1.c.dataSync(), 1e-6, 'c after batch 1');
  // the second batch's loss is the one computed from the carried state, not from zeros
  const loss2 = task.objective(b2).dataSync()[0];
  const withState = tf.tidy(() => SparseLanguageModel.meanNll(task.model.forward(b2.inputs, s1).logits, b2.targets)).dataSync()[0];
  const fromZeros = tf.tidy(() => SparseLanguageModel.meanNll(task.model.forward(b2.inputs).logits, b2.targets)).dataSync()[0];
  const klTerm = task.model.kl().dataSync()[0] / task.trainSize;
  assert.ok(Math.abs(loss2 - (withState + klTerm)) < 1e-4 && Math.abs(withState - fromZeros) > 1e-4, `${loss2} ${withState} ${fromZeros}`);
  const s2 = reference(b2.inputs, s1);
  assertClose(task.carriedState()!.h.dataSync(), s2.h.dataSync(), 1e-6, 'h after batch 2');
  // a new epoch resets the carried state
  const epoch1 = task.trainBatches(1, rng(2))[Symbol.iterator]();
  const first = epoch1.next().value!;
  assert.equal(task.carriedState(), null);
  task.objective(first).dispose();
  assertClose(task.carriedState()!.h.dataSync(), s1.h.dataSync(), 1e-6, 'epoch 2 batch 1 starts from zeros');
  tf.dispose([s1.h, s1.c, s2.h, s2.c]);
  [b1, b2, first].forEach((b) => b.dispose());
  task.resetState();
  task.model.dispose();
});

test('evaluation: stateful from zeros, exp(mean NLL), deterministic, and leaves the training state alone', () => {
  const task = new WordLmTask(corpus, { preset: 'sparsevd', ...options }, 10);
  const [b] = task.trainBatches(0, rng(1));
  task.objective(b).dispose();
  b.dispose();
  const carried = Array.from(task.carriedState()!.h.dataSync());
  task.model.eval();
  const metrics = task.evaluate('validation');
  assert.deepEqual(Object.keys(metrics).sort(), ['nll', 'perplexity']);
  assert.deepEqual(task.evaluate('validation'), metrics);
  assertClose(task.carriedState()!.h.dataSync(), carried, 0, 'training state untouched');
  // by hand: 4 columns of 21 -> windows of 10, 10; state carried; the mean over all 80 predictions
  let state: LanguageModelState | undefined, sum = 0, count = 0;
  for (const batch of wordStreamBatches(corpus.valid, 4, 10)) {
    const r = task.model.forward(batch.inputs, state);
    sum += SparseLanguageModel.meanNll(r.logits, batch.targets).dataSync()[0] * batch.targets.size;
    count += batch.targets.size;
    state = { h: r.h, c: r.c };
    batch.dispose();
  }
  assert.equal(count, 80);
  assert.ok(Math.abs(metrics.nll - sum / count) < 1e-5 && Math.abs(metrics.perplexity - Math.exp(sum / count)) < 1e-3);
  task.resetState();
  task.model.dispose();
});

test('a few Adam steps lower the objective and the validation perplexity', () => {
  // enough tokens that KL / N (about 0.7 nats at the start) does not swamp the NLL
  const larger = tinyCorpus(corpus.vocabulary.tokens, 4 * 1000 + 3, 4 * 21);
  const task = new WordLmTask(larger, { preset: 'sparsevd-voc', ...options }, 10);
  task.model.eval();
  const before = task.evaluate('validation').perplexity;
  task.model.train();
  const optimizer = new Adam({ learningRate: 0.05 });
  const losses: number[] = [];
  for (let epoch = 0; epoch < 1; epoch++) {
    for (const batch of task.trainBatches(epoch, rng(epoch))) {
      const loss = optimizer.minimize(() => task.objective(batch), task.model.parameters());
      losses.push(loss.dataSync()[0]);
      loss.dispose();
      batch.dispose();
    }
  }
  assert.ok(losses.slice(-4).reduce((a, b) => a + b) < losses.slice(0, 4).reduce((a, b) => a + b) - 0.8, losses.join(' '));
  task.model.eval();
  const after = task.evaluate('validation').perplexity;
  assert.ok(after < before * 0.8, `perplexity ${before} -> ${after}; ${losses.map((l) => l.toFixed(2)).join(' ')}`);
  task.resetState();
  optimizer.dispose();
  task.model.dispose();
});
