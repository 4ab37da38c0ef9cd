import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkCompactEquivalence } from './compact_fixtures.js';

const TOLERANCE = 1e-5;

for (const cell of ['lstm', 'gru'] as const) {
  test(`${cell}, method l0: compact logits equal the full eval model for every preset, and keep what compression() counts`, () => {
    const t = checkCompactEquivalence(cell, 'l0', 51, TOLERANCE);
    assert.ok(t.constants > 5 && t.prunedHidden > 0 && t.prunedWords > 0 && t.prunedWeights > 0,
      `constant gates ${t.constants}, pruned neurons ${t.prunedHidden}, pruned words ${t.prunedWords}, pruned weights ${t.prunedWeights}`);
  });
}
