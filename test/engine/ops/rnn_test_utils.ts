// Small helpers for the fused recurrent op tests (comparisons and PyTorch weight layouts).
import assert from 'node:assert/strict';
import { maxRelError } from '../../helpers.js';

/** Asserts every element of actual is within atol + rtol * |expected| of expected. */
export function expectClose(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number): void {
  const err = maxRelError(actual, expected, rtol, atol);
  assert.ok(err <= 1, `${what}: off by ${err.toFixed(2)}x the tolerance (rtol ${rtol}, atol ${atol})`);
}

/**
 * atol for comparing float32 results of different summation orders: float32 rounding scales with the largest
 * magnitudes a tensor holds (long recurrences with masks above 1 reach gradients in the thousands), so an element
 * far below them can only be expected to match to `rel` times that scale.
 */
export function scaledAtol(expected: ArrayLike<number>, rel = 1e-6): number {
  let max = 1;
  for (let i = 0; i < expected.length; i++) max = Math.max(max, Math.abs(expected[i]));
  return rel * max;
}

/** Row-major transpose of a [rows, cols] matrix (PyTorch's weight_ih [G*H, D] -> kernel [D, G*H]). */
export function transpose(a: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let q = 0; q < cols; q++) out[q * rows + r] = a[r * cols + q];
  return out;
}
