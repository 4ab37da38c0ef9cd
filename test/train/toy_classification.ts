// A tiny separable classification dataset for trainer, task and CLI tests: class 0 documents use words 3-6,
// class 1 words 7-10, left-padded to 6 ids.
import type { ClassificationDataset, LabelledSplit } from '../../src/data/classification_dataset.js';
import { padSequencesLeft } from '../../src/data/sequence_padding.js';
import { rng } from '../helpers.js';

export const TOY_VOCAB = 12, TOY_LENGTH = 6;

function split(count: number, seed: number): LabelledSplit {
  const random = rng(seed);
  const sequences: Int32Array[] = [], labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    labels[i] = i % 2;
    const len = 2 + Math.floor(random() * (TOY_LENGTH - 1));
    sequences.push(Int32Array.from({ length: len }, (_, t) => (t === 0 ? 1 : 3 + 4 * labels[i] + Math.floor(random() * 4))));
  }
  return { ...padSequencesLeft(sequences, TOY_LENGTH), labels };
}

export function toyDataset(train = 48, validation = 16, test = 16): ClassificationDataset {
  return { train: split(train, 1), validation: split(validation, 2), test: split(test, 3), vocabularySize: TOY_VOCAB };
}

export const TOY_WORDS = ['a0', 'a1', 'a2', 'a3', 'b0', 'b1', 'b2', 'b3', 'x'];
