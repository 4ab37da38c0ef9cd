import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../helpers.js';
import { trainMember } from '../../src/ensembles/train_member.js';
import { evaluateEnsemble } from '../../src/ensembles/evaluate_ensemble.js';
import { classScores } from '../../src/ensembles/class_scores.js';
import { memberFamily } from '../../src/ensembles/member_family.js';
import { BLOB_MLP, blobDataset } from './synthetic_member_data.js';

test('trainMember learns separable blobs, returns validation/test logits, and is reproducible from its seed', () => {
  const data = blobDataset();
  const a = trainMember(data, BLOB_MLP, 6, { epochs: 15, batchSize: 16, learningRate: 0.02, seed: 3 });
  assert.equal(a.parameters, memberFamily(BLOB_MLP).parameterCount(6));
  assert.equal(a.validationLogits.length, 48 * 3);
  assert.equal(a.testLogits.length, 48 * 3);
  const m = evaluateEnsemble([classScores(a.testLogits, 3)], data.test.labels);
  assert.ok(m.accuracy > 0.9, `accuracy ${m.accuracy}`);
  const b = trainMember(data, BLOB_MLP, 6, { epochs: 15, batchSize: 16, learningRate: 0.02, seed: 3 });
  assert.deepEqual(b.testLogits, a.testLogits);
  const c = trainMember(data, BLOB_MLP, 6, { epochs: 1, batchSize: 16, learningRate: 0.02, seed: 4 });
  assert.notDeepEqual(c.testLogits, a.testLogits);
});

test('trainMember trains an LSTM member on left-padded id sequences', () => {
  const count = 24, T = 5;
  const split = () => {
    const inputs = new Int32Array(count * T), labels = new Int32Array(count), lengths = new Int32Array(count);
    for (let r = 0; r < count; r++) { labels[r] = r % 2; lengths[r] = 3; for (let t = 2; t < T; t++) inputs[r * T + t] = 3 + labels[r]; }
    return { inputs, labels, lengths, count };
  };
  const data = { kind: 'sequence' as const, exampleShape: [T], classes: 2, vocabularySize: 6, train: split(), validation: split(), test: split() };
  const r = trainMember(data, { arch: 'lstm', vocabularySize: 6, embeddingDim: 4, classes: 2 }, 4, { epochs: 2, batchSize: 8, seed: 1 });
  assert.equal(r.testLogits.length, count * 2);
  assert.ok(r.testLogits.every(Number.isFinite));
});
