import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deriveGruStructure } from '../../src/sparsify/gru_structure.js';

// V = 3 words, D = 2 inputs, H = 2 neurons (gates r0 r1 z0 z1 n0 n1), C = 1 output
const shape = { vocabSize: 3, inputSize: 2, hiddenSize: 2, outputSize: 1 };

test('GRU structure: the §3.3 rules over 3H gate columns', () => {
  const s = deriveGruStructure(shape, {
    embedding: [1, 1, 0, 0, 1, 0], // word 1 has no kept weight; column 1 only in word 0
    inputWeights: [1, 0, 0, 0, 1, 0, /* input 1: */ 0, 0, 0, 0, 0, 0],
    hiddenWeights: [0, 0, 0, 0, 0, 1, /* neuron 1: */ 0, 0, 0, 0, 0, 0],
    outputWeights: [0, 1], // neuron 1 is kept through its output weight only
  });
  assert.deepEqual(Array.from(s.words), [1, 0, 1]);
  assert.deepEqual(Array.from(s.inputs), [1, 0]); // input 1 has no W_x weight
  assert.deepEqual(Array.from(s.hidden), [1, 1]);
  assert.deepEqual(Array.from(s.gates), [1, 0, 0, 0, 1, 1]);
  assert.deepEqual(Array.from(s.weights.embedding!), [1, 0, 0, 0, 1, 0]);
});

test('GRU structure: group masks remove neurons and gates, and a removed neuron loses its gates', () => {
  const all = (n: number): number[] => new Array(n).fill(1);
  const s = deriveGruStructure(shape, { embedding: all(6), inputWeights: all(12), hiddenWeights: all(12), outputWeights: all(2) },
    { hidden: [1, 0], gates: [1, 1, 0, 1, 1, 1], inputs: [0, 1], vocabulary: [1, 0, 1] });
  assert.deepEqual(Array.from(s.hidden), [1, 0]);
  assert.deepEqual(Array.from(s.gates), [1, 0, 0, 0, 1, 0]);
  assert.deepEqual(Array.from(s.inputs), [0, 1]);
  assert.deepEqual(Array.from(s.words), [1, 0, 1]);
  assert.throws(() => deriveGruStructure(shape, { inputWeights: all(12), hiddenWeights: all(12), outputWeights: all(2) }), /vocabSize \(3\) must equal inputSize/);
  assert.throws(() => deriveGruStructure(shape, { embedding: all(6), inputWeights: all(16), hiddenWeights: all(12), outputWeights: all(2) }), /inputWeights has 16 elements, expected \[2, 6\]/);
});
