// Seedable float32 random tensors. On the native backend they come from a counter-based generator (Philox):
// a seed gives the same values whatever the thread count, and omitting it draws from a process-wide stream.
// Other backends use tf.randomNormal / tf.randomUniform (different streams for the same seed).
import { tf } from '../tf.js';
import { requireAddon } from '../addon.js';
import { isNativeActive } from '../backend.js';
import { sizeOf } from '../kernels/util.js';

function nativeFill(shape: number[], fill: (out: Float32Array) => void): tf.Tensor {
  const values = new Float32Array(sizeOf(shape));
  fill(values);
  return tf.tensor(values, shape, 'float32');
}

/** Normally distributed values with the given mean and standard deviation. */
export function randomNormal(shape: number[], mean = 0, std = 1, seed?: number): tf.Tensor {
  if (!isNativeActive()) return tf.randomNormal(shape, mean, std, 'float32', seed);
  return nativeFill(shape, (out) => requireAddon().randomNormal(out, mean, std, seed));
}

/** Uniformly distributed values in [lo, hi). */
export function randomUniform(shape: number[], lo = 0, hi = 1, seed?: number): tf.Tensor {
  if (!isNativeActive()) return tf.randomUniform(shape, lo, hi, 'float32', seed);
  return nativeFill(shape, (out) => requireAddon().randomUniform(out, lo, hi, seed));
}

/** float32 1 with probability p, else 0 (e.g. a dropout keep-mask). */
export function bernoulli(shape: number[], p: number, seed?: number): tf.Tensor {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`bernoulli: p must be in [0, 1], got ${p}`);
  if (!isNativeActive()) return tf.tidy(() => tf.cast(tf.less(tf.randomUniform(shape, 0, 1, 'float32', seed), p), 'float32'));
  return nativeFill(shape, (out) => requireAddon().bernoulli(out, p, seed));
}
