import { test } from 'node:test';
import { tf } from '../../../src/engine/tf.js';
import { expectBackendsAgree, nativeAvailable, randomArray, rng } from '../../helpers.js';

const skip = !nativeAvailable && 'native addon not built';

test('BatchMatMul matches cpu for every transpose combination, batch broadcasts and size 0/1 dims', { skip }, async () => {
  const rand = rng(1);
  const shapes: [number[], number[]][] = [
    [[3, 4], [4, 5]], [[1, 1], [1, 1]], [[0, 4], [4, 3]], [[3, 0], [0, 2]], [[2, 3, 4], [2, 4, 5]],
    [[2, 3, 4], [1, 4, 5]], [[1, 3, 4], [6, 4, 5]], [[2, 2, 3, 4], [2, 2, 4, 1]], [[64, 129], [129, 70]],
  ];
  for (const [sa, sb] of shapes) {
    for (const tA of [false, true]) {
      for (const tB of [false, true]) {
        const shA = tA ? [...sa.slice(0, -2), sa[sa.length - 1], sa[sa.length - 2]] : sa;
        const shB = tB ? [...sb.slice(0, -2), sb[sb.length - 1], sb[sb.length - 2]] : sb;
        const a = { shape: shA, values: randomArray(shA.reduce((x, y) => x * y, 1), rand) };
        const b = { shape: shB, values: randomArray(shB.reduce((x, y) => x * y, 1), rand) };
        await expectBackendsAgree(`matMul ${sa}x${sb} tA=${tA} tB=${tB}`, [a, b], (x, y) => tf.matMul(x, y, tA, tB), 1e-4, 1e-5);
      }
    }
  }
});

test('_FusedMatMul matches cpu with bias and each activation, and its gradients agree', { skip }, async () => {
  const rand = rng(2);
  const a = { shape: [7, 9], values: randomArray(63, rand) };
  const b = { shape: [9, 5], values: randomArray(45, rand) };
  const bias = { shape: [5], values: randomArray(5, rand) };
  for (const activation of ['linear', 'relu', 'sigmoid', 'relu6', 'elu', 'leakyrelu'] as const) {
    await expectBackendsAgree(`fused ${activation}`, [a, b, bias], (x, y, z) => tf.fused.matMul({ a: x, b: y, bias: z, activation }), 1e-4, 1e-5);
    await expectBackendsAgree(`fused grad ${activation}`, [a, b, bias], (x, y, z) => {
      const g = tf.grads((p: tf.Tensor, q: tf.Tensor, r: tf.Tensor) => tf.sum(tf.fused.matMul({ a: p, b: q, bias: r, activation })));
      return g([x, y, z]);
    }, 1e-4, 1e-5);
  }
});

test('_FusedMatMul matches cpu for every transpose combination with a batch-broadcast operand and bias', { skip }, async () => {
  const rand = rng(3);
  for (const tA of [false, true]) {
    for (const tB of [false, true]) {
      const shA = tA ? [3, 6, 4] : [3, 4, 6];
      const shB = tB ? [1, 5, 6] : [1, 6, 5];
      const a = { shape: shA, values: randomArray(72, rand) };
      const b = { shape: shB, values: randomArray(30, rand) };
      const bias = { shape: [5], values: randomArray(5, rand) };
      await expectBackendsAgree(`fused tA=${tA} tB=${tB}`, [a, b, bias],
        (x, y, z) => tf.fused.matMul({ a: x as tf.Tensor3D, b: y as tf.Tensor3D, bias: z, transposeA: tA, transposeB: tB, activation: 'relu' }), 1e-4, 1e-5);
    }
  }
});
