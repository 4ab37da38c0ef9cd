// Fixed-length id matrices from variable-length sequences.

export interface PaddedSequences {
  /** Row-major [count, maxLength] ids; 0 is padding. */
  ids: Int32Array;
  /** Real (unpadded) length of each row, at most maxLength. */
  lengths: Int32Array;
  count: number;
  maxLength: number;
}

/** Keeps the first `maxLength` ids of each sequence (cuts the tail) and left-pads with 0, as the spec's pipeline does. */
export function padSequencesLeft(sequences: readonly ArrayLike<number>[], maxLength: number): PaddedSequences {
  if (!Number.isInteger(maxLength) || maxLength < 1) throw new RangeError(`padSequencesLeft: maxLength must be a positive integer, got ${maxLength}`);
  const count = sequences.length;
  const ids = new Int32Array(count * maxLength), lengths = new Int32Array(count);
  for (let r = 0; r < count; r++) {
    const seq = sequences[r], len = Math.min(seq.length, maxLength), row = r * maxLength + maxLength - len;
    for (let t = 0; t < len; t++) ids[row + t] = seq[t];
    lengths[r] = len;
  }
  return { ids, lengths, count, maxLength };
}
