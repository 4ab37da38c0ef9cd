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
