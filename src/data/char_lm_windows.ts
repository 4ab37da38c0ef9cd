// Char-level LM batching of the authors' runs (spec rnn-sparsification §6.1): non-overlapping windows of 100
// characters (99 input/target pairs each), floor(len / 100) - 1 of them; every training epoch draws a random start
// offset in [0, 100) and shuffles the windows; validation and test use offset 0 in order. Not stateful.
import { tf } from '../engine/tf.js';
import type { TokenBatch } from './lm_token_batch.js';

export const CHAR_WINDOW_LENGTH = 100;

/** floor(length / window) - 1: every window fits whatever the start offset in [0, window). */
export function charWindowCount(length: number, window = CHAR_WINDOW_LENGTH): number {
  checkWindow(window);
  return Math.max(0, Math.floor(length / window) - 1);
}

/** Start positions offset + k * window of the charWindowCount windows. */
export function charWindowStarts(length: number, offset: number, window = CHAR_WINDOW_LENGTH): Int32Array {
  if (!(Number.isInteger(offset) && offset >= 0 && offset < window)) throw new RangeError(`charWindowStarts: offset must be an integer in [0, ${window}), got ${offset}`);
  return Int32Array.from({ length: charWindowCount(length, window) }, (_, k) => offset + k * window);
}

/** Mini-batches per epoch: the last one may be short (PTB: ceil(50 173 / 64) = 784). */
export function charBatchCount(length: number, batchSize: number, window = CHAR_WINDOW_LENGTH): number {
  checkBatchSize(batchSize);
  return Math.ceil(charWindowCount(length, window) / batchSize);
}

/** One training epoch: a random start offset (one draw of `random`), then the windows shuffled (Fisher-Yates). */
export function* charTrainBatches(tokens: Int32Array, batchSize: number, random: () => number,
  window = CHAR_WINDOW_LENGTH): Generator<TokenBatch> {
  checkBatchSize(batchSize);
  const offset = Math.min(window - 1, Math.floor(random() * window));
  const starts = charWindowStarts(tokens.length, offset, window);
  for (let i = starts.length - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(random() * (i + 1)));
    [starts[i], starts[j]] = [starts[j], starts[i]];
  }
  yield* windowBatches(tokens, starts, batchSize, window);
}

/** Evaluation: offset 0, windows in order. */
export function* charEvalBatches(tokens: Int32Array, batchSize: number, window = CHAR_WINDOW_LENGTH): Generator<TokenBatch> {
  checkBatchSize(batchSize);
  yield* windowBatches(tokens, charWindowStarts(tokens.length, 0, window), batchSize, window);
}

function* windowBatches(tokens: Int32Array, starts: Int32Array, batchSize: number, window: number): Generator<TokenBatch> {
  const T = window - 1;
  for (let b0 = 0; b0 < starts.length; b0 += batchSize) {
    const B = Math.min(batchSize, starts.length - b0);
    const x = new Int32Array(B * T), y = new Int32Array(B * T);
    for (let b = 0; b < B; b++) {
      const s = starts[b0 + b];
      x.set(tokens.subarray(s, s + T), b * T);
      y.set(tokens.subarray(s + 1, s + window), b * T);
    }
    yield tokenBatch(tf.tensor2d(x, [B, T], 'int32'), tf.tensor2d(y, [B, T], 'int32'));
  }
}

export function tokenBatch(inputs: tf.Tensor2D, targets: tf.Tensor2D): TokenBatch {
  return { inputs, targets, dispose: () => { inputs.dispose(); targets.dispose(); } };
}

function checkWindow(window: number): void {
  if (!(Number.isInteger(window) && window >= 2)) throw new RangeError(`char LM window must be an integer >= 2, got ${window}`);
}

function checkBatchSize(batchSize: number): void {
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
}
