import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AG_NEWS_CLASSES, loadAgNews, readAgNewsCsv } from '../../src/data/ag_news.js';
import { SHIPPED_TEXT_DIR, shippedSkip, writeTree } from './text_fixtures.js';

test('quoted fields keep commas, doubled quotes and line breaks; labels become 0-based', () => {
  const dir = writeTree({ 'test.csv': '"3","Oil, gas","He said ""up""\nthen down"\n"1","Plain","x"\n' });
  assert.deepEqual(readAgNewsCsv(join(dir, 'test.csv')), [
    { label: 2, title: 'Oil, gas', description: 'He said "up"\nthen down' },
    { label: 0, title: 'Plain', description: 'x' },
  ]);
});

test('bad rows are reported with file, line and what was expected', () => {
  const dir = writeTree({
    'range.csv': '"1","a","b"\n"5","c","d"\n',
    'fields.csv': '"1","a","b"\n"2","only two"\n',
    'quote.csv': '"1","a"x,"b"\n',
  });
  assert.throws(() => readAgNewsCsv(join(dir, 'range.csv')), /range\.csv:2: row 2 has class index "5", expected an integer 1\.\.4/);
  assert.throws(() => readAgNewsCsv(join(dir, 'fields.csv')), /fields\.csv:2: row 2 has 2 fields, expected 3/);
  assert.throws(() => readAgNewsCsv(join(dir, 'quote.csv')), /quote\.csv:1: unparseable CSV \(Invalid Closing Quote/);
  assert.throws(() => readAgNewsCsv(join(dir, 'none.csv')), /none\.csv: missing file \(expected .*none\.csv or .*none\.csv\.xz\)/);
  assert.throws(() => loadAgNews(join(dir, 'nodir')), /nodir: missing directory/);
});

test('loadAgNews: lower-cased title + description, cut to 100 ids, 5% validation', () => {
  const row = (label: number, text: string) => `"${label}","${text}","${text} more"\n`;
  const long = Array.from({ length: 150 }, () => 'Word').join(' ');
  const train = Array.from({ length: 20 }, (_, i) => row((i % 4) + 1, i === 0 ? long : `word w${i % 3}`)).join('');
  const d = loadAgNews(writeTree({ 'train.csv': train, 'test.csv': row(4, 'WORD W1') }));
  assert.deepEqual([d.train.count, d.validation.count, d.test.count], [19, 1, 1]);
  assert.equal(d.train.maxLength, 100);
  assert.equal(Math.max(...d.train.lengths, ...d.validation.lengths), 100);
  assert.deepEqual([...d.test.labels], [3]);
  // Train ranks by hand: word 1, more 2 (20x), w1 3 (14x), w2 4, w0 5 (12x each), </s> 6; ids are ranks + 3.
  assert.deepEqual([...d.test.ids.subarray(100 - 7)], [1, 4, 6, 4, 6, 5, 9]);
});

test('shipped AG News test split: 7 600 rows, 1 900 per class, classes.txt order', { skip: shippedSkip('ag_news/test.csv.xz') }, () => {
  const rows = readAgNewsCsv(join(SHIPPED_TEXT_DIR, 'ag_news', 'test.csv'));
  assert.equal(rows.length, 7600);
  assert.deepEqual([0, 1, 2, 3].map((c) => rows.filter((r) => r.label === c).length), [1900, 1900, 1900, 1900]);
  assert.deepEqual(readFileSync(join(SHIPPED_TEXT_DIR, 'ag_news', 'classes.txt'), 'utf8').trim().split('\n'), [...AG_NEWS_CLASSES]);
});
