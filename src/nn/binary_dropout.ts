// Binary variational dropout for recurrent layers (Gal & Ghahramani 2016; spec rnn-sparsification §2.5, the "binary
// dropout" P1 relies on): one Bernoulli(1 - p) mask per sequence, scaled by 1 / (1 - p) so its mean is 1, reused at
// every timestep; off in eval mode. The recurrent layers apply it through the fused ops' per-sequence masks.
import { tf } from '../engine/tf.js';
import { bernoulli } from '../engine/ops/random.js';
import { Module } from './module.js';
import { seedStream } from './init.js';
import type { NoiseSource } from './bayes/noise.js';

export class BinaryDropout extends Module {
  /** Draws the keep masks (found by Module.namedNoiseSources, so reseedNoise restarts it). */
  readonly noise: NoiseSource;

  /** `rate`: the drop probability p in [0, 1). */
  constructor(readonly size: number, readonly rate: number, seed?: number) {
    super();
    if (!(rate >= 0 && rate < 1)) throw new RangeError(`BinaryDropout: rate must be in [0, 1), got ${rate}`);
    this.noise = bernoulliNoise(1 - rate, seed);
  }

  /**
   * [batchSize, size] per-sequence multipliers: Bernoulli(1 - p) / (1 - p) in train mode; null in eval mode or when
   * p = 0 (no mask to apply).
   */
  apply(batchSize: number): tf.Tensor2D | null {
    if (!this.training || this.rate === 0) return null;
    return tf.tidy(() => tf.mul(this.noise([batchSize, this.size]), 1 / (1 - this.rate)) as tf.Tensor2D);
  }
}

/** A seeded (reseedable) stream of float32 0/1 masks, 1 with probability `keep`. */
export function bernoulliNoise(keep: number, seed?: number): NoiseSource {
  let next = seed === undefined ? undefined : seedStream(seed);
  const draw = (shape: number[]): tf.Tensor => bernoulli(shape, keep, next?.());
  return Object.assign(draw, {
    reseed(s: number | undefined): void {
      next = s === undefined ? undefined : seedStream(s);
    },
  });
}

/** The product of optional per-sequence masks (group-variable samples, dropout masks); undefined when none. */
export function combineMasks(...masks: (tf.Tensor2D | null | undefined)[]): tf.Tensor2D | undefined {
  const present = masks.filter((m): m is tf.Tensor2D => m != null);
  if (present.length === 0) return undefined;
  return present.reduce((a, b) => tf.mul(a, b) as tf.Tensor2D);
}
