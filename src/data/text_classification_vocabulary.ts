// The spec's (§6.1) text-to-ranks step for IMDB / AG News: split on \W+, vocabulary from train, </s> per document.
import { countTokens, encodeTokens, vocabularyFromCounts, vocabularyOf, type TokenVocabulary } from './token_vocabulary.js';
import type { LabelledSequences } from './classification_dataset.js';

export const END_OF_DOCUMENT = '</s>';

export interface TextVocabularyOptions {
  /** Lower-case before splitting (the AG News script does; IMDB keeps case). Default false. */
  lower?: boolean;
  /** Default 100 000 (before </s> is appended). */
  maxVocabulary?: number;
}

/** Python's re.split(r'\W+') with empty tokens dropped; \w is Unicode letters, digits and '_'. */
export function splitWords(text: string, lower = false): string[] {
  return (lower ? text.toLowerCase() : text).split(/[^\p{L}\p{N}_]+/u).filter((w) => w.length > 0);
}

/**
 * Vocabulary: train words with document frequency > 1, by total count, capped, then </s>.
 * Documents become 1-based ranks (unknown words dropped) plus </s>; documents with fewer than 2 ids are dropped.
 */
export function textsToRanks(train: { texts: readonly string[]; labels: Int32Array }, test: { texts: readonly string[]; labels: Int32Array }, options: TextVocabularyOptions = {}): { train: LabelledSequences; test: LabelledSequences; vocabulary: TokenVocabulary } {
  const { lower = false, maxVocabulary = 100000 } = options;
  const trainTokens = train.texts.map((t) => splitWords(t, lower));
  const counts = new Map<string, number>(), documentFrequency = new Map<string, number>();
  for (const doc of trainTokens) {
    countTokens(doc, counts);
    countTokens(new Set(doc), documentFrequency);
  }
  const kept = vocabularyFromCounts(counts, maxVocabulary, (w) => (documentFrequency.get(w) ?? 0) > 1 && w !== END_OF_DOCUMENT);
  const vocabulary = vocabularyOf([...kept.tokens, END_OF_DOCUMENT]);
  const endRank = vocabulary.tokens.length;
  const build = (docs: string[][], labels: Int32Array): LabelledSequences => {
    const sequences: Int32Array[] = [], kept: number[] = [];
    docs.forEach((tokens, i) => {
      const ids = encodeTokens(tokens, vocabulary, () => undefined);
      if (ids.length + 1 < 2) return;
      const ranks = new Int32Array(ids.length + 1);
      for (let k = 0; k < ids.length; k++) ranks[k] = ids[k] + 1;
      ranks[ids.length] = endRank;
      sequences.push(ranks);
      kept.push(labels[i]);
    });
    return { sequences, labels: Int32Array.from(kept) };
  };
  return { train: build(trainTokens, train.labels), test: build(test.texts.map((t) => splitWords(t, lower)), test.labels), vocabulary };
}
