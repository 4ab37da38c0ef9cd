import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { sparseSoftmaxCrossEntropy } from '../../src/train/losses.js';
import { nativeAvailable } from '../helpers.js';

function handCrossEntropy(logits: number[][], labels: number[]): number {
  let total = 0;
  logits.forEach((row, i) => {
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
    total += lse - row[labels[i]];
  });
  return total / logits.length;
}

for (const backend of ['cpu', ...(nativeAvailable ? ['native'] : [])]) {
  test(`sparseSoftmaxCrossEntropy equals the hand-computed mean NLL and its gradient is softmax - onehot (${backend})`, async () => {
    await tf.setBackend(backend);
    const logits = [[1, 2, 0.5], [-1, 0, 3], [0.2, 0.2, 0.2], [10, -10, 0]];
    const labels = [1, 2, 0, 0];
    const l = tf.tensor2d(logits), y = tf.tensor1d(labels, 'int32');
    const value = sparseSoftmaxCrossEntropy(l, y).dataSync()[0];
    assert.ok(Math.abs(value - handCrossEntropy(logits, labels)) < 1e-5, `${value}`);
    const g = tf.grad((x: tf.Tensor) => sparseSoftmaxCrossEntropy(x, y))(l).arraySync() as number[][];
    logits.forEach((row, i) => {
      const m = Math.max(...row);
      const z = row.reduce((s, v) => s + Math.exp(v - m), 0);
      row.forEach((v, j) => {
        const expected = (Math.exp(v - m) / z - (j === labels[i] ? 1 : 0)) / logits.length;
        assert.ok(Math.abs(g[i][j] - expected) < 1e-6, `grad[${i}][${j}] ${g[i][j]} vs ${expected}`);
      });
    });
    assert.throws(() => sparseSoftmaxCrossEntropy(l, tf.tensor1d([0, 1], 'int32')), /2 labels for 4 rows/);
  });
}
