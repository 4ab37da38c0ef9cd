// Moby Dick (package-shipped, src/data/moby_dick.ts) as a char-level LanguageModelCorpus, so a char LM runs with no
// data folder: train = all but the last 10 chapters; the held-out chapters are cut at the paragraph break nearest
// their middle into validation (first half) and test (second half). The vocabulary is every character of train;
// the few held-out characters outside it are dropped (counted in `droppedCharacters`).
import { loadMobyDick } from './moby_dick.js';
import { countTokens, encodeTokens, vocabularyFromCounts } from './token_vocabulary.js';
import type { LanguageModelCorpus } from './ptb_word.js';

export interface MobyDickCharCorpus extends LanguageModelCorpus {
  chapters: number;
  /** Validation and test characters not in the training vocabulary, left out. */
  droppedCharacters: number;
}

export function loadMobyDickChars(): MobyDickCharCorpus {
  const { train, valid: heldOut, chapters } = loadMobyDick(10);
  const middle = heldOut.indexOf('\n\n', Math.floor(heldOut.length / 2));
  const cut = middle < 0 ? Math.floor(heldOut.length / 2) : middle;
  const trainChars = [...train];
  const vocabulary = vocabularyFromCounts(countTokens(trainChars));
  let droppedCharacters = 0;
  const encode = (chars: string[]): Int32Array => encodeTokens(chars, vocabulary, () => { droppedCharacters++; return undefined; });
  return {
    vocabulary,
    train: encode(trainChars),
    valid: encode([...heldOut.slice(0, cut)]),
    test: encode([...heldOut.slice(cut)]),
    chapters,
    droppedCharacters,
  };
}
