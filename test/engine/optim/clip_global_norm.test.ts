import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tf } from '../../../src/engine/tf.js';
import { clipByGlobalNorm } from '../../../src/engine/optim/index.js';
import { maxRelError, nativeAvailable, randomArray, rng } from '../../helpers.js';

const backends = nativeAvailable ? ['native', 'cpu'] : ['cpu'];
// one gradient above the OpenMP threshold, a scalar and a size-1 tensor
const shapes = [[3, 4], [], [1], [200, 201]];

test('clipByGlobalNorm matches the hand-computed norm and scale, for arrays and records', async () => {
  const rand = rng(11);
  const host = shapes.map((s) => randomArray(s.reduce((a, b) => a * b, 1), rand, -0.1, 0.1));
  let sumSq = 0;
  for (const values of host) for (const x of values) sumSq += x * x;
  const norm = Math.sqrt(sumSq);
  for (const backend of backends) {
    await tf.setBackend(backend);
    for (const maxNorm of [norm / 3, norm * 2]) {
      const grads = host.map((values, i) => tf.tensor(values, shapes[i], 'float32'));
      const clipped = clipByGlobalNorm(grads, maxNorm);
      assert.ok(Math.abs(clipped.globalNorm - norm) <= 1e-6 * norm, `${backend}: norm ${clipped.globalNorm} vs ${norm}`);
      const scale = Math.min(1, maxNorm / norm);
      tf.dispose(grads); // the outputs are new tensors
      clipped.grads.forEach((g, i) => {
        assert.deepEqual(g.shape, shapes[i]);
        const expected = host[i].map((x) => x * scale);
        assert.ok(maxRelError(g.dataSync(), expected, 1e-6, 1e-9) <= 1, `${backend} maxNorm ${maxNorm}: gradient ${i}`);
      });
      tf.dispose(clipped.grads);
    }
    const record = { a: tf.tensor1d([3, 0]), b: tf.scalar(-4) };
    const out = clipByGlobalNorm(record, 1);
    assert.equal(out.globalNorm, 5);
    assert.deepEqual(Object.keys(out.grads), ['a', 'b']);
    assert.ok(maxRelError(out.grads.a.dataSync(), [0.6, 0]) <= 1 && maxRelError(out.grads.b.dataSync(), [-0.8]) <= 1, backend);
    assert.deepEqual(Array.from(record.a.dataSync()), [3, 0], 'inputs are left alone');
    tf.dispose([record.a, record.b, out.grads.a, out.grads.b]);
  }
});

test('clipByGlobalNorm rejects a non-positive maxNorm', () => {
  const g = tf.scalar(1);
  assert.throws(() => clipByGlobalNorm([g], 0), RangeError);
  g.dispose();
});
