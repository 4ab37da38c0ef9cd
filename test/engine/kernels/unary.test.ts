import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { tf } from '../../../src/engine/tf.js';
import { expectBackendsAgree, nativeAvailable, rng } from '../../helpers.js';
import { ELEMENTWISE_SHAPES, SPECIAL_VALUES, randomTensor } from './host_tensors.js';

const skip = !nativeAvailable && 'native addon not built';

const UNARY: [string, (x: tf.Tensor) => tf.Tensor][] = [
  ['neg', tf.neg], ['sigmoid', tf.sigmoid], ['tanh', tf.tanh], ['exp', tf.exp], ['log', tf.log], ['log1p', tf.log1p],
  ['softplus', tf.softplus], ['relu', tf.relu], ['abs', tf.abs], ['square', tf.square], ['sqrt', tf.sqrt],
];

test('unary kernels match cpu on random shapes, including size-0/1 dims and a multi-threaded size', { skip }, async () => {
  const rand = rng(11);
  for (const shape of ELEMENTWISE_SHAPES) {
    const x = randomTensor(shape, rand, -12, 12);
    for (const [name, op] of UNARY) await expectBackendsAgree(`${name} [${shape}]`, [x], op, 1e-5, 1e-6);
  }
});

test('unary kernels match cpu on edge values (0, -0, +-Inf, NaN, exp overflow/underflow, log of <= 0)', { skip }, async () => {
  const x = { shape: [SPECIAL_VALUES.length], values: SPECIAL_VALUES };
  for (const [name, op] of UNARY) await expectBackendsAgree(`${name} special`, [x], op, 1e-5, 1e-6);
  // the exp-based ops across their whole useful range, including the softplus thresholds (about -13.94 and 13.94)
  const sweep = { shape: [4001], values: Float32Array.from({ length: 4001 }, (_, i) => -100 + i * 0.05) };
  for (const [name, op] of UNARY) await expectBackendsAgree(`${name} sweep`, [sweep], op, 1e-5, 1e-6);
});

test('unary kernels keep int32 tensors int32 (cpu fallback)', { skip }, async () => {
  await tf.setBackend('native');
  const cases: [(x: tf.Tensor) => tf.Tensor, number[]][] = [[tf.neg, [-3, 4, 0]], [tf.abs, [3, 4, 0]], [tf.relu, [3, 0, 0]], [tf.square, [9, 16, 0]]];
  tf.tidy(() => {
    const x = tf.tensor([3, -4, 0], [3], 'int32');
    for (const [op, expected] of cases) {
      const y = op(x);
      assert.equal(y.dtype, 'int32');
      assert.deepEqual(y.arraySync(), expected);
    }
  });
});

test('gradients through unary ops agree (tf.grad of sum(f(x) * y))', { skip }, async () => {
  const rand = rng(12);
  const x = randomTensor([6, 5], rand, -3, 3), y = randomTensor([6, 5], rand);
  for (const [name, op] of UNARY) {
    // log and sqrt need positive inputs
    const f = name === 'log' || name === 'sqrt' || name === 'log1p' ? (v: tf.Tensor) => op(tf.add(tf.abs(v), 0.5)) : op;
    await expectBackendsAgree(`grad ${name}`, [x, y], (a, b) => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(f(v), b)))(a), 1e-5, 1e-6);
  }
});

test('step (relu gradient) matches cpu exactly: NaN, +-0, +-Inf, negative and non-float32 alpha, int32 fallback', { skip }, async () => {
  const rand = rng(13);
  const special = { shape: [SPECIAL_VALUES.length], values: SPECIAL_VALUES };
  for (const alpha of [0, -0.3, 0.1, 2, -1e-45]) {
    await expectBackendsAgree(`step alpha ${alpha} special`, [special], (x) => tf.step(x, alpha), 0, 0);
    for (const shape of ELEMENTWISE_SHAPES) {
      await expectBackendsAgree(`step alpha ${alpha} [${shape}]`, [randomTensor(shape, rand, -2, 2)], (x) => tf.step(x, alpha), 0, 0);
    }
  }
  await tf.setBackend('native');
  tf.tidy(() => {
    const y = tf.step(tf.tensor1d([NaN, 0, -0, 1e-45, -1e-45, Infinity, -Infinity]), -0.3).dataSync();
    assert.deepEqual(Array.from(y), [NaN, Math.fround(-0.3), Math.fround(-0.3), 1, Math.fround(-0.3), 1, Math.fround(-0.3)]);
    const yi = tf.step(tf.tensor1d([3, -4, 0], 'int32'), 2);
    assert.equal(yi.dtype, 'int32');
    assert.deepEqual(yi.arraySync(), [1, 2, 2]);
  });
});
