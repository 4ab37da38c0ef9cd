// IMDB sentiment (Maas et al. 2011) as the spec's §6.1 classification tensors, from raw aclImdb text or Keras token ids.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataFileError } from './data_file_error.js';
import { npzInt32, readNpz } from './npz.js';
import { requireDirectory } from './text_file.js';
import { prepareClassificationSplits, type ClassificationDataset, type ClassificationOptions, type LabelledSequences } from './classification_dataset.js';
import { textsToRanks } from './text_classification_vocabulary.js';

export const IMDB_KERAS_FILE = 'imdb_keras_flat.npz';

export interface ImdbDataset extends ClassificationDataset {
  layout: 'aclImdb' | 'keras-npz';
  /** Word of rank r is words[r - 1] (id r + indexFrom); only for the raw layout, whose vocabulary is built here. */
  words?: string[];
}

/**
 * `path` is an aclImdb directory (or its parent), a directory holding imdb_keras_flat.npz, or that .npz file.
 * The raw layout is tokenised and indexed as the spec says (case kept, \W+ split, </s> appended);
 * the npz layout holds Keras word-index ranks already. Both then go through prepareClassificationSplits.
 */
export function loadImdb(path: string, options: ClassificationOptions = {}): ImdbDataset {
  const layout = detectImdbLayout(path);
  if (layout.kind === 'keras-npz') {
    const { train, test } = readImdbKerasNpz(layout.path);
    return { ...prepareClassificationSplits(train, test, options), layout: 'keras-npz' };
  }
  const ranks = textsToRanks(readAclImdbSplit(layout.path, 'train'), readAclImdbSplit(layout.path, 'test'));
  return { ...prepareClassificationSplits(ranks.train, ranks.test, options), layout: 'aclImdb', words: ranks.vocabulary.tokens };
}

export function detectImdbLayout(path: string): { kind: 'aclImdb' | 'keras-npz'; path: string } {
  if (!existsSync(path)) throw new DataFileError(path, 'missing IMDB path (expected an aclImdb directory or imdb_keras_flat.npz)');
  if (statSync(path).isFile()) return { kind: 'keras-npz', path };
  for (const dir of [path, join(path, 'aclImdb')]) if (existsSync(join(dir, 'train', 'pos'))) return { kind: 'aclImdb', path: dir };
  if (existsSync(join(path, IMDB_KERAS_FILE))) return { kind: 'keras-npz', path: join(path, IMDB_KERAS_FILE) };
  throw new DataFileError(path, `unrecognised IMDB layout (expected train/{pos,neg}/*.txt and test/{pos,neg}/*.txt, an aclImdb/ folder with them, or ${IMDB_KERAS_FILE})`);
}

/** Reviews of one split, pos files then neg files, each in lexicographic filename order (Keras' order); label pos = 1. */
export function readAclImdbSplit(root: string, split: 'train' | 'test'): { texts: string[]; labels: Int32Array } {
  const texts: string[] = [], labels: number[] = [];
  for (const [polarity, label] of [['pos', 1], ['neg', 0]] as const) {
    const dir = join(root, split, polarity);
    requireDirectory(dir, `aclImdb layout ${split}/${polarity}/*.txt`);
    const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();
    if (files.length === 0) throw new DataFileError(dir, 'no *.txt reviews found');
    for (const f of files) {
      texts.push(readFileSync(join(dir, f), 'utf8'));
      labels.push(label);
    }
  }
  return { texts, labels: Int32Array.from(labels) };
}

/** The README's flat Keras layout: x_{split}_tokens (ranks), x_{split}_offsets (n + 1), y_{split} (0/1). */
export function readImdbKerasNpz(file: string): { train: LabelledSequences; test: LabelledSequences } {
  const arrays = readNpz(file);
  const split = (name: 'train' | 'test'): LabelledSequences => {
    const tokens = npzInt32(arrays, `x_${name}_tokens`, file), offsets = npzInt32(arrays, `x_${name}_offsets`, file), labels = npzInt32(arrays, `y_${name}`, file);
    if (offsets.length !== labels.length + 1 || offsets[0] !== 0 || offsets[offsets.length - 1] !== tokens.length)
      throw new DataFileError(file, `x_${name}_offsets must run from 0 to ${tokens.length} with one more entry than y_${name} (${labels.length})`);
    const sequences: Int32Array[] = [];
    for (let i = 0; i < labels.length; i++) {
      if (labels[i] !== 0 && labels[i] !== 1) throw new DataFileError(file, `y_${name}[${i}] = ${labels[i]}, expected 0 or 1`);
      if (offsets[i + 1] < offsets[i]) throw new DataFileError(file, `x_${name}_offsets decreases at ${i}`);
      sequences.push(tokens.subarray(offsets[i], offsets[i + 1]));
    }
    return { sequences, labels };
  };
  return { train: split('train'), test: split('test') };
}
