import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../helpers.js';
import { tf } from '../../src/engine/tf.js';
import { SparseTextClassifier } from '../../src/nn/sparse_text_classifier.js';
import { normalNoise } from '../../src/nn/bayes/noise.js';

test('normalNoise.reseed restarts the sequence of draws', async () => {
  await tf.ready(); // the generator depends on the backend, which the first op would otherwise pick mid-test
  const noise = normalNoise(1);
  const draw = () => { const t = noise([5]); const v = [...t.dataSync()]; t.dispose(); return v; };
  const first = draw(), second = draw();
  noise.reseed(1);
  assert.deepEqual(draw(), first);
  assert.deepEqual(draw(), second);
  noise.reseed(2);
  assert.notDeepEqual(draw(), first);
});

test('Module.reseedNoise reaches every noise source of the tree and makes train-mode outputs repeat', () => {
  const model = new SparseTextClassifier(9, 3, 4, 2, 'w+g+n', { seed: 1 });
  assert.deepEqual([...model.namedNoiseSources().keys()], [
    'embedding.table', 'vocabularyGroups.z', 'lstm.kernel', 'lstm.recurrentKernel', 'lstm.inputGroups.z',
    'lstm.hiddenGroups.z', 'lstm.gateGroups.z', 'output.weight',
  ]);
  const ids = tf.tensor2d([[0, 1, 4, 5], [1, 2, 3, 8]], [2, 4], 'int32'), lengths = tf.tensor1d([3, 4], 'int32');
  const run = () => { const t = model.logits(ids, lengths); const v = [...t.dataSync()]; t.dispose(); return v; };
  model.reseedNoise(7);
  const a = run(), b = run();
  assert.notDeepEqual(a, b, 'train mode draws new noise each call');
  model.reseedNoise(7);
  assert.deepEqual(run(), a);
  assert.deepEqual(run(), b);
  model.reseedNoise(8);
  assert.notDeepEqual(run(), a);
  tf.dispose([ids, lengths]);
  model.dispose();
});
