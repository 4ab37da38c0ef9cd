import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/engine/tf.js';
import '../../helpers.js';
import { BatchNorm } from '../../../src/ensembles/layers/batch_norm.js';
import { Conv2D } from '../../../src/ensembles/layers/conv2d.js';

test('batch norm: train mode normalises by batch statistics and moves the running ones (PyTorch momentum, unbiased var)', () => {
  const bn = new BatchNorm(2, { momentum: 0.1, epsilon: 0 });
  const x = tf.tensor2d([[1, 10], [3, 10], [5, 16]]);
  const y = bn.apply(x).arraySync() as number[][];
  // channel 0: mean 3, biased var 8/3 -> (x - 3) / sqrt(8/3)
  assert.ok(Math.abs(y[0][0] + 2 / Math.sqrt(8 / 3)) < 1e-5);
  assert.ok(Math.abs(y[2][1] - 4 / Math.sqrt(8)) < 1e-5); // channel 1: mean 12, var 8
  // running mean 0.9 * 0 + 0.1 * batch; running var 0.9 * 1 + 0.1 * unbiased (4 and 12)
  const mean = Array.from(bn.runningMean.dataSync()), variance = Array.from(bn.runningVariance.dataSync());
  [0.3, 1.2].forEach((m, i) => assert.ok(Math.abs(mean[i] - m) < 1e-6));
  [1.3, 2.1].forEach((v, i) => assert.ok(Math.abs(variance[i] - v) < 1e-5));
  bn.eval();
  const e = bn.apply(tf.tensor2d([[0.3, 1.2]])).dataSync();
  assert.ok(Math.abs(e[0]) < 1e-6 && Math.abs(e[1]) < 1e-6, 'eval mode uses the running statistics');
  assert.equal(bn.parameterCount(), 4, 'running statistics are buffers, not parameters');
  assert.equal(bn.parameters().length, 4, 'but they are kept (and checkpointed) with the parameters');
});

test('conv2d: same padding, stride, bias; parameter count', () => {
  const conv = new Conv2D(1, 1, { kernelSize: 3, stride: 2, seed: 1 });
  conv.kernel.assign(tf.ones([3, 3, 1, 1]));
  conv.bias!.assign(tf.tensor1d([0.5]));
  const y = conv.apply(tf.ones([1, 4, 4, 1]) as tf.Tensor4D);
  assert.deepEqual(y.shape, [1, 2, 2, 1]);
  // TF 'same' with stride 2 on 4x4 pads one row/column at the bottom/right only: the windows see 9, 6, 6 and 4 ones.
  assert.deepEqual(Array.from(y.dataSync()), [9.5, 6.5, 6.5, 4.5]);
  assert.equal(Conv2D.parameterCount(3, 8, 3, true), 3 * 8 * 9 + 8);
  assert.equal(new Conv2D(3, 8, { kernelSize: 1, bias: false }).parameterCount(), 24);
});
