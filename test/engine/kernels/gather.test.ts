import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { tf } from '../../../src/engine/tf.js';
import { expectBackendsAgree, nativeAvailable, rng } from '../../helpers.js';
import { randomInts, randomTensor } from './host_tensors.js';

const skip = !nativeAvailable && 'native addon not built';

test('gather matches cpu: embedding lookups, other axes, int32 params, size-0/1 dims', { skip }, async () => {
  const rand = rng(61);
  // [params shape, indices shape, axis]
  const cases: [number[], number[], number][] = [
    [[20, 6], [3, 4], 0], [[20, 6], [7], 0], [[20, 6], [0], 0], [[20, 6], [1], 0], [[9], [5], 0], [[5, 0], [3], 0],
    [[1, 1], [2, 2], 0], [[4, 5, 3], [6], 1], [[4, 5, 3], [2, 2], 2], [[4, 5, 3], [2], -1], [[300, 130], [400], 0],
  ];
  for (const [shape, idxShape, axis] of cases) {
    const x = randomTensor(shape, rand), idx = randomInts(idxShape, rand, 0, shape.at(axis)!);
    await expectBackendsAgree(`gather [${shape}] [${idxShape}] axis ${axis}`, [x, idx], (p, i) => tf.gather(p, i, axis), 0, 0);
    const xi = randomInts(shape, rand, -1000, 1000);
    await expectBackendsAgree(`gather int32 [${shape}]`, [xi, idx], (p, i) => {
      const g = tf.gather(p, i, axis);
      if (g.dtype !== 'int32') throw new Error(`gather of int32 gave ${g.dtype}`);
      return g;
    }, 0, 0);
  }
  // batchDims (cpu fallback)
  const x = randomTensor([3, 5, 2], rand), idx = randomInts([3, 4], rand, 0, 5);
  await expectBackendsAgree('gather batchDims 1', [x, idx], (p, i) => tf.gather(p, i, 1, 1), 0, 0);
});

test('gather throws on out-of-range indices like cpu', { skip }, async () => {
  for (const backend of ['cpu', 'native']) {
    await tf.setBackend(backend);
    tf.tidy(() => {
      const x = tf.zeros([4, 3]);
      assert.throws(() => tf.gather(x, tf.tensor([0, 4], [2], 'int32')), /GatherV2: the index value 4 is not in \[0, 3\]/, backend);
      assert.throws(() => tf.gather(x, tf.tensor([-1], [1], 'int32')), /GatherV2: the index value -1 is not in \[0, 3\]/, backend);
    });
  }
});

test('unsortedSegmentSum matches cpu, with repeated, empty and out-of-range segments', { skip }, async () => {
  const rand = rng(62);
  const cases: [number[], number][] = [[[10, 4], 6], [[10], 3], [[7, 2, 3], 5], [[0, 3], 2], [[5, 3], 1], [[1, 1], 1], [[500, 70], 40]];
  for (const [shape, numSegments] of cases) {
    const x = randomTensor(shape, rand), ids = randomInts([shape[0]], rand, -1, numSegments + 2);
    await expectBackendsAgree(`unsortedSegmentSum [${shape}] ${numSegments}`, [x, ids], (d, i) => tf.unsortedSegmentSum(d, i as tf.Tensor1D, numSegments), 1e-5, 1e-6);
  }
});

test('embedding gradient (gather then unsortedSegmentSum) agrees', { skip }, async () => {
  const rand = rng(63);
  const table = randomTensor([12, 5], rand), ids = randomInts([4, 6], rand, 0, 12), w = randomTensor([4, 6, 5], rand);
  await expectBackendsAgree('gather grad', [table, ids, w], (t, i, y) => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.gather(v, i), y)))(t), 1e-5, 1e-6);
  await expectBackendsAgree('gather grad axis 1', [table, randomInts([3], rand, 0, 5)], (t, i) =>
    tf.grad((v: tf.Tensor) => tf.sum(tf.square(tf.gather(v, i, 1))))(t), 1e-5, 1e-6);
});
