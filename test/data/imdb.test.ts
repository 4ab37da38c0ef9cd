import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadImdb } from '../../src/data/imdb.js';
import { SHIPPED_TEXT_DIR, npyBytes, npzBytes, shippedSkip, writeTree } from './text_fixtures.js';

const REVIEWS = {
  'train/pos/0_9.txt': 'good good film',
  'train/pos/1_7.txt': 'good film<br />',
  'train/neg/0_1.txt': 'bad film',
  'train/neg/1_2.txt': 'bad bad, good',
  'test/pos/0_8.txt': 'good unseen film',
  'test/neg/0_3.txt': 'bad',
};
// By hand: counts good 4, film 3, bad 3 (film seen first), br has df 1 -> ranks good 1, film 2, bad 3, </s> 4.
const TRAIN_RANKS = [[1, 1, 2, 4], [1, 2, 4], [3, 2, 4], [3, 3, 1, 4]], TEST_RANKS = [[1, 2, 4], [3, 4]];

function kerasNpz(labels: { train: number[]; test: number[] } = { train: [1, 1, 0, 0], test: [1, 0] }): Buffer {
  const flat = (seqs: number[][]) => ({ tokens: seqs.flat(), offsets: seqs.reduce((o, s) => [...o, o[o.length - 1] + s.length], [0]) });
  const tr = flat(TRAIN_RANKS), te = flat(TEST_RANKS);
  return npzBytes({
    x_train_tokens: npyBytes(tr.tokens, '<i4'), x_train_offsets: npyBytes(tr.offsets, '<i8'), y_train: npyBytes(labels.train, '<i8'),
    x_test_tokens: npyBytes(te.tokens, '<i4'), x_test_offsets: npyBytes(te.offsets, '<i8'), y_test: npyBytes(labels.test, '<i8'),
  });
}

const options = { maxLength: 4, validationFraction: 0.25 };

test('raw aclImdb layout: spec vocabulary, start id + offset 3, head cut, left pad, split', () => {
  const root = writeTree(Object.fromEntries(Object.entries(REVIEWS).map(([k, v]) => [`aclImdb/${k}`, v])));
  const d = loadImdb(root, options); // the parent of aclImdb/ is accepted too
  assert.equal(d.layout, 'aclImdb');
  assert.deepEqual(d.words, ['good', 'film', 'bad', '</s>']);
  assert.equal(d.vocabularySize, 20003);
  assert.deepEqual([d.train.count, d.validation.count, d.test.count], [3, 1, 2]);
  const all = [...d.train.ids, ...d.validation.ids, ...d.test.ids];
  assert.ok(all.every((id) => id === 0 || (id >= 1 && id <= 7)));
  // Every row holds its start id right after the padding, and is cut to 4 ids.
  for (const split of [d.train, d.validation, d.test]) for (let r = 0; r < split.count; r++) {
    assert.equal(split.ids[r * 4 + 4 - split.lengths[r]], 1);
    assert.ok(split.lengths[r] <= 4);
  }
  assert.equal(loadImdb(join(root, 'aclImdb'), options).train.count, 3);
});

test('Keras token-id layout gives the same tensors as the raw layout with the same ranks', () => {
  const raw = loadImdb(writeTree(REVIEWS), options);
  const npzDir = writeTree({ 'imdb_keras_flat.npz': kerasNpz() });
  for (const path of [npzDir, join(npzDir, 'imdb_keras_flat.npz')]) {
    const keras = loadImdb(path, options);
    assert.equal(keras.layout, 'keras-npz');
    assert.deepEqual([keras.train, keras.validation, keras.test], [raw.train, raw.validation, raw.test]);
  }
});

test('bad IMDB inputs name the file and what was expected', () => {
  assert.throws(() => loadImdb('/nonexistent/imdb'), /\/nonexistent\/imdb: missing IMDB path/);
  assert.throws(() => loadImdb(writeTree({ 'x.txt': '' })), /unrecognised IMDB layout \(expected train\/\{pos,neg\}/);
  const noTest = writeTree({ 'train/pos/0_1.txt': 'a', 'train/neg/0_1.txt': 'b' });
  assert.throws(() => loadImdb(noTest), /test\/pos: missing directory \(expected aclImdb layout test\/pos\/\*\.txt\)/);
  const badLabel = writeTree({ 'imdb_keras_flat.npz': kerasNpz({ train: [1, 2, 0, 0], test: [1, 0] }) });
  assert.throws(() => loadImdb(badLabel), /imdb_keras_flat\.npz: y_train\[1\] = 2, expected 0 or 1/);
});

test('shipped IMDB token ids: 25 000 train (85/15 split) and 25 000 test, balanced labels', { skip: shippedSkip('imdb/imdb_keras_flat.npz') }, () => {
  const d = loadImdb(join(SHIPPED_TEXT_DIR, 'imdb'));
  assert.deepEqual([d.train.count, d.validation.count, d.test.count], [21250, 3750, 25000]);
  const positives = (l: Int32Array) => l.reduce((a, b) => a + b, 0);
  assert.equal(positives(d.train.labels) + positives(d.validation.labels), 12500);
  assert.equal(positives(d.test.labels), 12500);
  assert.equal(d.train.ids.length, 21250 * 200);
  assert.ok(d.train.ids.every((id) => id < 20000));
});
