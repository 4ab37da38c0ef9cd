// Character-level Penn Treebank (Mikolov's ptb.char.*.txt): every symbol followed by one space, '_' between words.
import { join } from 'node:path';
import { DataFileError } from './data_file_error.js';
import { readTextFile, requireDirectory } from './text_file.js';
import { countTokens, encodeTokens, vocabularyFromCounts } from './token_vocabulary.js';
import type { LanguageModelCorpus } from './ptb_word.js';

/** text[::2] after checking that every odd position is the separator space; '\n' stays as the line-end symbol. */
export function ptbCharSymbols(text: string, file: string): string[] {
  const symbols: string[] = [];
  let line = 1;
  for (let i = 0; i < text.length; i += 2) {
    if (text[i + 1] !== ' ' && i + 1 < text.length) throw new DataFileError(file, `expected a space after every symbol (ptb.char layout), found "${text[i + 1]}" after "${text[i]}"`, line);
    if (text[i] === ' ') throw new DataFileError(file, 'found a space where a symbol was expected (ptb.char layout uses "_" between words)', line);
    symbols.push(text[i]);
    if (text[i] === '\n') line++;
  }
  return symbols;
}

/** `dir` holds ptb.char.{train,valid,test}.txt (or .txt.xz); the vocabulary (50 symbols for PTB) comes from train. */
export function loadPtbChar(dir: string): LanguageModelCorpus {
  requireDirectory(dir, 'ptb.char.train.txt, ptb.char.valid.txt, ptb.char.test.txt');
  const splits = (['train', 'valid', 'test'] as const).map((s) => {
    const file = join(dir, `ptb.char.${s}.txt`);
    return { file, symbols: ptbCharSymbols(readTextFile(file), file) };
  });
  const vocabulary = vocabularyFromCounts(countTokens(splits[0].symbols));
  const [train, valid, test] = splits.map(({ file, symbols }) => encodeTokens(symbols, vocabulary, (s, i) => {
    const line = symbols.slice(0, i).filter((x) => x === '\n').length + 1;
    throw new DataFileError(file, `symbol "${s}" does not occur in ptb.char.train.txt`, line);
  }));
  return { vocabulary, train, valid, test };
}
