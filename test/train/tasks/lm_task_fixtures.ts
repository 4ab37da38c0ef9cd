// Tiny corpora for the LM task tests: a predictable pattern with a little noise, so a few Adam steps can learn it.
import type { LanguageModelCorpus } from '../../../src/data/ptb_word.js';
import { vocabularyOf } from '../../../src/data/token_vocabulary.js';
import { rng } from '../../helpers.js';

export function tinyCorpus(tokens: string[], trainLength: number, evalLength: number, seed = 1): LanguageModelCorpus {
  const rand = rng(seed);
  const stream = (n: number) => Int32Array.from({ length: n }, (_, i) => (rand() < 0.1 ? Math.floor(rand() * tokens.length) : i % tokens.length));
  return { vocabulary: vocabularyOf(tokens), train: stream(trainLength), valid: stream(evalLength), test: stream(evalLength) };
}
