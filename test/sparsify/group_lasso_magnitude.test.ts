import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rng } from '../helpers.js';
import { presetConfig } from '../../src/sparsify/presets.js';
import { groupLassoLayout } from '../../src/sparsify/group_lasso_layout.js';
import { magnitudeMask, magnitudeMasks } from '../../src/sparsify/group_lasso_magnitude.js';

const zeros = (m: Uint8Array): number => m.reduce((n, v) => n + (v ? 0 : 1), 0);

test('magnitude masks prune exactly round(s * n) weights, the smallest |w| first', () => {
  const r = rng(9);
  // few distinct magnitudes, both signs: many ties
  const values = Float32Array.from({ length: 101 }, () => (r() < 0.5 ? -1 : 1) * Math.floor(r() * 7) / 2);
  for (const s of [0, 0.1, 0.25, 0.5, 0.733, 0.99, 1]) {
    const mask = magnitudeMask(values, s);
    assert.equal(zeros(mask), Math.round(s * values.length), `sparsity ${s}`);
    // every pruned magnitude <= every kept magnitude
    let maxPruned = -Infinity, minKept = Infinity;
    values.forEach((v, i) => {
      if (mask[i]) minKept = Math.min(minKept, Math.abs(v));
      else maxPruned = Math.max(maxPruned, Math.abs(v));
    });
    assert.ok(maxPruned <= minKept, `sparsity ${s}: pruned ${maxPruned} > kept ${minKept}`);
  }
});

test('ties are broken by position: the lower index is pruned first, whatever the sign', () => {
  assert.deepEqual(Array.from(magnitudeMask([0.5, -0.5, 2, 0.5, -0.5], 0.4)), [0, 0, 1, 1, 1]);
  assert.deepEqual(Array.from(magnitudeMask([0.5, -0.5, 2, 0.5, -0.5], 0.6)), [0, 0, 1, 0, 1]);
  assert.deepEqual(Array.from(magnitudeMask([3, 1, 2, 1], 0.25)), [1, 0, 1, 1]);
});

test('already-pruned weights stay pruned and go first; a lower target keeps the current mask', () => {
  const values = [5, 4, 3, 2, 1, 0.5];
  const current = [1, 0, 1, 1, 1, 1]; // the large 4 was pruned before (e.g. a dead group)
  assert.deepEqual(Array.from(magnitudeMask(values, 2 / 6, current)), [1, 0, 1, 1, 1, 0]);
  assert.deepEqual(Array.from(magnitudeMask(values, 0, current)), current);
  assert.throws(() => magnitudeMask(values, 1.5), /sparsity must be in \[0, 1\], got 1\.5/);
  assert.throws(() => magnitudeMask(values, 0.5, [1, 1]), /current mask has 2 entries, values 6/);
  assert.throws(() => magnitudeMask([1, NaN], 0.5), /value 1 is NaN/);
});

test('magnitudeMasks prunes only the tensors the preset makes sparse', () => {
  const shape = { vocabSize: 4, inputSize: 2, hiddenSize: 1, outputSize: 2, gates: 4 };
  const values = {
    embedding: [1, 2, 3, 4, 5, 6, 7, 8], inputWeights: [1, 2, 3, 4, 5, 6, 7, 8],
    hiddenWeights: [4, 3, 2, 1], outputWeights: [1, -2],
  };
  const sparse = magnitudeMasks(values, groupLassoLayout(shape, presetConfig('w+g+n')), 0.5);
  assert.deepEqual(Array.from(sparse.embedding ?? []), [0, 0, 0, 0, 1, 1, 1, 1]);
  assert.deepEqual(Array.from(sparse.hiddenWeights ?? []), [1, 1, 0, 0]);
  assert.deepEqual(Array.from(sparse.outputWeights ?? []), [0, 1]);
  const dense = magnitudeMasks(values, groupLassoLayout(shape, presetConfig('dense')), 0.5);
  assert.deepEqual(Object.keys(dense), []);
});
