// Word-level Penn Treebank (Mikolov's ptb.{train,valid,test}.txt): tokens per line plus <eos>, vocabulary from train.
import { join } from 'node:path';
import { DataFileError } from './data_file_error.js';
import { readTextFile, requireDirectory } from './text_file.js';
import { countTokens, encodeTokens, vocabularyFromCounts, type TokenVocabulary } from './token_vocabulary.js';

export const END_OF_SENTENCE = '<eos>';
const SPLITS = ['train', 'valid', 'test'] as const;

export interface LanguageModelCorpus {
  vocabulary: TokenVocabulary;
  train: Int32Array;
  valid: Int32Array;
  test: Int32Array;
}

/** Words of each line followed by <eos> (the Zaremba / torchtext reading). */
export function ptbWordTokens(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    for (const w of line.split(/\s+/)) if (w) out.push(w);
    out.push(END_OF_SENTENCE);
  }
  if (text.endsWith('\n')) out.pop();
  return out;
}

/** `dir` holds ptb.{train,valid,test}.txt (or .txt.xz); words missing from train are an error naming file and line. */
export function loadPtbWord(dir: string): LanguageModelCorpus {
  requireDirectory(dir, 'ptb.train.txt, ptb.valid.txt, ptb.test.txt');
  const tokens = SPLITS.map((s) => ({ file: join(dir, `ptb.${s}.txt`), tokens: [] as string[] }));
  for (const t of tokens) t.tokens = ptbWordTokens(readTextFile(t.file));
  const vocabulary = vocabularyFromCounts(countTokens(tokens[0].tokens));
  const [train, valid, test] = tokens.map(({ file, tokens: words }) => encodeTokens(words, vocabulary, (w, i) => {
    const line = words.slice(0, i).filter((x) => x === END_OF_SENTENCE).length + 1;
    throw new DataFileError(file, `word "${w}" is not in the vocabulary of ptb.train.txt (expected the preprocessed PTB, where rare words are <unk>)`, line);
  }));
  return { vocabulary, train, valid, test };
}
