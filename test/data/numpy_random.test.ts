import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NumpyRandomState } from '../../src/data/numpy_random.js';

// Reference values printed by numpy 2.4: r = np.random.RandomState(113); a = np.arange(n); r.shuffle(a) (one stream).
test('permutations match numpy RandomState(113).shuffle, drawn from one stream', () => {
  const small = new NumpyRandomState(113);
  assert.deepEqual([...small.permutation(10)], [9, 3, 6, 1, 0, 7, 4, 8, 2, 5]);
  assert.deepEqual([...small.permutation(7)], [5, 1, 0, 3, 6, 4, 2]);
  const big = new NumpyRandomState(113), train = big.permutation(25000), testOrder = big.permutation(25000);
  assert.deepEqual([...train.subarray(0, 5)], [7798, 13226, 18078, 793, 17499]);
  assert.deepEqual([...train.subarray(-3)], [22690, 4828, 14501]);
  assert.deepEqual([...testOrder.subarray(0, 5)], [22748, 4083, 8015, 13688, 5310]);
});

test('seed outside [0, 2^32) is rejected', () => {
  assert.throws(() => new NumpyRandomState(-1), /seed must be an integer/);
});
