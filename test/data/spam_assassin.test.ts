import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSpamGroup, loadSpamAssassin, messageText, readSpamAssassinMessages } from '../../src/data/spam_assassin.js';

test('the package corpus: 6046 messages, 1896 spam', () => {
  const messages = readSpamAssassinMessages();
  assert.equal(messages.length, 6046);
  assert.equal(messages.filter((m) => isSpamGroup(m.group)).length, 1896);
  assert.deepEqual([...new Set(messages.map((m) => m.group))].sort(), ['easy-ham-1', 'easy-ham-2', 'hard-ham-1', 'spam-1', 'spam-2']);
});

test('a fixed seeded split through the IMDB pipeline: counts, labels, vocabulary, ids and padding', () => {
  const d = loadSpamAssassin();
  // 1209 test messages (20%); of 4837 train ones one is too short to keep; 15% of the rest is validation.
  assert.deepEqual(d.messages, { train: 4837, test: 1209 });
  assert.deepEqual([d.train.count, d.validation.count, d.test.count], [4110, 725, 1208]);
  const spam = (l: Int32Array) => l.reduce((s, x) => s + x, 0);
  assert.deepEqual([spam(d.train.labels), spam(d.validation.labels), spam(d.test.labels)], [1291, 222, 380]);
  assert.equal(d.words.length, 5001);
  assert.equal(d.words[d.words.length - 1], '</s>');
  assert.equal(d.vocabularySize, 5008);
  assert.equal(d.train.maxLength, 200);
  for (const split of [d.train, d.validation, d.test]) {
    for (let r = 0; r < split.count; r++) {
      const L = split.lengths[r];
      assert.ok(L >= 2 && L <= 200);
      assert.equal(split.ids[r * 200 + 200 - L], 1, 'start id after the left padding');
    }
    assert.ok(split.ids.every((id) => id >= 0 && id < 5005));
  }
  const again = loadSpamAssassin();
  assert.deepEqual(again.test.ids, d.test.ids, 'the split is fixed');
});

test('message text: subject and body, headers, soft breaks and HTML tags dropped', () => {
  const raw = 'From: a@b\r\nSubject: Cheap   pills\r\nX-Spam: yes\r\n\r\n<p>Buy <b>now</b>=\r\n!</p> a=3Db';
  assert.equal(messageText(raw), 'Cheap   pills\n Buy  now !  a=b');
});
