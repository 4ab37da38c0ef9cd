import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { tf } from '../../../src/engine/tf.js';
import { planBroadcast } from '../../../src/engine/kernels/binary.js';
import { expectBackendsAgree, nativeAvailable, rng } from '../../helpers.js';
import { SPECIAL_VALUES, randomInts, randomTensor } from './host_tensors.js';

const skip = !nativeAvailable && 'native addon not built';

const BINARY: [string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor][] = [
  ['add', tf.add], ['sub', tf.sub], ['mul', tf.mul], ['div', tf.div], ['maximum', tf.maximum],
];

// [a, b, whether the native path covers it]
const SHAPE_PAIRS: [number[], number[], boolean][] = [
  [[3, 5], [3, 5], true], // same shape
  [[], [3, 5], true], [[3, 5], [], true], [[1], [4, 2], true], // scalar on either side
  [[4, 6], [6], true], [[6], [4, 6], true], [[4, 6], [1, 6], true], // row broadcast
  [[4, 6], [4, 1], true], [[4, 1], [4, 6], true], // column broadcast
  [[4, 1], [1, 6], true], // column against row
  [[2, 3, 4], [4], true], [[2, 3, 4], [2, 3, 1], true], [[2, 3, 4], [1, 3, 4], true], [[2, 1, 4], [2, 3, 4], false],
  [[0, 4], [4], true], [[3, 0], [3, 1], true], [[0], []], [[1, 1], [1], true], [[1, 9, 1], [9, 1], true],
  [[200, 201], [201], true], [[200, 201], [200, 1], true], [[50000], [], true], // above the OpenMP threshold
].map(([a, b, native]) => [a as number[], b as number[], (native ?? true) as boolean]);

test('broadcast planning covers same-shape, scalar, row and column cases and rejects the rest', () => {
  for (const [a, b, native] of SHAPE_PAIRS) {
    const out = tf.broadcast_util.assertAndGetBroadcastShape(a, b);
    assert.equal(planBroadcast(a, b, out) !== null, native, `[${a}] op [${b}]`);
  }
  assert.deepEqual(planBroadcast([4, 6], [6], [4, 6]), { M: 4, N: 6, aLayout: 0, bLayout: 2 });
  assert.deepEqual(planBroadcast([4, 6], [4, 1], [4, 6]), { M: 4, N: 6, aLayout: 0, bLayout: 3 });
  assert.deepEqual(planBroadcast([], [4, 6], [4, 6]), { M: 1, N: 24, aLayout: 1, bLayout: 0 });
});

test('binary kernels match cpu for every broadcast case, including size-0/1 dims', { skip }, async () => {
  const rand = rng(21);
  for (const [sa, sb] of SHAPE_PAIRS) {
    const a = randomTensor(sa, rand, -2, 2), b = randomTensor(sb, rand, -2, 2);
    for (const [name, op] of BINARY) await expectBackendsAgree(`${name} [${sa}] [${sb}]`, [a, b], op, 0, 0);
  }
});

test('binary kernels match cpu on edge values (division by 0, Inf - Inf, NaN in maximum)', { skip }, async () => {
  const n = SPECIAL_VALUES.length;
  // every special value against every other one
  const a = { shape: [n, n], values: Float32Array.from({ length: n * n }, (_, i) => SPECIAL_VALUES[Math.floor(i / n)]) };
  const b = { shape: [n, n], values: Float32Array.from({ length: n * n }, (_, i) => SPECIAL_VALUES[i % n]) };
  for (const [name, op] of BINARY) await expectBackendsAgree(`${name} special`, [a, b], op, 0, 0);
});

test('float32 tensors cast from int32/bool (which keep their int storage) go through the native path', { skip }, async () => {
  const rand = rng(23);
  const x = randomTensor([4, 3], rand), ints = randomInts([4, 3], rand, -5, 5);
  await expectBackendsAgree('cast int32', [x, ints], (a, i) => tf.mul(tf.add(tf.cast(i, 'float32'), a), tf.cast(tf.greater(i, 0), 'float32')), 0, 0);
});

test('int32 binary ops stay int32 (cpu fallback)', { skip }, async () => {
  await tf.setBackend('native');
  tf.tidy(() => {
    const sum = tf.add(tf.tensor([1, 2, 3], [3], 'int32'), tf.tensor([10], [1], 'int32'));
    assert.equal(sum.dtype, 'int32');
    assert.deepEqual(sum.arraySync(), [11, 12, 13]);
  });
});

test('gradients of broadcast binary ops agree (they reduce over the broadcast axes)', { skip }, async () => {
  const rand = rng(22);
  const x = randomTensor([5, 4], rand), row = randomTensor([4], rand, 0.5, 2), col = randomTensor([5, 1], rand, 0.5, 2);
  await expectBackendsAgree('grad mixed', [x, row, col], (a, r, c) => {
    const f = (p: tf.Tensor, q: tf.Tensor, s: tf.Tensor) => tf.sum(tf.maximum(tf.div(tf.mul(tf.sub(p, q), s), tf.add(q, s)), -0.3));
    return tf.grads(f)([a, r, c]);
  }, 1e-5, 1e-6);
});
