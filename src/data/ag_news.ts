// AG News (Zhang et al. 2015): the CharCNN ag_news_csv files, rows of "class index","title","description".
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { DataFileError } from './data_file_error.js';
import { readTextFile, requireDirectory } from './text_file.js';
import { prepareClassificationSplits, type ClassificationDataset, type ClassificationOptions } from './classification_dataset.js';
import { textsToRanks, type TextVocabularyOptions } from './text_classification_vocabulary.js';

export const AG_NEWS_CLASSES = ['World', 'Sports', 'Business', 'Sci/Tech'] as const;

export interface AgNewsRow {
  /** 0-based: the file's class index 1..4 minus 1. */
  label: number;
  title: string;
  description: string;
}

/** Parses `file` (or `file.xz`): RFC 4180 quoting, so commas, "" and line breaks inside fields are kept. */
export function readAgNewsCsv(file: string): AgNewsRow[] {
  const text = readTextFile(file);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { info: true, skip_empty_lines: true, relax_column_count: true }) as unknown as typeof records;
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new DataFileError(file, `unparseable CSV (${err.message})`, err.lines);
  }
  return records.map(({ record, info }, i) => {
    if (record.length !== 3) throw new DataFileError(file, `row ${i + 1} has ${record.length} fields, expected 3 (class index, title, description)`, info.lines);
    const cls = Number(record[0]);
    if (!/^\s*\d+\s*$/.test(record[0]) || cls < 1 || cls > AG_NEWS_CLASSES.length)
      throw new DataFileError(file, `row ${i + 1} has class index "${record[0]}", expected an integer 1..${AG_NEWS_CLASSES.length}`, info.lines);
    return { label: cls - 1, title: record[1], description: record[2] };
  });
}

export interface AgNewsOptions extends ClassificationOptions, TextVocabularyOptions {}

/**
 * train.csv and test.csv (or .csv.xz) of `dir` as the spec's tensors: text = title + " " + description,
 * lower-cased by default (the script's lower=True), first 100 ids, validation = last 5% of shuffled train.
 */
export function loadAgNews(dir: string, options: AgNewsOptions = {}): ClassificationDataset {
  requireDirectory(dir, 'an ag_news_csv directory with train.csv and test.csv');
  const split = (name: string) => {
    const rows = readAgNewsCsv(join(dir, name));
    return { texts: rows.map((r) => `${r.title} ${r.description}`), labels: Int32Array.from(rows, (r) => r.label) };
  };
  const ranks = textsToRanks(split('train.csv'), split('test.csv'), { lower: options.lower ?? true, maxVocabulary: options.maxVocabulary });
  return prepareClassificationSplits(ranks.train, ranks.test, { maxLength: 100, validationFraction: 0.05, ...options });
}
