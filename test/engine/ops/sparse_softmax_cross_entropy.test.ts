import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { tf } from '../../../src/engine/tf.js';
import { plainSparseSoftmaxCrossEntropy, sparseSoftmaxCrossEntropy } from '../../../src/engine/ops/sparse_softmax_cross_entropy.js';
import { expectBackendsAgree, maxRelError, nativeAvailable, randomArray, rng, type HostTensor } from '../../helpers.js';

const skip = !nativeAvailable && 'native addon not built';

/** Loss and dloss/dlogits of mean cross-entropy, in double precision from first principles. */
function handCrossEntropy(logits: Float32Array, labels: Int32Array, classes: number): { loss: number; grad: Float64Array } {
  const rows = labels.length;
  const grad = new Float64Array(rows * classes);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const row = Array.from(logits.subarray(i * classes, (i + 1) * classes));
    const m = Math.max(...row);
    const z = row.reduce((s, v) => s + Math.exp(v - m), 0);
    total += m + Math.log(z) - row[labels[i]];
    row.forEach((v, j) => { grad[i * classes + j] = (Math.exp(v - m) / z - (j === labels[i] ? 1 : 0)) / rows; });
  }
  return { loss: total / rows, grad };
}

type Case = { name: string; shape: number[]; logits: Float32Array; labels: Int32Array };

function randomCase(name: string, shape: number[], rand: () => number, lo = -4, hi = 4): Case {
  const classes = shape[shape.length - 1];
  const rows = shape.slice(0, -1).reduce((p, d) => p * d, 1);
  const labels = Int32Array.from({ length: rows }, (_, i) => (i === 0 ? 0 : i === 1 ? classes - 1 : Math.floor(rand() * classes)));
  return { name, shape, logits: randomArray(rows * classes, rand, lo, hi), labels };
}

function cases(): Case[] {
  const rand = rng(301);
  const extreme = randomCase('extreme logits', [6, 7], rand);
  extreme.logits.forEach((_, k) => { extreme.logits[k] = [80, -80, 0, 79.5, -79.5][Math.floor(rand() * 5)]; });
  extreme.logits[extreme.labels[2] + 2 * 7] = -80; // a label with vanishing probability: loss ~160
  return [
    randomCase('N=1', [1, 9], rand),
    randomCase('C=1', [5, 1], rand),
    randomCase('N=1 C=1', [1, 1], rand),
    randomCase('small', [4, 3], rand),
    randomCase('wide', [3, 300], rand, -10, 10),
    randomCase('multi-threaded', [40, 1000], rand),
    randomCase('3-D', [2, 3, 5], rand),
    extreme,
  ];
}

function hostInputs(c: Case): HostTensor[] {
  return [{ shape: c.shape, values: c.logits }, { shape: c.shape.slice(0, -1), values: c.labels, dtype: 'int32' }];
}

/** [loss, dloss/dlogits] of `loss` on the current backend. */
function valueAndGrad(loss: (x: tf.Tensor, y: tf.Tensor) => tf.Scalar) {
  return (x: tf.Tensor, y: tf.Tensor): tf.Tensor[] => {
    const { value, grad } = tf.valueAndGrad((v: tf.Tensor) => loss(v, y))(x);
    return [value, grad];
  };
}

for (const backend of ['cpu', ...(nativeAvailable ? ['native'] : [])]) {
  test(`sparseSoftmaxCrossEntropy value and gradient equal a hand computation (${backend})`, async () => {
    await tf.setBackend(backend);
    for (const c of cases()) {
      tf.tidy(() => {
        const [value, grad] = valueAndGrad(sparseSoftmaxCrossEntropy)(tf.tensor(c.logits, c.shape), tf.tensor(c.labels, c.shape.slice(0, -1), 'int32'));
        const hand = handCrossEntropy(c.logits, c.labels, c.shape[c.shape.length - 1]);
        assert.deepEqual(grad.shape, c.shape);
        assert.ok(maxRelError([value.dataSync()[0]], [hand.loss], 1e-5, 1e-6) <= 1, `${c.name}: loss ${value.dataSync()[0]} vs ${hand.loss}`);
        const err = maxRelError(grad.dataSync(), hand.grad, 1e-4, 1e-7);
        assert.ok(err <= 1, `${c.name}: gradient off by ${err}x the tolerance`);
      });
    }
  });

  test(`sparseSoftmaxCrossEntropy rejects labels outside [0, C) naming the label and C (${backend})`, async () => {
    await tf.setBackend(backend);
    tf.tidy(() => {
      const logits = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
      assert.throws(() => sparseSoftmaxCrossEntropy(logits, tf.tensor1d([0, 3], 'int32')), /label 3 \(row 1\) is outside \[0, 3\) for 3 classes/);
      assert.throws(() => sparseSoftmaxCrossEntropy(logits, tf.tensor1d([-1, 0], 'int32')), /label -1 \(row 0\) is outside \[0, 3\)/);
      assert.throws(() => sparseSoftmaxCrossEntropy(logits, tf.tensor1d([0, 1, 2], 'int32')), /3 labels for 2 rows/);
    });
  });
}

test('native sparseSoftmaxCrossEntropy equals the plain composition on the same backend and on cpu', { skip }, async () => {
  for (const c of cases()) {
    const inputs = hostInputs(c);
    await expectBackendsAgree(`${c.name} vs cpu`, inputs, valueAndGrad(sparseSoftmaxCrossEntropy), 1e-5, 1e-7);
    await tf.setBackend('native');
    tf.tidy(() => {
      const x = tf.tensor(c.logits, c.shape), y = tf.tensor(c.labels, c.shape.slice(0, -1), 'int32');
      const fused = valueAndGrad(sparseSoftmaxCrossEntropy)(x, y).map((t) => t.dataSync());
      const plain = valueAndGrad(plainSparseSoftmaxCrossEntropy)(x, y).map((t) => t.dataSync());
      fused.forEach((values, k) => {
        const err = maxRelError(values, plain[k], 1e-5, 1e-7);
        assert.ok(err <= 1, `${c.name}: output ${k} differs from the plain path by ${err}x the tolerance`);
      });
    });
  }
});

test('native sparseSoftmaxCrossEntropy casts float labels, frees its saved tensors and runs under tf.grad of a sum', { skip }, async () => {
  await tf.setBackend('native');
  const x = tf.tensor2d([[0.5, -1, 2], [3, 0, -2]]);
  const before = tf.memory().numTensors;
  const g = tf.grad((v: tf.Tensor) => tf.mul(sparseSoftmaxCrossEntropy(v, tf.tensor1d([2, 0])), 3))(x);
  const hand = handCrossEntropy(x.dataSync() as Float32Array, Int32Array.from([2, 0]), 3);
  assert.ok(maxRelError(g.dataSync(), hand.grad.map((v) => 3 * v), 1e-5, 1e-7) <= 1);
  g.dispose();
  assert.equal(tf.memory().numTensors, before);
  x.dispose();
});
