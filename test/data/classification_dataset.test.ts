import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prepareClassificationSplits } from '../../src/data/classification_dataset.js';

const rows = (split: { ids: Int32Array; count: number; maxLength: number }) =>
  Array.from({ length: split.count }, (_, r) => [...split.ids.subarray(r * split.maxLength, (r + 1) * split.maxLength)]);

test('start id, index offset, OOV cap, head cut, left pad and the numpy-113 split', () => {
  // Label i marks document i so each output row can be traced to its source.
  const train = { sequences: [[1, 2], [16, 17, 18], [5], [7, 8, 9, 10, 11]], labels: Int32Array.from([0, 1, 2, 3]) };
  const testSet = { sequences: [[4], [20, 1]], labels: Int32Array.from([0, 1]) };
  const d = prepareClassificationSplits(train, testSet, { numWords: 20, indexFrom: 3, maxLength: 4, validationFraction: 0.25 });
  assert.equal(d.vocabularySize, 23);
  // numpy: r = RandomState(113); shuffle(arange(4)) -> [3 2 0 1]; then shuffle(arange(2)) -> [1 0].
  assert.deepEqual([...d.train.labels], [3, 2, 0]);
  assert.deepEqual([...d.validation.labels], [1]);
  assert.deepEqual(rows(d.train), [[1, 10, 11, 12], [0, 0, 1, 8], [0, 1, 4, 5]]);
  assert.deepEqual([...d.train.lengths], [4, 2, 3]);
  assert.deepEqual(rows(d.validation), [[1, 19, 2, 2]]);
  assert.deepEqual(rows(d.test), [[0, 1, 2, 4], [0, 0, 1, 7]]);
});

test('label count mismatch and bad options are rejected', () => {
  assert.throws(() => prepareClassificationSplits({ sequences: [[1]], labels: new Int32Array(2) }, { sequences: [], labels: new Int32Array(0) }), /1 sequences but 2 labels/);
  assert.throws(() => prepareClassificationSplits({ sequences: [], labels: new Int32Array(0) }, { sequences: [], labels: new Int32Array(0) }, { validationFraction: 1 }), /validationFraction/);
});
