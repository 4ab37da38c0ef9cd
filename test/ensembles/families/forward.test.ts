import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/engine/tf.js';
import '../../helpers.js';
import type { ArchitectureFamily } from '../../../src/ensembles/family.js';
import { mlpFamily } from '../../../src/ensembles/families/mlp.js';
import { smallCnnFamily } from '../../../src/ensembles/families/small_cnn.js';
import { vggFamily } from '../../../src/ensembles/families/vgg.js';
import { preResNetFamily, resNetFamily } from '../../../src/ensembles/families/resnet.js';
import { wideResNetFamily } from '../../../src/ensembles/families/wide_resnet.js';
import { recurrentClassifierFamily } from '../../../src/ensembles/families/recurrent_classifier.js';
import { sparseSoftmaxCrossEntropy } from '../../../src/train/losses.js';

const images = (b: number, side: number, channels: number): tf.Tensor4D => tf.randomUniform([b, side, side, channels], 0, 1, 'float32', 3) as tf.Tensor4D;

const cases: [ArchitectureFamily, number, () => tf.Tensor, number][] = [
  [mlpFamily({ inputSize: 16, depth: 3, classes: 5 }), 4, () => images(2, 4, 1), 5],
  [smallCnnFamily({ inputChannels: 1, classes: 10, inputPool: 2 }), 2, () => images(2, 28, 1), 10],
  [vggFamily({ config: 'vgg16', classes: 7, dropout: 0.5 }), 1, () => images(2, 32, 3), 7],
  [resNetFamily({ depth: 8, classes: 3 }), 2, () => images(2, 8, 3), 3],
  [preResNetFamily({ depth: 8, classes: 3 }), 2, () => images(2, 8, 3), 3],
  [preResNetFamily({ depth: 11, classes: 3, block: 'bottleneck' }), 1, () => images(2, 8, 3), 3],
  [wideResNetFamily({ depth: 10, classes: 4, dropout: 0.3 }), 2, () => images(2, 8, 3), 4],
  [recurrentClassifierFamily({ cell: 'lstm', vocabularySize: 20, embeddingDim: 4, classes: 2, layers: 2 }), 3, () => tf.tensor2d([[1, 2, 3], [4, 5, 0]], [2, 3], 'int32'), 2],
  [recurrentClassifierFamily({ cell: 'gru', vocabularySize: 20, embeddingDim: 4, classes: 3 }), 3, () => tf.tensor2d([[1, 2, 3], [4, 5, 0]], [2, 3], 'int32'), 3],
];

test('every family maps a tiny batch to finite logits [B, classes] in train and eval mode, without leaking tensors', () => {
  for (const [family, width, input, classes] of cases) {
    const model = family.build(width, 5);
    const x = input();
    const before = tf.memory().numTensors;
    for (const training of [true, false]) {
      model.train(training);
      const y = model.apply(x);
      assert.deepEqual(y.shape, [2, classes], family.name);
      assert.ok(Array.from(y.dataSync()).every(Number.isFinite), family.name);
      y.dispose();
    }
    assert.equal(tf.memory().numTensors, before, `${family.name} leaks tensors`);
    x.dispose();
    model.dispose();
  }
});

test('the same seed builds the same member; different seeds differ', () => {
  const family = smallCnnFamily({ inputChannels: 1, classes: 3 });
  const [a, b, c] = [family.build(2, 9), family.build(2, 9), family.build(2, 10)];
  const x = images(1, 8, 1);
  const [ya, yb, yc] = [a, b, c].map((m) => Array.from(m.apply(x).dataSync()));
  assert.deepEqual(ya, yb);
  assert.notDeepEqual(ya, yc);
  [a, b, c].forEach((m) => m.dispose());
});

test('gradients reach every trainable parameter of a conv, a residual and a recurrent member', () => {
  const grads = (family: ArchitectureFamily, width: number, x: tf.Tensor, labels: tf.Tensor1D): void => {
    const model = family.build(width, 2);
    const params = model.parameters().filter((p) => p.trainable);
    const { grads: g } = tf.variableGrads(() => sparseSoftmaxCrossEntropy(model.apply(x), labels) as tf.Scalar, params);
    for (const p of params) {
      const v = g[p.name];
      assert.ok(v, `${family.name}: no gradient for ${p.name}`);
      assert.ok(Array.from(v.dataSync()).some((e) => e !== 0), `${family.name}: zero gradient for a parameter of shape [${p.shape}]`);
    }
    Object.values(g).forEach((t) => t.dispose());
    model.dispose();
  };
  const labels = tf.tensor1d([0, 1], 'int32');
  grads(smallCnnFamily({ inputChannels: 1, classes: 3, inputPool: 2 }), 2, images(2, 8, 1), labels);
  grads(wideResNetFamily({ depth: 10, classes: 3 }), 2, images(2, 8, 3), labels);
  grads(recurrentClassifierFamily({ cell: 'lstm', vocabularySize: 6, embeddingDim: 3, classes: 2 }), 2, tf.tensor2d([[1, 2], [3, 5]], [2, 2], 'int32'), labels);
});
