import { test } from 'node:test';
import { tf } from '../../../src/engine/tf.js';
import { expectBackendsAgree, nativeAvailable, rng } from '../../helpers.js';
import { randomTensor } from './host_tensors.js';

const skip = !nativeAvailable && 'native addon not built';

type Pad = 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];

interface ConvCase { x: number[]; filter: number[]; stride: number | [number, number]; pad: Pad; dilation?: number }

// 3x3 same (the small CNN's), valid, stride 2 with odd sizes, 1x1 (the plain-GEMM path), a rectangular kernel with
// explicit padding, a batch large enough to need several im2col chunks, and one-pixel images.
const CONV_CASES: ConvCase[] = [
  { x: [2, 7, 6, 3], filter: [3, 3, 3, 4], stride: 1, pad: 'same' },
  { x: [2, 7, 6, 3], filter: [3, 3, 3, 4], stride: 1, pad: 'valid' },
  { x: [3, 9, 7, 2], filter: [3, 3, 2, 5], stride: 2, pad: 'same' },
  { x: [3, 9, 7, 2], filter: [2, 2, 2, 3], stride: [2, 1], pad: 'valid' },
  { x: [2, 5, 5, 6], filter: [1, 1, 6, 3], stride: 1, pad: 'valid' },
  { x: [2, 5, 5, 6], filter: [1, 1, 6, 3], stride: 2, pad: 'same' },
  { x: [1, 6, 8, 2], filter: [2, 3, 2, 3], stride: 1, pad: [[0, 0], [1, 0], [2, 1], [0, 0]] },
  { x: [20, 28, 28, 16], filter: [5, 5, 16, 2], stride: 1, pad: 'same' }, // 13 images per im2col chunk
  { x: [3, 1, 1, 4], filter: [3, 3, 4, 2], stride: 1, pad: 'same' },
];

test('Conv2D and both of its gradients match the cpu kernels (same/valid/explicit padding, strides, 1x1, chunked batches)', { skip }, async () => {
  const rand = rng(11);
  for (const c of CONV_CASES) {
    const x = randomTensor(c.x, rand), filter = randomTensor(c.filter, rand);
    const name = `conv x=${c.x} f=${c.filter} s=${c.stride} pad=${JSON.stringify(c.pad)}`;
    await expectBackendsAgree(name, [x, filter], (a, f) => tf.conv2d(a as tf.Tensor4D, f as tf.Tensor4D, c.stride, c.pad), 1e-4, 1e-5);
    await expectBackendsAgree(`${name} grads`, [x, filter], (a, f) => {
      // a non-uniform upstream gradient, so every output position's contribution is checked
      const g = tf.grads((p: tf.Tensor, q: tf.Tensor) => {
        const y = tf.conv2d(p as tf.Tensor4D, q as tf.Tensor4D, c.stride, c.pad);
        return tf.sum(tf.mul(y, tf.sin(tf.reshape(tf.range(0, y.size), y.shape))));
      });
      return g([a, f]);
    }, 1e-4, 1e-4);
  }
});

test('dilated Conv2D matches cpu', { skip }, async () => {
  const rand = rng(12);
  const x = randomTensor([2, 9, 8, 3], rand), filter = randomTensor([3, 3, 3, 2], rand);
  for (const pad of ['same', 'valid'] as const) {
    await expectBackendsAgree(`dilated ${pad}`, [x, filter], (a, f) => tf.conv2d(a as tf.Tensor4D, f as tf.Tensor4D, 1, pad, 'NHWC', 2), 1e-4, 1e-5);
  }
});

test('MaxPool and its gradient match cpu, including overlapping windows, padding and tied maxima', { skip }, async () => {
  const rand = rng(13);
  const relu = randomTensor([2, 9, 7, 3], rand);
  // ReLU-like input: many tied zeros in a window, where the gradient must go to the same (first) position as cpu's
  relu.values = relu.values.map((v) => Math.max(0, v));
  const cases: { filter: number; stride: number; pad: 'same' | 'valid' }[] = [
    { filter: 2, stride: 2, pad: 'valid' }, { filter: 3, stride: 2, pad: 'same' }, { filter: 3, stride: 1, pad: 'same' }, { filter: 2, stride: 3, pad: 'valid' },
  ];
  for (const input of [randomTensor([2, 9, 7, 3], rand), relu]) {
    for (const c of cases) {
      const name = `maxPool ${JSON.stringify(c)}`;
      await expectBackendsAgree(name, [input], (a) => tf.maxPool(a as tf.Tensor4D, c.filter, c.stride, c.pad), 0, 0);
      await expectBackendsAgree(`${name} grad`, [input], (a) => tf.grad((p: tf.Tensor) => {
        const y = tf.maxPool(p as tf.Tensor4D, c.filter, c.stride, c.pad);
        return tf.sum(tf.mul(y, tf.cos(tf.reshape(tf.range(0, y.size), y.shape))));
      })(a), 1e-6, 1e-6);
    }
  }
});
