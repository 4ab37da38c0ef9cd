// Parameter initialisers (PyTorch's defaults, so models start comparably).
import { tf } from '../engine/tf.js';

/** U(-bound, bound): PyTorch's default for Linear/LSTM/GRU with bound = 1/sqrt(fan). */
export function uniformInit(shape: number[], bound: number, seed?: number): tf.Tensor {
  return tf.randomUniform(shape, -bound, bound, 'float32', seed);
}

/** N(0, 1): PyTorch's default for nn.Embedding. */
export function normalInit(shape: number[], std = 1, seed?: number): tf.Tensor {
  return tf.randomNormal(shape, 0, std, 'float32', seed);
}

/** Deterministic per-parameter seeds derived from one model seed. */
export function seedStream(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 16), 0x45d9f3b) + 0x9e3779b9) >>> 0;
    return s;
  };
}
