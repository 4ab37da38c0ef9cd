import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { tf } from '../../../src/engine/tf.js';
import { reductionLayout } from '../../../src/engine/kernels/reduce.js';
import { expectBackendsAgree, nativeAvailable, rng } from '../../helpers.js';
import { SPECIAL_VALUES, randomTensor } from './host_tensors.js';

const skip = !nativeAvailable && 'native addon not built';

type Axis = number | number[] | undefined;
const REDUCTIONS: [string, (x: tf.Tensor, axis: Axis, keepDims: boolean) => tf.Tensor][] = [
  ['sum', (x, axis, keep) => tf.sum(x, axis, keep)],
  ['mean', (x, axis, keep) => tf.mean(x, axis, keep)],
  ['max', (x, axis, keep) => tf.max(x, axis, keep)],
];

// innermost (rows), outermost (columns), middle, full, non-adjacent (transposed first), size-0/1 dims, and sizes
// above the OpenMP threshold (one long row is split into chunks)
const CASES: [number[], Axis][] = [
  [[6, 7], 1], [[6, 7], -1], [[6, 7], 0], [[6, 7], undefined], [[6, 7], [0, 1]], [[2, 3, 4], 1], [[2, 3, 4], [1, 2]],
  [[2, 3, 4], [0, 1]], [[2, 3, 4], [0, 2]], [[2, 3, 4, 5], [1, 3]], [[1, 5, 1], 1], [[4, 1, 3], [0, 1]], [[4, 1, 3], [0, 2]],
  [[1], 0], [[9], 0], [[], undefined], [[0, 4], 1], [[3, 0], 0], [[0, 4], 0], [[300, 200], 0], [[300, 200], 1], [[40000], 0],
];

test('reductionLayout finds [outer, reduce, inner] for one block of adjacent axes, ignoring size-1 axes', () => {
  assert.deepEqual(reductionLayout([6, 7], [1]), { outer: 6, reduceSize: 7, inner: 1 });
  assert.deepEqual(reductionLayout([6, 7], [0]), { outer: 1, reduceSize: 6, inner: 7 });
  assert.deepEqual(reductionLayout([2, 3, 4, 5], [1, 2]), { outer: 2, reduceSize: 12, inner: 5 });
  assert.deepEqual(reductionLayout([4, 1, 3], [0, 2]), { outer: 1, reduceSize: 12, inner: 1 });
  assert.deepEqual(reductionLayout([4, 1, 3], [0, 1]), { outer: 1, reduceSize: 4, inner: 3 });
  assert.deepEqual(reductionLayout([3, 1, 4], [0, 1]), { outer: 1, reduceSize: 3, inner: 4 });
  assert.equal(reductionLayout([2, 3, 4], [0, 2]), null);
});

test('sum, mean and max match cpu over every axis pattern, with and without keepDims', { skip }, async () => {
  const rand = rng(31);
  for (const [shape, axis] of CASES) {
    const x = randomTensor(shape, rand, -3, 3);
    for (const [name, op] of REDUCTIONS) {
      if (name === 'max' && shape.includes(0)) continue;  // tfjs max of an empty set is not defined the same way
      for (const keep of [false, true]) {
        await expectBackendsAgree(`${name} [${shape}] axis=${JSON.stringify(axis)} keepDims=${keep}`, [x], (t) => op(t, axis, keep), 1e-5, 1e-6);
      }
    }
  }
});

test('max propagates NaN and handles infinities like cpu', { skip }, async () => {
  const n = SPECIAL_VALUES.length;
  const x = { shape: [n], values: SPECIAL_VALUES };
  const rows = { shape: [3, 4], values: Float32Array.from([-Infinity, -Infinity, -Infinity, -Infinity, 1, NaN, 2, 3, -1, -2, Infinity, 0]) };
  for (const [name, op] of REDUCTIONS) {
    await expectBackendsAgree(`${name} special`, [x], (t) => op(t, undefined, false), 1e-5, 1e-6);
    for (const axis of [0, 1]) await expectBackendsAgree(`${name} rows axis ${axis}`, [rows], (t) => op(t, axis, false), 1e-5, 1e-6);
  }
});

test('int32 sum stays int32 (cpu fallback)', { skip }, async () => {
  await tf.setBackend('native');
  tf.tidy(() => {
    const s = tf.sum(tf.tensor([[1, 2], [3, 4]], [2, 2], 'int32'), 0);
    assert.equal(s.dtype, 'int32');
    assert.deepEqual(s.arraySync(), [4, 6]);
  });
});

test('gradients through sum, mean and max agree', { skip }, async () => {
  const rand = rng(32);
  const x = randomTensor([5, 6], rand), w = randomTensor([6], rand);
  await expectBackendsAgree('grad reductions', [x, w], (a, b) => tf.grad((v: tf.Tensor) =>
    tf.add(tf.sum(tf.mul(tf.mean(v, 0), b)), tf.sum(tf.square(tf.max(v, 1)))))(a), 1e-5, 1e-6);
});
