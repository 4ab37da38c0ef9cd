import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCharVocabulary, decodeChars, encodeChars, sampleWindows, sequentialWindows } from '../../src/data/char_corpus.js';
import { loadMobyDick } from '../../src/data/moby_dick.js';

test('char vocabulary keeps the most frequent characters and maps the rest to id 0', () => {
  const v = buildCharVocabulary('aaabbc', 3);
  assert.deepEqual(v.chars, ['\u0000', 'a', 'b']);
  assert.deepEqual([...encodeChars('abcx', v)], [1, 2, 0, 0]);
  assert.equal(decodeChars([2, 1, 1], v), 'baa');
  assert.throws(() => buildCharVocabulary('abc', 1), /size must be >= 2/);
});

test('windows: targets are inputs shifted by one character', () => {
  const encoded = Int32Array.from({ length: 100 }, (_, i) => i);
  let s = 1;
  const { inputs, targets } = sampleWindows(encoded, 4, 10, () => (s = (s * 48271) % 2147483647) / 2147483647);
  const x = inputs.arraySync(), y = targets.arraySync();
  for (let b = 0; b < 4; b++) for (let t = 0; t < 10; t++) assert.equal(y[b][t], x[b][t] + 1);
  const batches = [...sequentialWindows(encoded, 3, 10)];
  assert.equal(batches.length, 3); // 9 full windows of 10 (+1 target) in 100 characters, 3 per batch
  assert.deepEqual(batches[1].inputs.arraySync()[0].slice(0, 3), [30, 31, 32]);
  assert.throws(() => sampleWindows(encoded.subarray(0, 5), 1, 10, Math.random), /shorter than one window/);
});

test('the built-in Moby Dick corpus loads from its npm package', () => {
  const c = loadMobyDick(10);
  assert.equal(c.chapters, 139);
  assert.ok(c.train.length > 1_000_000 && c.valid.length > 10_000);
  assert.match(c.train, /Call me Ishmael/);
});
