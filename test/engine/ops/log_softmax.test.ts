import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { tf } from '../../../src/engine/tf.js';
import { logSoftmax } from '../../../src/engine/ops/log_softmax.js';
import { LOG_SOFTMAX, LOG_SOFTMAX_GRAD } from '../../../src/engine/kernels/softmax.js';
import { expectBackendsAgree, nativeAvailable, randomArray, rng, runOn } from '../../helpers.js';

const skip = !nativeAvailable && 'native addon not built';

function input(shape: number[], rand: () => number, scale = 5) {
  return { shape, values: randomArray(shape.reduce((p, d) => p * d, 1), rand, -scale, scale) };
}

// expectBackendsAgree runs fn on cpu too, where logSoftmax is tf.logSoftmax: this compares native with tfjs.
test('logSoftmax on native matches tf.logSoftmax, forward and gradient', { skip }, async () => {
  const rand = rng(51);
  for (const shape of [[1], [9], [1, 1], [4, 7], [0, 3], [2, 3, 5], [200, 170]]) {
    const x = input(shape, rand), y = input(shape, rand, 1);
    await expectBackendsAgree(`logSoftmax [${shape}]`, [x], (t) => logSoftmax(t), 1e-5, 1e-6);
    await expectBackendsAgree(`logSoftmax axis [${shape}]`, [x], (t) => logSoftmax(t, shape.length - 1), 1e-5, 1e-6);
    await expectBackendsAgree(`logSoftmax grad [${shape}]`, [x, y], (t, w) => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(logSoftmax(v), w)))(t), 1e-5, 1e-6);
  }
});

test('on native, forward and gradient are each one native kernel', { skip }, async () => {
  await tf.setBackend('native');
  const x = tf.tensor([[1, 2, 3], [0, 0, 1]]);
  const profile = await tf.profile(() => tf.grad((v: tf.Tensor) => tf.sum(logSoftmax(v)))(x));
  assert.ok(profile.kernelNames.includes(LOG_SOFTMAX) && profile.kernelNames.includes(LOG_SOFTMAX_GRAD), profile.kernelNames.join());
  assert.ok(!profile.kernelNames.includes(tf.Exp), profile.kernelNames.join());
  x.dispose();
});

test('logSoftmax is stable for large logits (no Inf/NaN where tf.logSoftmax has none)', { skip }, async () => {
  const x = { shape: [2, 3], values: Float32Array.from([1000, 0, -1000, 50, 50, 50]) };
  await expectBackendsAgree('logSoftmax extremes', [x], (t) => logSoftmax(t), 1e-5, 1e-6);
  const [out] = await runOn('native', [x], (t) => logSoftmax(t));
  assert.ok(out.values.every(Number.isFinite));
});

test('logSoftmax on a non-native backend is tf.logSoftmax, and a non-last axis is rejected the same way', async () => {
  const rand = rng(52);
  const x = input([3, 4], rand);
  const [ours] = await runOn('cpu', [x], (t) => logSoftmax(t));
  const [theirs] = await runOn('cpu', [x], (t) => tf.logSoftmax(t));
  assert.deepEqual(ours.values, theirs.values);
  for (const backend of nativeAvailable ? ['cpu', 'native'] : ['cpu']) {
    await tf.setBackend(backend);
    assert.throws(() => tf.tidy(() => logSoftmax(tf.zeros([3, 4]), 0)), /non-last dimension/);
  }
});
