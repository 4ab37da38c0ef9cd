import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LANGUAGE_MODEL_PRESETS, languageModelConfigString, parseLanguageModelConfig, resolveLanguageModelSparsity } from '../../src/sparsify/lm_presets.js';

test('the five LM presets map to the spec §3.2 config strings and parse to the right parts', () => {
  assert.deepEqual(LANGUAGE_MODEL_PRESETS, { 'dense': 'DCCD', 'sparsevd': 'LCCL', 'sparsevd-voc': 'LCIL', 'w+n': 'LCRL', 'w+g+n': 'LLRL' });
  assert.deepEqual(resolveLanguageModelSparsity('dense'),
    { lstmWeights: 'dense', gateGroups: false, inputGroups: false, hiddenGroups: false, outputWeights: 'dense' });
  assert.deepEqual(resolveLanguageModelSparsity('sparsevd-voc'),
    { lstmWeights: 'sparsevd', gateGroups: false, inputGroups: true, hiddenGroups: false, outputWeights: 'sparsevd' });
  assert.deepEqual(resolveLanguageModelSparsity('w+g+n'),
    { lstmWeights: 'sparsevd', gateGroups: true, inputGroups: false, hiddenGroups: true, outputWeights: 'sparsevd' });
  for (const config of Object.values(LANGUAGE_MODEL_PRESETS)) {
    assert.equal(languageModelConfigString(parseLanguageModelConfig(config)), config);
    assert.deepEqual(resolveLanguageModelSparsity(config), parseLanguageModelConfig(config));
  }
});

test('bad LM configs and names fail with what was expected', () => {
  assert.throws(() => parseLanguageModelConfig('LCC'), /"LCC": has 3 characters; expected a 4-character LM config/);
  assert.throws(() => parseLanguageModelConfig('XCCL'), /LSTM weights \(character 1\) is "X", expected L or D/);
  assert.throws(() => parseLanguageModelConfig('LDCL'), /gate groups \(character 2\) is "D", expected L or C/);
  assert.throws(() => parseLanguageModelConfig('LCLL'), /neuron groups \(character 3\) is "L", expected C, I or R/);
  assert.throws(() => parseLanguageModelConfig('LCCC'), /dense weights \(character 4\) is "C", expected L or D/);
  assert.throws(() => resolveLanguageModelSparsity('sparse'), /neither a language-model sparsification preset.*sparsevd-voc \(LCIL\)/);
  assert.throws(() => resolveLanguageModelSparsity('LCLCCL'), /valid presets: dense \(DCCD\)/);
});
