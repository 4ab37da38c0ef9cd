import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compressionRatio, compressionReport, countNonzero, sparsityPercent } from '../../src/sparsify/compression.js';
import { deriveLstmStructure, type LstmShape, type LstmWeightMasks } from '../../src/sparsify/structure.js';
import { handBuiltClassifier, handBuiltLanguageModel } from './hand_built_models.js';

test('hand-built classifier: compression over the propagated masks', () => {
  const { shape, weights, groups } = handBuiltClassifier();
  const r = compressionReport(deriveLstmStructure(shape, weights, groups));
  // Prunable: E 4*3 = 12, W_x 3*12 = 36, W_h 3*12 = 36, W_out 3*2 = 6 -> 90.
  // Nonzero after propagation (see structure.test.ts): E 2, W_x 2, W_h 2, W_out 2 -> 8 (raw masks had 18).
  assert.deepEqual(r.perTensor, {
    embedding: { kept: 2, total: 12 },
    inputWeights: { kept: 2, total: 36 },
    hiddenWeights: { kept: 2, total: 36 },
    outputWeights: { kept: 2, total: 6 },
  });
  assert.equal(r.prunableWeights, 90);
  assert.equal(r.nonzeroWeights, 8);
  assert.equal(r.compressionRatio, 90 / 8);
  assert.ok(Math.abs(r.sparsityPercent - 100 * (1 - 8 / 90)) < 1e-12);
  assert.ok(Math.abs(r.sparsityPercent - 100 * (1 - 1 / r.compressionRatio)) < 1e-12);
  assert.deepEqual(r.keptWords, { kept: 3, total: 4 });
  assert.deepEqual(r.keptInputs, { kept: 2, total: 3 });
  assert.deepEqual(r.keptHidden, { kept: 2, total: 3 });
  // Kept gates i0, f0, g0.
  assert.deepEqual(r.keptGates, { kept: 3, total: 12, byGate: { i: 1, f: 1, g: 1, o: 0 } });
  // Constant (removed gate, kept neuron): o0 (z_gate) and all four gates of neuron 2 (no incoming weights).
  // Neuron 1's gates are not constant: the neuron itself is gone.
  assert.deepEqual(r.constantGates, { kept: 5, total: 12, byGate: { i: 1, f: 1, g: 1, o: 2 } });
});

test('hand-built one-hot LM: no embedding term, words out of V', () => {
  const { shape, weights, groups } = handBuiltLanguageModel();
  const r = compressionReport(deriveLstmStructure(shape, weights, groups));
  // Prunable: W_x 3*4 = 12, W_h 1*4 = 4, W_out 1*3 = 3 -> 19. Nonzero: W_x 1 (row 2 dropped), W_h 0, W_out 2 -> 3.
  assert.equal(r.perTensor.embedding, undefined);
  assert.equal(r.prunableWeights, 19);
  assert.equal(r.nonzeroWeights, 3);
  assert.equal(r.compressionRatio, 19 / 3);
  assert.deepEqual(r.keptWords, { kept: 1, total: 3 });
  assert.deepEqual(r.keptGates.byGate, { i: 1, f: 1, g: 0, o: 0 });
  assert.deepEqual(r.constantGates.byGate, { i: 0, f: 0, g: 1, o: 1 });
});

const SHAPE: LstmShape = { vocabSize: 5, inputSize: 3, hiddenSize: 2, outputSize: 4 };

function filledModel(value: 0 | 1): LstmWeightMasks {
  const { vocabSize: V, inputSize: D, hiddenSize: H, outputSize: C } = SHAPE;
  return {
    embedding: new Uint8Array(V * D).fill(value),
    inputWeights: new Uint8Array(D * 4 * H).fill(value),
    hiddenWeights: new Uint8Array(H * 4 * H).fill(value),
    outputWeights: new Uint8Array(H * C).fill(value),
  };
}

test('an all-kept model has compression 1 and sparsity 0', () => {
  const r = compressionReport(deriveLstmStructure(SHAPE, filledModel(1), { vocabulary: [1, 1, 1, 1, 1], gates: new Uint8Array(8).fill(1) }));
  assert.equal(r.compressionRatio, 1);
  assert.equal(r.sparsityPercent, 0);
  assert.equal(r.prunableWeights, 15 + 24 + 16 + 8);
  assert.deepEqual(r.keptWords, { kept: 5, total: 5 });
  assert.deepEqual(r.keptInputs, { kept: 3, total: 3 });
  assert.deepEqual(r.keptHidden, { kept: 2, total: 2 });
  assert.deepEqual(r.keptGates, { kept: 8, total: 8, byGate: { i: 2, f: 2, g: 2, o: 2 } });
  assert.equal(r.constantGates.kept, 0);
});

test('an all-pruned model reports compression Infinity and sparsity 100, not an error', () => {
  const r = compressionReport(deriveLstmStructure(SHAPE, filledModel(0)));
  assert.equal(r.nonzeroWeights, 0);
  assert.equal(r.compressionRatio, Infinity);
  assert.equal(r.sparsityPercent, 100);
  assert.deepEqual([r.keptWords.kept, r.keptInputs.kept, r.keptHidden.kept, r.keptGates.kept], [0, 0, 0, 0]);
  // With every neuron gone, no gate is constant.
  assert.equal(r.constantGates.kept, 0);
});

test('compressionRatio and sparsityPercent on counts, and their errors', () => {
  assert.equal(compressionRatio(1000, 40), 25);
  assert.equal(sparsityPercent(1000, 40), 96);
  assert.equal(compressionRatio(7, 0), Infinity);
  assert.throws(() => compressionRatio(0, 0), /prunable > 0/);
  assert.throws(() => sparsityPercent(10, 11), /nonzero \(11\) <= prunable \(10\)/);
  assert.equal(countNonzero([true, false, 0.5, 0, -1]), 3);
});
