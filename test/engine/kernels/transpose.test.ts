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
