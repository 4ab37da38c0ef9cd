// Character-level corpora: a vocabulary over characters and random training windows.
import { tf } from '../engine/tf.js';

export interface CharVocabulary {
  /** chars[i] is the character with id i; id 0 is reserved for characters outside the vocabulary. */
  chars: string[];
  ids: Map<string, number>;
}

/** The `size - 1` most frequent characters (ties broken by code point) plus an unknown-character slot. */
export function buildCharVocabulary(text: string, size: number): CharVocabulary {
  if (size < 2) throw new RangeError(`buildCharVocabulary: size must be >= 2, got ${size}`);
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const top = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, size - 1).map(([c]) => c);
  const chars = ['\u0000', ...top];
  return { chars, ids: new Map(chars.map((c, i) => [c, i])) };
}

export function encodeChars(text: string, vocab: CharVocabulary): Int32Array {
  const out: number[] = [];
  for (const ch of text) out.push(vocab.ids.get(ch) ?? 0);
  return Int32Array.from(out);
}

export function decodeChars(ids: ArrayLike<number>, vocab: CharVocabulary): string {
  let s = '';
  for (let i = 0; i < ids.length; i++) s += vocab.chars[ids[i]] ?? '\u0000';
  return s;
}

/** A batch of `batch` windows of `steps + 1` characters: inputs are the first `steps`, targets the next. */
export function sampleWindows(encoded: Int32Array, batch: number, steps: number, random: () => number): { inputs: tf.Tensor2D; targets: tf.Tensor2D } {
  if (encoded.length < steps + 1) throw new RangeError(`sampleWindows: corpus of ${encoded.length} characters is shorter than one window (${steps + 1})`);
  const x = new Int32Array(batch * steps), y = new Int32Array(batch * steps);
  for (let b = 0; b < batch; b++) {
    const start = Math.floor(random() * (encoded.length - steps - 1));
    x.set(encoded.subarray(start, start + steps), b * steps);
    y.set(encoded.subarray(start + 1, start + steps + 1), b * steps);
  }
  return { inputs: tf.tensor2d(x, [batch, steps], 'int32'), targets: tf.tensor2d(y, [batch, steps], 'int32') };
}

/** Consecutive non-overlapping windows covering `encoded` (for evaluation). */
export function* sequentialWindows(encoded: Int32Array, batch: number, steps: number): Generator<{ inputs: tf.Tensor2D; targets: tf.Tensor2D }> {
  const windows = Math.floor((encoded.length - 1) / steps);
  for (let w0 = 0; w0 + batch <= windows; w0 += batch) {
    const x = new Int32Array(batch * steps), y = new Int32Array(batch * steps);
    for (let b = 0; b < batch; b++) {
      const start = (w0 + b) * steps;
      x.set(encoded.subarray(start, start + steps), b * steps);
      y.set(encoded.subarray(start + 1, start + steps + 1), b * steps);
    }
    yield { inputs: tf.tensor2d(x, [batch, steps], 'int32'), targets: tf.tensor2d(y, [batch, steps], 'int32') };
  }
}
