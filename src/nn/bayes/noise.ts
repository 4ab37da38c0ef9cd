// Standard-normal noise for the Bayesian layers. With a seed the whole sequence of draws reproduces.
import type { tf } from '../../engine/tf.js';
import { randomNormal } from '../../engine/ops/random.js';
import { seedStream } from '../init.js';

export type NoiseSource = (shape: number[]) => tf.Tensor;

export function normalNoise(seed?: number): NoiseSource {
  const next = seed === undefined ? undefined : seedStream(seed);
  return (shape) => randomNormal(shape, 0, 1, next?.());
}
