import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseBudgets, parseKs } from '../../src/cli/split.js';

test('split sweep list options: budgets with e-notation and k/M suffixes, positive integer ks', () => {
  assert.deepEqual(parseBudgets('25e3,1e5, 400k,1.6M'), [25000, 100000, 400000, 1600000]);
  assert.throws(() => parseBudgets('1e5,abc'), /--budgets: .*got "abc"/);
  assert.throws(() => parseBudgets('-5'), /--budgets/);
  assert.deepEqual(parseKs('1,2,4,8'), [1, 2, 4, 8]);
  assert.throws(() => parseKs('1,2.5'), /--ks: .*got "2.5"/);
});
