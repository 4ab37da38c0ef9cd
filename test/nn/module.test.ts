import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { Dense } from '../../src/nn/dense.js';
import { Embedding } from '../../src/nn/embedding.js';
import { GRU, LSTM } from '../../src/nn/recurrent.js';
import { Module } from '../../src/nn/module.js';

class Classifier extends Module {
  readonly embedding = this.addModule('embedding', new Embedding(50, 8, 1));
  readonly rnn = this.addModule('rnn', new LSTM(8, 6, { seed: 2 }));
  readonly head = this.addModule('head', new Dense(6, 3, 'linear', 3));
}

test('modules name their parameters by path and count them like PyTorch', () => {
  const m = new Classifier();
  assert.deepEqual([...m.namedParameters().keys()], [
    'embedding.table', 'rnn.kernel', 'rnn.recurrentKernel', 'rnn.bias', 'head.kernel', 'head.bias',
  ]);
  // PyTorch: 50*8 + 4*6*(8+6) + 2*4*6 (two biases there, one here) + 6*3 + 3
  assert.equal(m.parameterCount(), 50 * 8 + 4 * 6 * (8 + 6) + 4 * 6 + 6 * 3 + 3);
  assert.equal(new GRU(8, 6).parameterCount(), 3 * 6 * (8 + 6) + 2 * 3 * 6);
  m.eval();
  assert.equal(m.rnn.training, false);
  m.train();
  assert.equal(m.head.training, true);
  m.dispose();
});

test('the same seed gives the same initial weights', () => {
  const a = new Dense(5, 4, 'relu', 42), b = new Dense(5, 4, 'relu', 42), c = new Dense(5, 4, 'relu', 43);
  assert.deepEqual(a.kernel.dataSync(), b.kernel.dataSync());
  assert.notDeepEqual(a.kernel.dataSync(), c.kernel.dataSync());
  const bound = 1 / Math.sqrt(5);
  for (const v of a.kernel.dataSync()) assert.ok(Math.abs(v) <= bound);
  const y = a.apply(tf.ones([2, 3, 5]));
  assert.deepEqual(y.shape, [2, 3, 4]);
  for (const v of y.dataSync()) assert.ok(v >= 0, 'relu output is non-negative');
  [a, b, c].forEach((m) => m.dispose());
});
