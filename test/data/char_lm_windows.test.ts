import { test } from 'node:test';
import assert from 'node:assert/strict';
import { charBatchCount, charEvalBatches, charTrainBatches, charWindowCount, charWindowStarts } from '../../src/data/char_lm_windows.js';
import { rng } from '../helpers.js';

const tokens = Int32Array.from({ length: 1057 }, (_, i) => i); // values = positions: windows are easy to locate

test('floor(len / 100) - 1 windows at offset + 100 k; PTB gives 50 173 windows and 784 batches of 64', () => {
  assert.equal(charWindowCount(1057), 9);
  assert.equal(charWindowCount(1000), 9);
  assert.equal(charWindowCount(199), 0);
  assert.deepEqual(Array.from(charWindowStarts(1057, 37)), [37, 137, 237, 337, 437, 537, 637, 737, 837]);
  assert.equal(charWindowCount(5_017_482), 50_173);
  assert.equal(charBatchCount(5_017_482, 64), 784);
  assert.throws(() => charWindowStarts(1057, 100), /offset must be an integer in \[0, 100\)/);
});

test('a training epoch: one random offset, every window once in shuffled order, targets shifted by one', () => {
  const starts: number[] = [];
  const batches = [...charTrainBatches(tokens, 4, rng(5))];
  assert.deepEqual(batches.map((b) => b.inputs.shape), [[4, 99], [4, 99], [1, 99]]);
  for (const b of batches) {
    const x = b.inputs.dataSync(), y = b.targets.dataSync();
    for (let r = 0; r < b.inputs.shape[0]; r++) {
      for (let t = 0; t < 99; t++) {
        assert.equal(x[r * 99 + t], x[r * 99] + t);
        assert.equal(y[r * 99 + t], x[r * 99 + t] + 1);
      }
      starts.push(x[r * 99]);
    }
    b.dispose();
  }
  const offset = Math.min(...starts);
  assert.ok(offset >= 0 && offset < 100);
  assert.deepEqual([...starts].sort((a, b) => a - b), Array.from(charWindowStarts(1057, offset)));
  assert.notDeepEqual(starts, [...starts].sort((a, b) => a - b), 'windows are shuffled');
  // another epoch's stream gives another offset or order
  const other = [...charTrainBatches(tokens, 9, rng(6))][0];
  assert.notDeepEqual(Array.from(other.inputs.dataSync()).filter((_, i) => i % 99 === 0), starts);
  other.dispose();
});

test('evaluation windows start at offset 0, in order', () => {
  const batches = [...charEvalBatches(tokens, 5)];
  const starts = batches.flatMap((b) => Array.from(b.inputs.dataSync()).filter((_, i) => i % 99 === 0));
  assert.deepEqual(starts, [0, 100, 200, 300, 400, 500, 600, 700, 800]);
  batches.forEach((b) => b.dispose());
});
