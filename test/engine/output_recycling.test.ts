import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import type { NativeBackend } from '../../src/engine/backend.js';
import { nativeAvailable } from '../helpers.js';

const skip = !nativeAvailable && 'native addon not built';
const N = 1 << 16; // above the recycling threshold

async function onNative(): Promise<NativeBackend> {
  await tf.setBackend('native');
  return tf.backend() as NativeBackend;
}

function storageOf(t: tf.Tensor): unknown {
  return (tf.backend() as NativeBackend).data.get(t.dataId).values;
}

test('large native outputs are recycled once disposed', { skip }, async () => {
  await onNative();
  const x = tf.fill([N], 2);
  const a = tf.exp(x);
  const first = storageOf(a);
  a.dispose();
  const b = tf.sigmoid(x);
  assert.equal(storageOf(b), first, 'the next output of the same length reuses the array');
  const s = b.dataSync();
  for (let i = 0; i < N; i += 4099) assert.ok(Math.abs(s[i] - 1 / (1 + Math.exp(-2))) < 1e-6);
  tf.dispose([x, b]);
});

test('an array read out with dataSync is never recycled under the reader', { skip }, async () => {
  await onNative();
  const x = tf.fill([N], 3);
  const a = tf.square(x);
  const seen = a.dataSync();
  a.dispose();
  const b = tf.neg(x);
  assert.notEqual(storageOf(b), seen);
  assert.equal(seen[0], 9);
  assert.equal(seen[N - 1], 9);
  tf.dispose([x, b]);
});

test('a slice viewing a recycled-candidate array keeps its values after the parent is disposed', { skip }, async () => {
  await onNative();
  const x = tf.fill([4, N], 1.5);
  const parent = tf.mul(x, tf.scalar(2));
  const view = tf.slice(parent, [1, 0], [1, N]); // contiguous: the cpu kernel returns a subarray
  parent.dispose();
  const other = tf.mul(x, tf.scalar(-7)); // same length as parent: would reuse it if it were pooled
  const v = view.dataSync();
  assert.equal(v[0], 3);
  assert.equal(v[N - 1], 3);
  tf.dispose([x, view, other]);
});

test('a variable updated in place keeps its own storage', { skip }, async () => {
  await onNative();
  const x = tf.fill([N], 0.5);
  const v = tf.variable(tf.exp(x));
  const w = tf.exp(tf.neg(x));
  assert.notEqual(storageOf(v), storageOf(w));
  assert.ok(Math.abs(v.dataSync()[0] - Math.exp(0.5)) < 1e-6);
  tf.dispose([x, v, w]);
});

test('an LSTM gradient summed by tfjs from several outputs is not also handed to the activation pool', { skip }, async () => {
  const backend = await onNative();
  const { lstmSequence } = await import('../../src/engine/ops/lstm_sequence.js');
  const { savedActivationPool } = await import('../../src/engine/ops/buffer_pool.js');
  const B = 8, T = 64, D = 4, H = 64; // packed result 2BH + BTH = 33,792 floats, above the recycling threshold
  const total = 2 * B * H + B * T * H;
  const x = tf.randomUniform([B, T, D], -1, 1, 'float32', 1) as tf.Tensor3D;
  const w = tf.randomUniform([D, 4 * H], -0.1, 0.1, 'float32', 2) as tf.Tensor2D;
  const u = tf.randomUniform([H, 4 * H], -0.1, 0.1, 'float32', 3) as tf.Tensor2D;
  const b = tf.zeros([4 * H]) as tf.Tensor1D;
  savedActivationPool.clear();
  // loss on output and h: tfjs adds the two views' gradients with a native Add, whose array the backend owns
  const g = tf.grad((xx: tf.Tensor) => {
    const r = lstmSequence(xx as tf.Tensor3D, w, u, b);
    return tf.add(tf.sum(r.output), tf.sum(r.h));
  })(x);
  g.dispose();
  const fromPool = savedActivationPool.take(total);
  const fromBackend = backend.newFloat32(total);
  assert.notEqual(fromPool, fromBackend, 'one array must not have two owners');
  tf.dispose([x, w, u, b]);
});
