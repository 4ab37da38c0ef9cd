import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitWords, textsToRanks } from '../../src/data/text_classification_vocabulary.js';

test('splitWords splits on \\W+, keeps case and underscores, drops empties', () => {
  assert.deepEqual(splitWords("I can't—go_on, café!<br />"), ['I', 'can', 't', 'go_on', 'café', 'br']);
  assert.deepEqual(splitWords('The END', true), ['the', 'end']);
});

test('vocabulary: document frequency > 1, by count, capped, </s> last; short documents dropped', () => {
  const train = { texts: ['a a a b c', 'a b d', 'b e', 'c', 'zz'], labels: Int32Array.from([0, 1, 0, 1, 1]) };
  const test = { texts: ['b q a', '!!!'], labels: Int32Array.from([1, 0]) };
  // counts: a 4 (df 2), b 3 (df 3), c 2 (df 2), d/e/zz df 1 -> dropped.
  const full = textsToRanks(train, test);
  assert.deepEqual(full.vocabulary.tokens, ['a', 'b', 'c', '</s>']);
  assert.deepEqual(full.train.sequences.map((s) => Array.from(s)), [[1, 1, 1, 2, 3, 4], [1, 2, 4], [2, 4], [3, 4]]);
  assert.deepEqual([...full.train.labels], [0, 1, 0, 1]); // 'zz' has only </s> left: dropped with its label
  assert.deepEqual(full.test.sequences.map((s) => Array.from(s)), [[2, 1, 4]]);
  assert.deepEqual([...full.test.labels], [1]);
  const capped = textsToRanks(train, test, { maxVocabulary: 2 });
  assert.deepEqual(capped.vocabulary.tokens, ['a', 'b', '</s>']);
});
