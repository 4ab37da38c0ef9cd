import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../helpers.js';
import { tf } from '../../../src/engine/tf.js';
import { SparseTextClassifier } from '../../../src/nn/sparse_text_classifier.js';
import { ClassificationTask, vocabularyOfIds } from '../../../src/train/tasks/classification_task.js';
import { mulberry32 } from '../../../src/train/trainer.js';
import { TOY_VOCAB, TOY_WORDS, toyDataset } from '../toy_classification.js';
import { asGroupVariable } from '../../nn/bayes/sparse_vd_parts.js';

function task(preset = 'w+g+n', batchSize = 20) {
  const model = new SparseTextClassifier(TOY_VOCAB, 4, 3, 2, preset, { seed: 2 });
  return new ClassificationTask(model, toyDataset(50), { batchSize, description: 'toy', idToWord: vocabularyOfIds(TOY_WORDS) });
}

test('train batches: every document once per epoch, reshuffled by the random stream, last batch smaller', () => {
  const t = task();
  assert.equal(t.stepsPerEpoch(), 3);
  assert.equal(t.trainSize, 50);
  const epoch = (seed: number) => {
    const rows: number[][] = [];
    for (const b of t.trainBatches(1, mulberry32(seed))) {
      assert.deepEqual(b.ids.shape.slice(1), [6]);
      rows.push([...b.lengths.dataSync()].map((len, i) => len * 1000 + [...b.ids.dataSync()].slice(i * 6, i * 6 + 6).reduce((s, x) => s * 13 + x, 0)));
      b.dispose();
    }
    return rows;
  };
  const a = epoch(1), again = epoch(1), other = epoch(2);
  assert.deepEqual(a.map((r) => r.length), [20, 20, 10]);
  assert.deepEqual(again, a);
  assert.notDeepEqual(other, a);
  const data = t.data.train;
  const all = [...Array(data.count).keys()].map((r) => data.lengths[r] * 1000 + [...data.ids.subarray(r * 6, r * 6 + 6)].reduce((s, x) => s * 13 + x, 0));
  assert.deepEqual(a.flat().sort(), all.sort());
  t.model.dispose();
});

test('evaluate: accuracy and clipped NLL match a host computation from the eval-mode logits', () => {
  const t = task();
  t.model.eval();
  const m = t.evaluate('test');
  const d = t.data.test;
  const logits = tf.tidy(() => tf.softmax(t.model.logits(tf.tensor2d(d.ids, [d.count, 6], 'int32'), tf.tensor1d(d.lengths, 'int32'))));
  const p = logits.dataSync();
  logits.dispose();
  let correct = 0, nll = 0;
  for (let i = 0; i < d.count; i++) {
    const y = d.labels[i];
    if ((p[2 * i + 1] > p[2 * i] ? 1 : 0) === y) correct++;
    nll -= Math.log(Math.min(Math.max(p[2 * i + y], 1e-6), 1 - 1e-6));
  }
  assert.equal(m.accuracy, correct / d.count);
  // evaluate runs on the compact model, equal to the eval-mode model within 1e-5 (compact_equivalence.test.ts)
  assert.ok(Math.abs(m.nll - nll / d.count) < 1e-5);
  t.model.dispose();
});

test('kept structure: words as text, gate states -1 / 0 / 1 with act(b) for the constant gates', () => {
  const t = task();
  const z = asGroupVariable(t.model.lstm.gateGroups).z, hidden = asGroupVariable(t.model.lstm.hiddenGroups).z;
  // Prune gate f of neuron 0 and g of neuron 1 through z_gate, and neuron 2 entirely through z_h.
  const logSigma = z.logSigma.dataSync().slice();
  logSigma[1 * 3 + 0] = 5; logSigma[2 * 3 + 1] = 5;
  z.logSigma.assign(tf.tensor1d(logSigma));
  const hs = hidden.logSigma.dataSync().slice();
  hs[2] = 5;
  hidden.logSigma.assign(tf.tensor1d(hs));
  const bias = t.model.lstm.bias.dataSync().slice();
  bias[1 * 3 + 0] = 1; bias[2 * 3 + 1] = 0.5;
  t.model.lstm.bias.assign(tf.tensor1d(bias));
  const s = t.keptStructure();
  assert.deepEqual([...s.gateStates!.i], [1, 1, -1]);
  assert.deepEqual([...s.gateStates!.f], [0, 1, -1]);
  assert.deepEqual([...s.gateStates!.g], [1, 0, -1]);
  assert.ok(Math.abs(s.constantGateValues!.f[0] - 0.7) < 1e-6, 'hard sigmoid(1) = 0.7');
  assert.ok(Math.abs(s.constantGateValues!.g[1] - Math.tanh(0.5)) < 1e-6);
  assert.ok(Number.isNaN(s.constantGateValues!.i[0]));
  assert.deepEqual(s.keptWords!.slice(0, 3), ['<pad>', '<s>', '<oov>']);
  assert.ok(s.keptWords!.includes('a0') && s.keptWords!.includes('b3'));
  const report = t.compression();
  assert.equal(report.constantGates.kept, 2);
  assert.equal(report.keptHidden.kept, 2);
  t.model.dispose();
});

test('rejects labels outside the model classes and a vocabulary larger than the embedding', () => {
  const model = new SparseTextClassifier(TOY_VOCAB - 2, 4, 3, 2, 'sparsevd', { seed: 1 });
  assert.throws(() => new ClassificationTask(model, toyDataset(), { batchSize: 4, description: 'x' }), /uses 12 ids, the model embeds 10/);
  model.dispose();
  const one = new SparseTextClassifier(TOY_VOCAB, 4, 3, 1, 'sparsevd', { seed: 1 });
  assert.throws(() => new ClassificationTask(one, toyDataset(), { batchSize: 4, description: 'x' }), /train label 1 is outside 0\.\.0/);
  one.dispose();
});

test('objectiveParts add up to the classifier objective', () => {
  const t = task();
  const [b] = t.trainBatches(1, mulberry32(1));
  t.model.reseedNoise(3);
  const whole = t.objective(b).dataSync()[0];
  t.model.reseedNoise(3);
  const p = t.objectiveParts(b);
  const nll = p.nll.dataSync()[0], kl = p.klPerExample.dataSync()[0];
  assert.ok(Math.abs(nll + kl - whole) < 1e-4 * Math.abs(whole), `${nll} + ${kl} vs ${whole}`);
  assert.ok(Math.abs(kl * t.trainSize - t.model.kl().dataSync()[0]) < 1e-3 * kl * t.trainSize);
  tf.dispose([p.nll, p.klPerExample]);
  b.dispose();
  t.model.dispose();
});
