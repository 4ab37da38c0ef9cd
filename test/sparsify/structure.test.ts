import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../helpers.js';
import {
  deriveLstmStructure, propagateLstmMasks,
  type LstmGroupMasks, type LstmShape, type LstmWeightMasks,
} from '../../src/sparsify/structure.js';
import { countNonzero } from '../../src/sparsify/compression.js';
import { handBuiltClassifier, handBuiltLanguageModel, keptEntries, maskWith } from './hand_built_models.js';

const bits = (xs: number[]): Uint8Array => Uint8Array.from(xs);

test('classifier: kept words, inputs, hidden neurons and gates follow every §3.3 rule', () => {
  const { shape, weights, groups } = handBuiltClassifier();
  const s = deriveLstmStructure(shape, weights, groups);
  // words = z_voc = [1, 1, 0, 1]: word 1 is kept only through z_voc (empty row), word 2 is dropped despite weights.
  assert.deepEqual(s.words, bits([1, 1, 0, 1]));
  // inputs: every W_x row and every E column has a kept weight; z_x = [1, 0, 1] drops input 1.
  assert.deepEqual(s.inputs, bits([1, 0, 1]));
  // hidden: W_h rows [1, 1, 0] OR W_out rows [1, 1, 1] = [1, 1, 1], AND z_h [1, 0, 1]. Neuron 2 has no incoming
  // weight at all but stays through its output row.
  assert.deepEqual(s.hidden, bits([1, 0, 1]));
  // gates: columns with a kept weight {0, 1, 3, 6, 10} (W_x) | {0, 3, 7, 9} (W_h); z_gate drops 9 (o0);
  // neuron 1 drops its columns 1, 7, 10. Left: i0, f0, g0.
  const gates = new Uint8Array(12);
  for (const c of [0, 3, 6]) gates[c] = 1;
  assert.deepEqual(s.gates, gates);
});

test('classifier: propagation zeroes removed rows and columns and nothing else', () => {
  const { shape, weights, groups } = handBuiltClassifier();
  const s = deriveLstmStructure(shape, weights, groups);
  // E: row 2 (word 2) and column 1 (input 1) go; (0, 1) and (3, 1) were in column 1.
  assert.deepEqual(keptEntries(s.weights.embedding!, 3), [[0, 0], [3, 2]]);
  // W_x: row 1 (input 1) goes with (1, 3); columns 1 and 10 belong to removed neuron 1. Input 2 keeps an empty row.
  assert.deepEqual(keptEntries(s.weights.inputWeights, 12), [[0, 0], [0, 6]]);
  // W_h: row 1 (neuron 1) goes. (0, 9) feeds the z_gate-removed o0 and stays, as §3.3 (and the repo) count it.
  assert.deepEqual(keptEntries(s.weights.hiddenWeights, 12), [[0, 3], [0, 9]]);
  // W_out: row 1 goes.
  assert.deepEqual(keptEntries(s.weights.outputWeights, 2), [[0, 0], [2, 1]]);
  // One pass, as the repo: re-deriving from these masks would now also drop input 2, whose W_x row is empty.
  assert.deepEqual(deriveLstmStructure(shape, s.weights, groups).inputs, bits([1, 0, 0]));
  // The raw masks are untouched.
  assert.equal(countNonzero(weights.embedding!), 5);
  assert.equal(countNonzero(weights.inputWeights), 5);
});

test('classifier without z_voc keeps the words whose embedding row has a kept weight', () => {
  const shape: LstmShape = { vocabSize: 3, inputSize: 1, hiddenSize: 1, outputSize: 1 };
  const s = deriveLstmStructure(shape, {
    embedding: [1, 0, 1],
    inputWeights: [1, 1, 1, 1],
    hiddenWeights: [0, 0, 0, 0],
    outputWeights: [1],
  });
  assert.deepEqual(s.words, bits([1, 0, 1]));
  assert.deepEqual(s.inputs, bits([1]));
  assert.deepEqual(s.gates, bits([1, 1, 1, 1]));
});

test('an embedding column without kept weights removes its input neuron and W_x row', () => {
  const shape: LstmShape = { vocabSize: 2, inputSize: 2, hiddenSize: 1, outputSize: 1 };
  const s = deriveLstmStructure(shape, {
    embedding: maskWith(2, 2, [[0, 0], [1, 0]]),
    inputWeights: [1, 0, 0, 0, /* input 1 */ 0, 1, 0, 0],
    hiddenWeights: [0, 0, 0, 0],
    outputWeights: [1],
  });
  assert.deepEqual(s.inputs, bits([1, 0]));
  assert.deepEqual(keptEntries(s.weights.inputWeights, 4), [[0, 0]]);
  // Gate f was kept by input 1's raw weight: §3.3 reads the raw masks once.
  assert.deepEqual(s.gates, bits([1, 1, 0, 0]));
});

test('one-hot LM: words are the kept inputs (z_x is the vocabulary variable)', () => {
  const { shape, weights, groups } = handBuiltLanguageModel();
  const s = deriveLstmStructure(shape, weights, groups);
  // inputs: W_x rows [1, 0, 1] AND z_x [1, 1, 0]: word 1 has no weight, word 2 is dropped by z_x.
  assert.deepEqual(s.inputs, bits([1, 0, 0]));
  assert.deepEqual(s.words, bits([1, 0, 0]));
  // neuron 0 has no recurrent weight and is kept by W_out; gates i and f had input weights.
  assert.deepEqual(s.hidden, bits([1]));
  assert.deepEqual(s.gates, bits([1, 1, 0, 0]));
  assert.deepEqual(keptEntries(s.weights.inputWeights, 4), [[0, 0]]);
  assert.equal(s.weights.embedding, undefined);
});

test('a hidden neuron without outgoing weights is removed even with incoming ones, and takes its gates', () => {
  const shape: LstmShape = { vocabSize: 1, inputSize: 1, hiddenSize: 2, outputSize: 1 };
  // Neuron 1 receives input weights in all 4 gates but has no W_h row weight and no output weight.
  const s = deriveLstmStructure(shape, {
    embedding: [1],
    inputWeights: [1, 1, 1, 1, 1, 1, 1, 1],
    hiddenWeights: maskWith(2, 8, [[0, 0]]),
    outputWeights: [1, 0],
  });
  assert.deepEqual(s.hidden, bits([1, 0]));
  assert.deepEqual(s.gates, bits([1, 0, 1, 0, 1, 0, 1, 0]));
  assert.deepEqual(keptEntries(s.weights.inputWeights, 8), [[0, 0], [0, 2], [0, 4], [0, 6]]);
});

test('shape errors name the tensor and the expected size', () => {
  const shape: LstmShape = { vocabSize: 2, inputSize: 2, hiddenSize: 1, outputSize: 1 };
  const ok = { inputWeights: new Uint8Array(8), hiddenWeights: new Uint8Array(4), outputWeights: new Uint8Array(1) };
  assert.throws(() => deriveLstmStructure(shape, { ...ok, hiddenWeights: new Uint8Array(3) }), /hiddenWeights has 3 elements, expected \[1, 4\] = 4/);
  assert.throws(() => deriveLstmStructure(shape, ok, { gates: [1] }), /groups\.gates has 1 elements/);
  assert.throws(() => deriveLstmStructure(shape, ok, { vocabulary: [1, 1] }), /vocabulary group needs an embedding/);
  assert.throws(() => deriveLstmStructure({ ...shape, vocabSize: 3 }, ok), /vocabSize \(3\) must equal inputSize \(2\)/);
  assert.throws(() => deriveLstmStructure({ ...shape, hiddenSize: 0 }, ok), /hiddenSize must be a positive integer/);
});

function randomMask(n: number, density: number, rand: () => number): Uint8Array {
  return Uint8Array.from({ length: n }, () => (rand() < density ? 1 : 0));
}

function isSubset(inner: ArrayLike<number>, outer: ArrayLike<number>): boolean {
  for (let i = 0; i < inner.length; i++) if (inner[i] && !outer[i]) return false;
  return true;
}

function randomModel(rand: () => number): { shape: LstmShape; weights: LstmWeightMasks<Uint8Array>; groups: LstmGroupMasks } {
  const size = (): number => 1 + Math.floor(rand() * 5);
  const oneHot = rand() < 0.3;
  const D = size(), H = size(), C = size();
  const V = oneHot ? D : size();
  const density = 0.05 + 0.5 * rand();
  const maybe = (n: number): Uint8Array | undefined => (rand() < 0.5 ? randomMask(n, 0.7, rand) : undefined);
  return {
    shape: { vocabSize: V, inputSize: D, hiddenSize: H, outputSize: C },
    weights: {
      embedding: oneHot ? undefined : randomMask(V * D, density, rand),
      inputWeights: randomMask(D * 4 * H, density, rand),
      hiddenWeights: randomMask(H * 4 * H, density, rand),
      outputWeights: randomMask(H * C, density, rand),
    },
    groups: { vocabulary: oneHot ? undefined : maybe(V), inputs: maybe(D), hidden: maybe(H), gates: maybe(4 * H) },
  };
}

const TENSORS = ['embedding', 'inputWeights', 'hiddenWeights', 'outputWeights'] as const;

test('random masks: propagation is idempotent, only removes weights, and re-deriving only shrinks', () => {
  const rand = rng(20261129);
  for (let trial = 0; trial < 300; trial++) {
    const { shape, weights, groups } = randomModel(rand);
    const s = deriveLstmStructure(shape, weights, groups);
    assert.deepEqual(propagateLstmMasks(shape, s.weights, s), s.weights, `trial ${trial}: propagating twice`);
    for (const name of TENSORS) {
      const raw = weights[name], propagated = s.weights[name];
      assert.equal(propagated === undefined, raw === undefined, name);
      if (raw && propagated) assert.ok(isSubset(propagated, raw), `trial ${trial}: ${name} keeps a pruned weight`);
    }
    // §3.3 is one pass over the raw masks, so re-deriving from its output can remove more, never restore anything.
    const again = deriveLstmStructure(shape, s.weights, groups);
    for (const set of ['words', 'inputs', 'hidden', 'gates'] as const) {
      assert.ok(isSubset(again[set], s[set]), `trial ${trial}: re-derived ${set} grew`);
    }
    for (const name of TENSORS) {
      const once = s.weights[name], twice = again.weights[name];
      if (once && twice) assert.ok(isSubset(twice, once), `trial ${trial}: re-derived ${name} grew`);
    }
    // Gates of removed neurons are always removed.
    for (let c = 0; c < 4 * shape.hiddenSize; c++) {
      if (!s.hidden[c % shape.hiddenSize]) assert.equal(s.gates[c], 0);
    }
  }
});
