// Standard-normal noise for the Bayesian layers. With a seed the whole sequence of draws reproduces; reseed restarts
// it from a new seed (the trainer reseeds every source per epoch, so a resumed run draws what an uninterrupted one does).
import type { tf } from '../../engine/tf.js';
import { randomNormal } from '../../engine/ops/random.js';
import { seedStream } from '../init.js';

export interface NoiseSource {
  /** One fresh draw of the given shape. */
  (shape: number[]): tf.Tensor;
  /** Restarts the sequence of draws from `seed` (undefined: the process-wide, unseeded stream). */
  reseed(seed: number | undefined): void;
}

export function normalNoise(seed?: number): NoiseSource {
  let next = seed === undefined ? undefined : seedStream(seed);
  const draw = (shape: number[]): tf.Tensor => randomNormal(shape, 0, 1, next?.());
  return Object.assign(draw, {
    reseed(s: number | undefined): void {
      next = s === undefined ? undefined : seedStream(s);
    },
  });
}
