import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { tf } from '../../../src/engine/tf.js';
import { expectBackendsAgree, nativeAvailable, rng } from '../../helpers.js';
import { randomInts, randomTensor } from './host_tensors.js';

const skip = !nativeAvailable && 'native addon not built';

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

function shuffled(n: number, rand: () => number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

test('transpose matches cpu for every permutation up to rank 4, random ones to rank 6, size-0/1 dims', { skip }, async () => {
  const rand = rng(71);
  const shapes = [[33, 65], [1, 5], [0, 3], [300, 130], [2, 3, 4], [3, 1, 5], [2, 0, 2], [2, 3, 4, 5], [1, 3, 1, 4]];
  for (const shape of shapes) {
    const x = randomTensor(shape, rand);
    for (const perm of permutations(shape.length)) {
      await expectBackendsAgree(`transpose [${shape}] perm ${perm}`, [x], (t) => tf.transpose(t, perm), 0, 0);
    }
  }
  for (const shape of [[2, 3, 2, 3, 2], [2, 1, 3, 2, 2, 3], [3, 2, 2, 1, 2, 2]]) {
    const x = randomTensor(shape, rand);
    for (let k = 0; k < 8; k++) {
      const perm = shuffled(shape.length, rand);
      await expectBackendsAgree(`transpose [${shape}] perm ${perm}`, [x], (t) => tf.transpose(t, perm), 0, 0);
    }
  }
});

test('transpose keeps int32 (including tensors cast from bool) and its gradient agrees', { skip }, async () => {
  const rand = rng(72);
  const xi = randomInts([3, 4, 5], rand, -100, 100);
  await expectBackendsAgree('transpose int32', [xi], (t) => tf.transpose(t, [2, 0, 1]), 0, 0);
  await expectBackendsAgree('transpose cast bool', [xi], (t) => tf.transpose(tf.cast(tf.greater(t, 0), 'int32'), [1, 0, 2]), 0, 0);
  const x = randomTensor([3, 4, 5], rand), w = randomTensor([5, 3, 4], rand);
  await expectBackendsAgree('transpose grad', [x, w], (a, b) => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.transpose(v, [2, 0, 1]), b)))(a), 1e-6, 1e-7);
});

test('transpose that only moves size-1 axes shares the input storage (no copy, no new buffer) and stays correct', { skip }, async () => {
  const rand = rng(73);
  const cases: [number[], number[]][] = [[[4, 5], [0, 1]], [[1, 5], [1, 0]], [[3, 1, 4], [0, 2, 1]], [[3, 1, 4], [1, 0, 2]], [[1, 2, 1, 3], [2, 1, 3, 0]], [[], []]];
  for (const [shape, perm] of cases) {
    const x = randomTensor(shape, rand);
    await expectBackendsAgree(`identity-layout transpose [${shape}] perm ${perm}`, [x], (t) => tf.transpose(t, perm), 0, 0);
    await tf.setBackend('native');
    const t = tf.tensor(x.values, shape);
    const buffers = tf.memory().numDataBuffers;
    const y = tf.transpose(t, perm);
    assert.equal(y.dataId, t.dataId, `[${shape}] perm ${perm}: output should share the input's data`);
    assert.equal(tf.memory().numDataBuffers, buffers);
    t.dispose();
    assert.deepEqual(y.shape, perm.map((a) => shape[a]));
    assert.deepEqual(Array.from(y.dataSync()), Array.from(x.values)); // still readable after the input is gone
    y.dispose();
  }
  // a large native kernel output (recycled once disposed) stays alive while the view does
  await tf.setBackend('native');
  const host = randomTensor([1, 200, 100], rand).values;
  const big = tf.tensor(host, [1, 200, 100]);
  const sum = tf.add(big, 1);
  const view = tf.transpose(sum, [1, 0, 2]);
  const expected = Array.from(host, (v) => Math.fround(v + 1));
  sum.dispose(); // not read out, so its array would go back to the pool if the view did not hold it
  const other = tf.mul(big, 0);
  assert.deepEqual(Array.from(view.dataSync()), expected);
  tf.dispose([big, view, other]);
  const t = tf.tensor3d(Float32Array.from({ length: 24 }, (_, i) => i), [2, 3, 4]);
  const moved = tf.transpose(t, [0, 2, 1]);
  assert.notEqual(moved.dataId, t.dataId, 'a real permutation copies');
  tf.dispose([t, moved]);
});
