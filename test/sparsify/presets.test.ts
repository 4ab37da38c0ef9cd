import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CLASSIFIER_PRESETS, parseClassifierConfig, presetConfig, resolveClassifierSparsity, type ClassifierSparsity,
} from '../../src/sparsify/presets.js';

// The spec's §3.2 table, written out field by field.
const EXPECTED: Record<string, { config: string; parsed: ClassifierSparsity }> = {
  'dense': { config: 'DCDCCD', parsed: { embeddingWeights: 'dense', vocabularyGroups: false, lstmWeights: 'dense', gateGroups: false, neuronGroups: false, denseWeights: 'dense' } },
  'sparsevd': { config: 'LCLCCL', parsed: { embeddingWeights: 'sparsevd', vocabularyGroups: false, lstmWeights: 'sparsevd', gateGroups: false, neuronGroups: false, denseWeights: 'sparsevd' } },
  'sparsevd-voc': { config: 'LLLCCL', parsed: { embeddingWeights: 'sparsevd', vocabularyGroups: true, lstmWeights: 'sparsevd', gateGroups: false, neuronGroups: false, denseWeights: 'sparsevd' } },
  'w+n': { config: 'LLLCLL', parsed: { embeddingWeights: 'sparsevd', vocabularyGroups: true, lstmWeights: 'sparsevd', gateGroups: false, neuronGroups: true, denseWeights: 'sparsevd' } },
  'w+g+n': { config: 'LLLLLL', parsed: { embeddingWeights: 'sparsevd', vocabularyGroups: true, lstmWeights: 'sparsevd', gateGroups: true, neuronGroups: true, denseWeights: 'sparsevd' } },
};

test('every preset maps to the spec config string and parses to the expected parts', () => {
  assert.deepEqual(Object.keys(CLASSIFIER_PRESETS).sort(), Object.keys(EXPECTED).sort());
  for (const [name, { config, parsed }] of Object.entries(EXPECTED)) {
    assert.equal(CLASSIFIER_PRESETS[name as keyof typeof CLASSIFIER_PRESETS], config, name);
    assert.deepEqual(parseClassifierConfig(config), parsed, config);
    assert.deepEqual(presetConfig(name), parsed, name);
    assert.deepEqual(resolveClassifierSparsity(name), parsed, name);
    assert.deepEqual(resolveClassifierSparsity(config), parsed, config);
  }
});

test('config strings outside the presets parse too (mixed plain and SparseVD parts)', () => {
  assert.deepEqual(parseClassifierConfig('DCLLCD'), { embeddingWeights: 'dense', vocabularyGroups: false, lstmWeights: 'sparsevd', gateGroups: true, neuronGroups: false, denseWeights: 'dense' });
});

test('unknown preset names list the valid presets', () => {
  for (const bad of ['binary', 'SparseVD', '', 'w+g']) { // 'binary-dropout' became a preset (src/nn/binary_dropout.ts)
    assert.throws(() => presetConfig(bad), (e: Error) =>
      e.message.includes(`"${bad}"`) && Object.keys(EXPECTED).every((n) => e.message.includes(n)), bad);
    assert.throws(() => resolveClassifierSparsity(bad), (e: Error) => Object.keys(EXPECTED).every((n) => e.message.includes(n)), bad);
  }
});

test('bad config strings name the offending character and list the presets', () => {
  const cases: [string, RegExp][] = [
    ['LLLLL', /5 characters/],
    ['LLLLLLL', /7 characters/],
    ['CLLLLL', /embedding weights \(character 1\) is "C"/],
    ['LDLLLL', /vocabulary groups \(character 2\) is "D"/],
    ['LLCLLL', /LSTM weights \(character 3\)/],
    ['LLLNLL', /gate groups \(character 4\)/],
    ['LLLLDL', /neuron groups \(character 5\)/],
    ['LLLLLC', /dense weights \(character 6\)/],
    ['llllll', /character 1/],
  ];
  for (const [config, why] of cases) {
    assert.throws(() => parseClassifierConfig(config), (e: Error) =>
      why.test(e.message) && e.message.includes('w+g+n (LLLLLL)'), config);
  }
  assert.throws(() => resolveClassifierSparsity('LLLLLC'), /dense weights/);
});
