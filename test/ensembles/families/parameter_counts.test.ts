import { test } from 'node:test';
import assert from 'node:assert/strict';
import '../../helpers.js';
import { quadraticFromCounts, type ArchitectureFamily } from '../../../src/ensembles/family.js';
import { mlpFamily } from '../../../src/ensembles/families/mlp.js';
import { smallCnnFamily } from '../../../src/ensembles/families/small_cnn.js';
import { vggFamily } from '../../../src/ensembles/families/vgg.js';
import { preResNetFamily, resNetFamily } from '../../../src/ensembles/families/resnet.js';
import { wideResNetFamily, wideResNetWidth } from '../../../src/ensembles/families/wide_resnet.js';
import { recurrentClassifierFamily } from '../../../src/ensembles/families/recurrent_classifier.js';

/** Builds tiny members and counts their trainable parameters (no forward pass). */
function counted(family: ArchitectureFamily, width: number): number {
  const model = family.build(width, 1);
  const n = model.parameterCount();
  model.dispose();
  return n;
}

const families: [ArchitectureFamily, number[]][] = [
  [mlpFamily({ inputSize: 784, depth: 2, classes: 10 }), [1, 3, 8]],
  [mlpFamily({ inputSize: 20, depth: 4, classes: 3 }), [1, 2, 7]],
  [mlpFamily({ inputSize: 5, depth: 1, classes: 2 }), [1, 4]],
  [smallCnnFamily({ inputChannels: 1, classes: 10, inputPool: 2 }), [1, 2, 5]],
  [smallCnnFamily({ inputChannels: 3, classes: 7 }), [1, 3]],
  [vggFamily({ config: 'vgg16', classes: 100 }), [1, 2, 3]],
  [vggFamily({ config: 'vgg11', classes: 10, inputSize: 64, inputChannels: 1, hiddenLayers: 1 }), [1, 2, 4]],
  [vggFamily({ config: [[1], [2], [4, 4]], classes: 10, inputSize: 28, inputChannels: 1 }), [1, 3]],
  [vggFamily({ config: [[1], [2, 3]], classes: 4, inputSize: 12, hiddenLayers: 0 }), [1, 2, 5]],
  [resNetFamily({ depth: 20, classes: 10 }), [1, 2, 3]],
  [preResNetFamily({ depth: 20, classes: 100 }), [1, 2, 3]],
  [preResNetFamily({ depth: 164, classes: 100 }), [1, 2]],
  [preResNetFamily({ depth: 11, classes: 10, block: 'bottleneck', inputChannels: 1 }), [1, 2, 3]],
  [wideResNetFamily({ depth: 28, classes: 100 }), [1, 2, 3]],
  [wideResNetFamily({ depth: 16, classes: 10, inputChannels: 1 }), [1, 2, 4]],
  [recurrentClassifierFamily({ cell: 'lstm', vocabularySize: 50, embeddingDim: 8, classes: 2 }), [1, 3, 10]],
  [recurrentClassifierFamily({ cell: 'gru', vocabularySize: 50, embeddingDim: 8, classes: 4 }), [1, 3, 10]],
  [recurrentClassifierFamily({ cell: 'lstm', vocabularySize: 30, embeddingDim: 6, classes: 3, layers: 2 }), [1, 2, 5]],
  [recurrentClassifierFamily({ cell: 'gru', vocabularySize: 30, embeddingDim: 6, classes: 3, layers: 3 }), [1, 2, 5]],
];

test('closed-form P(w) equals the counted trainable parameters of built models, several widths per family', () => {
  for (const [family, widths] of families) {
    for (const w of widths) assert.equal(family.parameterCount(w), counted(family, w), `${family.name} at width ${w}`);
  }
});

test('the closed-form coefficients equal the quadratic through counted parameters (spec §1.2 recipe)', () => {
  for (const [family] of families.filter(([f]) => !f.name.startsWith('preresnet-164'))) {
    assert.deepEqual(quadraticFromCounts((w) => counted(family, w)), family.counts, family.name);
  }
  assert.throws(() => quadraticFromCounts((w) => w ** 3), /not a quadratic/);
});

test('spec reference counts: VGG16 3719 w^2 + (109 + 8C) w + C, WRN-28 1432 w^2 + (204 + 4C) w + C', () => {
  const vgg100 = vggFamily({ config: 'vgg16', classes: 100 }), vgg10 = vggFamily({ config: 'vgg16', classes: 10 });
  assert.deepEqual(vgg100.counts, { a: 3719, b: 909, c: 100 });
  assert.equal(vgg100.parameterCount(64), 15_291_300);
  assert.equal(vgg10.parameterCount(64), 15_245_130);
  const wrn100 = wideResNetFamily({ depth: 28, classes: 100 }), wrn10 = wideResNetFamily({ depth: 28, classes: 10 });
  assert.deepEqual(wrn100.counts, { a: 1432, b: 604, c: 100 });
  assert.equal(wideResNetWidth(10), 160);
  assert.equal(wrn100.parameterCount(160), 36_755_940); // WRN-28-10 on CIFAR-100
  assert.equal(wrn10.parameterCount(160), 36_698_250);
  // spec §1.3 grid: VGG16 w = 6 -> 0.139M, WRN-28 w = 453 -> 294.1M (C = 100)
  assert.equal(Math.round(vgg100.parameterCount(6) / 1e3), 139);
  assert.equal(Math.round(wrn100.parameterCount(453) / 1e5), 2941);
  // spec §6.3: MLP 784-h-h-10 h^2 + 796 h + 10; small CNN 135 c^2 + 59 c + 10 (c = 16: 35.5k)
  assert.deepEqual(mlpFamily({ inputSize: 784, depth: 2, classes: 10 }).counts, { a: 1, b: 796, c: 10 });
  assert.deepEqual(smallCnnFamily({ inputChannels: 1, classes: 10 }).counts, { a: 135, b: 59, c: 10 });
  assert.equal(Math.round(smallCnnFamily({ inputChannels: 1, classes: 10 }).parameterCount(16) / 100), 355);
  // PreResNet-164 at its standard width 16 on CIFAR-100: the usual "1.7M"
  assert.equal(preResNetFamily({ depth: 164, classes: 100 }).parameterCount(16), 1_726_388);
});

test('bad hyper-parameters and widths are rejected with the field named', () => {
  assert.throws(() => wideResNetFamily({ depth: 27, classes: 10 }), /depth must be 6N \+ 4/);
  assert.throws(() => preResNetFamily({ depth: 100, classes: 10 }), /depth must be 9N \+ 2/);
  assert.throws(() => mlpFamily({ inputSize: 0, depth: 2, classes: 10 }), /inputSize must be an integer >= 1/);
  assert.throws(() => vggFamily({ config: 'vgg16', classes: 10, inputSize: 16 }), /too small for 5 max-pools/);
  assert.throws(() => mlpFamily({ inputSize: 4, depth: 2, classes: 3 }).parameterCount(2.5), /width must be an integer >= 1/);
});
