// The spec's (§6.1) id-sequence pipeline for text classification: shuffle, start id, index offset, OOV cap, cut and left-pad, split.
import { NumpyRandomState } from './numpy_random.js';
import { padSequencesLeft, type PaddedSequences } from './sequence_padding.js';

export interface LabelledSequences {
  /** Word ranks, 1 = most frequent (the Keras word-index convention). */
  sequences: readonly ArrayLike<number>[];
  labels: Int32Array;
}

export interface LabelledSplit extends PaddedSequences { labels: Int32Array }

export interface ClassificationDataset {
  train: LabelledSplit;
  validation: LabelledSplit;
  test: LabelledSplit;
  /** numWords + indexFrom embedding slots (20 003 for the spec); ids numWords.. are never used. */
  vocabularySize: number;
}

export interface ClassificationOptions {
  /** Ids (after the offset) at or above this become oovId. Default 20 000. */
  numWords?: number;
  /** Added to every word rank; ids below it are reserved (0 pad, 1 start, 2 OOV). Default 3. */
  indexFrom?: number;
  /** Keep the first maxLength ids (start id included), left-pad to it. Default 200. */
  maxLength?: number;
  /** The last fraction of the shuffled train set becomes validation. Default 0.15. */
  validationFraction?: number;
  /** numpy seed of the shuffle (train permutation drawn first, then test, one stream). Default 113. */
  seed?: number;
}

const START_ID = 1, OOV_ID = 2;

export function prepareClassificationSplits(train: LabelledSequences, test: LabelledSequences, options: ClassificationOptions = {}): ClassificationDataset {
  const { numWords = 20000, indexFrom = 3, maxLength = 200, validationFraction = 0.15, seed = 113 } = options;
  if (!(validationFraction >= 0 && validationFraction < 1)) throw new RangeError(`validationFraction must be in [0, 1), got ${validationFraction}`);
  if (indexFrom < OOV_ID + 1 || numWords <= indexFrom) throw new RangeError(`need 3 <= indexFrom < numWords, got indexFrom=${indexFrom}, numWords=${numWords}`);
  const rng = new NumpyRandomState(seed);
  const trainOrder = rng.permutation(train.sequences.length), testOrder = rng.permutation(test.sequences.length);
  const shuffledTrain = encodeInOrder(train, trainOrder, numWords, indexFrom, maxLength);
  const nValidation = Math.floor(train.sequences.length * validationFraction);
  const nTrain = train.sequences.length - nValidation;
  return {
    train: sliceRows(shuffledTrain, 0, nTrain),
    validation: sliceRows(shuffledTrain, nTrain, train.sequences.length),
    test: encodeInOrder(test, testOrder, numWords, indexFrom, maxLength),
    vocabularySize: numWords + indexFrom,
  };
}

function encodeInOrder(data: LabelledSequences, order: Int32Array, numWords: number, indexFrom: number, maxLength: number): LabelledSplit {
  if (data.labels.length !== data.sequences.length) throw new RangeError(`${data.sequences.length} sequences but ${data.labels.length} labels`);
  const sequences: Int32Array[] = [];
  const labels = new Int32Array(order.length);
  order.forEach((src, i) => {
    const words = data.sequences[src], len = Math.min(words.length + 1, maxLength);
    const ids = new Int32Array(len);
    ids[0] = START_ID;
    for (let t = 1; t < len; t++) {
      const id = words[t - 1] + indexFrom;
      ids[t] = id < numWords ? id : OOV_ID;
    }
    sequences.push(ids);
    labels[i] = data.labels[src];
  });
  return { ...padSequencesLeft(sequences, maxLength), labels };
}

function sliceRows(split: LabelledSplit, begin: number, end: number): LabelledSplit {
  const L = split.maxLength;
  return {
    ids: split.ids.slice(begin * L, end * L),
    lengths: split.lengths.slice(begin, end),
    labels: split.labels.slice(begin, end),
    count: end - begin,
    maxLength: L,
  };
}
