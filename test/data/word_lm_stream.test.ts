import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wordBatchCount, wordColumnLength, wordStreamBatches } from '../../src/data/word_lm_stream.js';
import '../helpers.js';

test('the stream in parallel columns, BPTT windows in order, the last one shorter; each row continues its column', () => {
  const tokens = Int32Array.from({ length: 3 * 10 + 2 }, (_, i) => i); // 3 columns of 10, 2 tokens dropped
  assert.equal(wordColumnLength(tokens.length, 3), 10);
  assert.equal(wordBatchCount(tokens.length, 3, 4), 3); // 9 predictions per column: 4 + 4 + 1
  const batches = [...wordStreamBatches(tokens, 3, 4)];
  assert.deepEqual(batches.map((b) => b.inputs.shape), [[3, 4], [3, 4], [3, 1]]);
  const rows = (t: Int32Array | Float32Array | Uint8Array, L: number) => [0, 1, 2].map((c) => Array.from(t.slice(c * L, (c + 1) * L)));
  assert.deepEqual(rows(batches[0].inputs.dataSync() as Int32Array, 4), [[0, 1, 2, 3], [10, 11, 12, 13], [20, 21, 22, 23]]);
  assert.deepEqual(rows(batches[1].inputs.dataSync() as Int32Array, 4), [[4, 5, 6, 7], [14, 15, 16, 17], [24, 25, 26, 27]]);
  assert.deepEqual(rows(batches[2].inputs.dataSync() as Int32Array, 1), [[8], [18], [28]]);
  assert.deepEqual(rows(batches[2].targets.dataSync() as Int32Array, 1), [[9], [19], [29]]);
  batches.forEach((b) => b.dispose());
  // PTB: 929 589 train tokens in 32 columns of 29 049 -> ceil(29 048 / 35) = 830 windows
  assert.equal(wordBatchCount(929_589), 830);
});
