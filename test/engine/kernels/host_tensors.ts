// Shared inputs for the native-vs-cpu kernel tests.
import { randomArray, type HostTensor } from '../../helpers.js';

/** A float32 host tensor of the given shape with values uniform in [lo, hi). */
export function randomTensor(shape: number[], rand: () => number, lo = -1, hi = 1): HostTensor {
  return { shape, values: randomArray(shape.reduce((p, d) => p * d, 1), rand, lo, hi) };
}

/** An int32 host tensor with values uniform in [lo, hi). */
export function randomInts(shape: number[], rand: () => number, lo: number, hi: number): HostTensor {
  const n = shape.reduce((p, d) => p * d, 1);
  return { shape, values: Int32Array.from({ length: n }, () => lo + Math.floor((hi - lo) * rand())), dtype: 'int32' };
}

/** Edge-case floats: signed zeros, tiny and huge magnitudes, overflow/underflow points of exp, infinities, NaN. */
export const SPECIAL_VALUES = Float32Array.from([
  0, -0, 1, -1, 0.5, -0.5, 1e-30, -1e-30, 1e-7, -1e-7, 0.6, -0.65, 5, -5, 15, -15, 20, -20, 87, -87, 88.5, -88.5,
  89, -89, 100, -100, 104, -104, 1e4, -1e4, 3e38, -3e38, Infinity, -Infinity, NaN,
]);

/** Shapes with size-0 and size-1 dimensions, a few ranks, and one above the OpenMP threshold (32768). */
export const ELEMENTWISE_SHAPES: number[][] = [[], [1], [0], [7], [1, 1], [3, 5], [2, 0, 3], [2, 3, 4], [1, 9, 1], [200, 201]];
