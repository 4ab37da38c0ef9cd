import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../src/engine/tf.js';
import '../helpers.js';
import { Module } from '../../src/nn/module.js';
import { MaskedParameter } from '../../src/nn/masked_parameter.js';
import { hostParameters, restoreParameters } from '../../src/train/trainer.js';
import { loadCheckpoint, saveCheckpoint } from '../../src/train/checkpoint.js';

/** A layer owning one masked [2, 3] kernel, registered as SparseVD's tensors are. */
class MaskedLayer extends Module {
  readonly kernel = MaskedParameter.register((n, t, tr) => this.addParameter(n, t, tr), 'kernel',
    tf.tensor2d([[1, -2, 3], [4, -5, 6]]));
}

const THETA = [1, -2, 3, 4, -5, 6];

/** Host values with -0 (a negative theta times a 0 mask) read as 0. */
const host = (t: tf.Tensor): number[] => Array.from(t.dataSync(), (v) => v + 0);

test('the forward weight is theta * mask in both modes; keptMask and applyMask (intersect, replace)', () => {
  const layer = new MaskedLayer();
  const p = layer.kernel;
  assert.deepEqual(host(p.evalWeight()), THETA, 'starts all kept');
  p.applyMask([1, 0, 1, 1, 1, 0]);
  const expected = [1, 0, 3, 4, -5, 0];
  assert.deepEqual(host(p.weight(true)), expected);
  assert.deepEqual(host(p.weight(false)), expected);
  assert.deepEqual(host(p.keptMask()), [1, 0, 1, 1, 1, 0]);
  assert.deepEqual(host(p.theta), THETA, 'theta keeps the pruned values');
  // intersect: a revived entry stays pruned; replace: it comes back with its old value
  p.applyMask(tf.tensor2d([[1, 1, 1], [0, 1, 1]]));
  assert.deepEqual(Array.from(p.hostKeptMask()), [1, 0, 1, 0, 1, 0]);
  assert.equal(p.keptCount(), 3);
  p.applyMask([1, 1, 1, 1, 1, 0], 'replace');
  assert.deepEqual(host(p.evalWeight()), [1, -2, 3, 4, -5, 0]);
  assert.deepEqual(host(p.gatherRows(tf.tensor1d([1, 1], 'int32'), true)), [4, -5, 0, 4, -5, 0]);
  assert.equal(p.penalty().dataSync()[0], 0);
  p.zeroPruned();
  assert.deepEqual(host(p.theta), [1, -2, 3, 4, -5, 0]);
  assert.throws(() => p.applyMask([1, 0.5, 1, 1, 1, 1]), /value 1 is 0\.5, expected 0 or 1/);
  assert.throws(() => p.applyMask([1, 1]), /got 2 values, the mask \[2,3\] has 6/);
  assert.throws(() => p.applyMask(tf.ones([3, 2])), /mask \[3,2\] vs parameter \[2,3\]/);
  layer.dispose();
});

test('masked entries get no gradient; the mask is a buffer, not a trainable parameter', () => {
  const layer = new MaskedLayer();
  const p = layer.kernel;
  p.applyMask([0, 1, 1, 1, 0, 1]);
  const x = tf.tensor2d([[0.5, -1]]);
  const { grads } = tf.variableGrads(() => tf.sum(tf.square(tf.matMul(x, p.weight(true) as tf.Tensor2D))) as tf.Scalar, [p.theta]);
  const g = host(grads[p.theta.name]);
  [0, 4].forEach((i) => assert.ok(g[i] === 0, `masked entry ${i}: ${g[i]}`));
  [1, 2, 3, 5].forEach((i) => assert.notEqual(g[i], 0, `kept entry ${i}`));
  assert.deepEqual([...layer.namedParameters().keys()], ['kernelTheta', 'kernelMask']);
  assert.equal(layer.namedParameters().get('kernelMask')?.trainable, false);
  assert.equal(layer.parameterCount(), 6, 'the mask is not counted');
  layer.dispose();
});

test('the mask survives a checkpoint round trip (hostParameters -> file -> restoreParameters)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'masked-parameter-'));
  try {
    const trained = new MaskedLayer();
    trained.kernel.applyMask([1, 0, 0, 1, 1, 0]);
    const path = join(dir, 'checkpoint.bin');
    saveCheckpoint(path, { epoch: 1, seed: 0, config: {}, parameters: hostParameters(trained.namedParameters()), optimizer: { step: 0, slots: {} } });
    const fresh = new MaskedLayer();
    assert.equal(fresh.kernel.keptCount(), 6);
    restoreParameters(fresh.namedParameters(), loadCheckpoint(path).parameters, path);
    assert.deepEqual(Array.from(fresh.kernel.hostKeptMask()), [1, 0, 0, 1, 1, 0]);
    assert.deepEqual(host(fresh.kernel.evalWeight()), [1, 0, 0, 4, -5, 0]);
    trained.dispose();
    fresh.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the constructor refuses a trainable or mis-shaped mask', () => {
  const theta = tf.variable(tf.zeros([2, 2]));
  assert.throws(() => new MaskedParameter(theta, tf.variable(tf.ones([2, 2]), true)), /mask must be a non-trainable variable/);
  assert.throws(() => new MaskedParameter(theta, tf.variable(tf.ones([4]), false)), /theta \[2,2\] vs mask \[4\]/);
  theta.dispose();
});
