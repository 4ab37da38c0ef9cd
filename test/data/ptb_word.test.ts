import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { loadPtbWord } from '../../src/data/ptb_word.js';
import { SHIPPED_TEXT_DIR, shippedSkip, writeTree } from './text_fixtures.js';

const hasXz = (() => { try { execFileSync('xz', ['--version']); return true; } catch { return false; } })();

test('words per line plus <eos>; vocabulary from train by count; .txt.xz read transparently', { skip: hasXz ? false : 'xz tool not installed' }, () => {
  const dir = writeTree({ 'ptb.train.txt': ' a b c \n b c \n', 'ptb.valid.txt': ' c a \n' });
  execFileSync('xz', ['-z', '-k', join(dir, 'ptb.valid.txt')]);
  execFileSync('sh', ['-c', `printf ' b \\n' | xz > '${join(dir, 'ptb.test.txt.xz')}'`]);
  const c = loadPtbWord(dir);
  // counts b 2, c 2, <eos> 2, a 1; ties keep first-seen order.
  assert.deepEqual(c.vocabulary.tokens, ['b', 'c', '<eos>', 'a']);
  assert.deepEqual([...c.train], [3, 0, 1, 2, 0, 1, 2]);
  assert.deepEqual([...c.valid], [1, 3, 2]);
  assert.deepEqual([...c.test], [0, 2]);
});

test('a word missing from train and a missing split are reported with file and line', () => {
  const dir = writeTree({ 'ptb.train.txt': ' a \n', 'ptb.valid.txt': ' a \n a z \n', 'ptb.test.txt': ' a \n' });
  assert.throws(() => loadPtbWord(dir), /ptb\.valid\.txt:2: word "z" is not in the vocabulary of ptb\.train\.txt/);
  assert.throws(() => loadPtbWord(writeTree({ 'ptb.train.txt': ' a \n' })), /ptb\.valid\.txt: missing file/);
  assert.throws(() => loadPtbWord('/nonexistent/ptb'), /\/nonexistent\/ptb: missing directory \(expected ptb\.train\.txt/);
});

test('shipped PTB word: 10 000 words; 929 589 / 73 760 / 82 430 tokens with <eos>', { skip: shippedSkip('ptb_word/ptb.train.txt.xz') }, () => {
  const c = loadPtbWord(join(SHIPPED_TEXT_DIR, 'ptb_word'));
  assert.equal(c.vocabulary.tokens.length, 10000);
  assert.deepEqual([c.train.length, c.valid.length, c.test.length], [929589, 73760, 82430]);
});
