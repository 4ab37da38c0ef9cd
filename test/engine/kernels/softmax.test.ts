import { test } from 'node:test';
import { tf } from '../../../src/engine/tf.js';
import { expectBackendsAgree, nativeAvailable, rng } from '../../helpers.js';
import { randomTensor } from './host_tensors.js';

const skip = !nativeAvailable && 'native addon not built';

test('softmax matches cpu on random shapes, including size-0/1 dims and rows above the OpenMP threshold', { skip }, async () => {
  const rand = rng(41);
  for (const shape of [[1], [7], [1, 1], [3, 5], [0, 4], [4, 0], [2, 3, 4], [1, 6, 1], [300, 130]]) {
    await expectBackendsAgree(`softmax [${shape}]`, [randomTensor(shape, rand, -5, 5)], (x) => tf.softmax(x), 1e-5, 1e-7);
    await expectBackendsAgree(`softmax dim [${shape}]`, [randomTensor(shape, rand, -5, 5)], (x) => tf.softmax(x, shape.length - 1), 1e-5, 1e-7);
  }
});

test('softmax is stable for large logits and handles -Inf entries like cpu', { skip }, async () => {
  const x = { shape: [3, 4], values: Float32Array.from([1000, 999, -1000, 0, -Infinity, 0, 1, -Infinity, -1e30, 1e30, 5, 5]) };
  await expectBackendsAgree('softmax extremes', [x], (t) => tf.softmax(t), 1e-5, 1e-7);
});

test('softmax gradient agrees (tf.grad of sum(softmax(x) * y))', { skip }, async () => {
  const rand = rng(42);
  await expectBackendsAgree('softmax grad', [randomTensor([4, 6], rand, -3, 3), randomTensor([4, 6], rand)],
    (x, y) => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.softmax(v), y)))(x), 1e-5, 1e-6);
});
