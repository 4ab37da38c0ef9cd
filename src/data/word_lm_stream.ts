// Word-level LM batching of the authors' runs (spec rnn-sparsification §6.1): the token stream is cut into
// `columns` (32) parallel streams of floor(len / columns) tokens; BPTT windows of 35 steps are taken in order (the
// last may be shorter). The model is stateful across these batches: the caller carries h, c from one batch to the
// next and resets them at the start of every epoch and before every evaluation.
import { tf } from '../engine/tf.js';
import { tokenBatch } from './char_lm_windows.js';
import type { TokenBatch } from './lm_token_batch.js';

export const WORD_LM_COLUMNS = 32;
export const WORD_LM_BPTT = 35;

/** Tokens per column: floor(length / columns); the tail that does not fill a row is dropped. */
export function wordColumnLength(length: number, columns = WORD_LM_COLUMNS): number {
  check(columns, 'columns');
  return Math.floor(length / columns);
}

/** Windows per pass: ceil((columnLength - 1) / bptt). */
export function wordBatchCount(length: number, columns = WORD_LM_COLUMNS, bptt = WORD_LM_BPTT): number {
  check(bptt, 'bptt');
  return Math.ceil(Math.max(0, wordColumnLength(length, columns) - 1) / bptt);
}

/**
 * The windows of one pass, in order: batch i holds inputs column[c][i*bptt .. i*bptt + L) and targets shifted by
 * one, for every column c, with L = min(bptt, columnLength - 1 - i*bptt). Column c is the contiguous stretch
 * tokens[c * columnLength, (c + 1) * columnLength), so row c of consecutive batches continues the same text.
 */
export function* wordStreamBatches(tokens: Int32Array, columns = WORD_LM_COLUMNS, bptt = WORD_LM_BPTT): Generator<TokenBatch> {
  const n = wordColumnLength(tokens.length, columns);
  check(bptt, 'bptt');
  for (let i = 0; i + 1 < n; i += bptt) {
    const L = Math.min(bptt, n - 1 - i);
    const x = new Int32Array(columns * L), y = new Int32Array(columns * L);
    for (let c = 0; c < columns; c++) {
      const s = c * n + i;
      x.set(tokens.subarray(s, s + L), c * L);
      y.set(tokens.subarray(s + 1, s + 1 + L), c * L);
    }
    yield tokenBatch(tf.tensor2d(x, [columns, L], 'int32'), tf.tensor2d(y, [columns, L], 'int32'));
  }
}

function check(value: number, what: string): void {
  if (!(Number.isInteger(value) && value >= 1)) throw new RangeError(`word LM ${what} must be a positive integer, got ${value}`);
}
