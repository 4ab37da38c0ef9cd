import { test } from 'node:test';
import assert from 'node:assert/strict';
import { padSequencesLeft } from '../../src/data/sequence_padding.js';

test('short sequences are left-padded with 0, long ones keep their head', () => {
  const p = padSequencesLeft([[5, 6], [1, 2, 3, 4, 5], []], 3);
  assert.deepEqual([...p.ids], [0, 5, 6, 1, 2, 3, 0, 0, 0]);
  assert.deepEqual([...p.lengths], [2, 3, 0]);
  assert.equal(p.count, 3);
  assert.equal(p.maxLength, 3);
});

test('non-positive maxLength is rejected', () => {
  assert.throws(() => padSequencesLeft([[1]], 0), /maxLength must be a positive integer/);
});
