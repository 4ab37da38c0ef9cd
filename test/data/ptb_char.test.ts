import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadPtbChar } from '../../src/data/ptb_char.js';
import { SHIPPED_TEXT_DIR, shippedSkip, writeTree } from './text_fixtures.js';

/** The ptb.char layout: words joined by '_', one line per sentence, every character followed by a space. */
const charFile = (lines: string[]) => [...`${lines.join('\n')}\n`].map((c) => `${c} `).join('');

test('every other character is a symbol; _ and \\n are symbols; vocabulary from train', () => {
  const dir = writeTree({ 'ptb.char.train.txt': charFile(['ab_c', 'a']), 'ptb.char.valid.txt': charFile(['c_a']), 'ptb.char.test.txt': charFile(['b']) });
  const c = loadPtbChar(dir);
  // counts a 2, \n 2, b 1, _ 1, c 1; ties keep first-seen order.
  assert.deepEqual(c.vocabulary.tokens, ['a', '\n', 'b', '_', 'c']);
  assert.deepEqual([...c.train], [0, 2, 3, 4, 1, 0, 1]);
  assert.deepEqual([...c.valid], [4, 3, 0, 1]);
  assert.deepEqual([...c.test], [2, 1]);
});

test('wrong layout and unknown symbols are reported with file and line', () => {
  const good = charFile(['a_b']);
  const unspaced = writeTree({ 'ptb.char.train.txt': `${good}ab\n`, 'ptb.char.valid.txt': good, 'ptb.char.test.txt': good });
  assert.throws(() => loadPtbChar(unspaced), /ptb\.char\.train\.txt:2: expected a space after every symbol \(ptb\.char layout\), found "b" after "a"/);
  const unknown = writeTree({ 'ptb.char.train.txt': good, 'ptb.char.valid.txt': charFile(['a', 'q']), 'ptb.char.test.txt': good });
  assert.throws(() => loadPtbChar(unknown), /ptb\.char\.valid\.txt:2: symbol "q" does not occur in ptb\.char\.train\.txt/);
});

test('shipped PTB char: 50 symbols; 5 017 482 / 393 042 / 442 423 characters', { skip: shippedSkip('ptb_char/ptb.char.train.txt.xz') }, () => {
  const c = loadPtbChar(join(SHIPPED_TEXT_DIR, 'ptb_char'));
  assert.equal(c.vocabulary.tokens.length, 50);
  assert.deepEqual([c.train.length, c.valid.length, c.test.length], [5017482, 393042, 442423]);
});
