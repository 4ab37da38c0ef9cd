// Parameter initialisers: PyTorch's defaults (so models start comparably) and the Glorot / orthogonal ones of spec §6.3.
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

/** Glorot (Xavier) uniform: U(-b, b), b = sqrt(6 / (fanIn + fanOut)) for a [fanIn, fanOut] matrix. */
export function glorotUniformInit(shape: [number, number], seed?: number): tf.Tensor2D {
  const bound = Math.sqrt(6 / (shape[0] + shape[1]));
  return tf.randomUniform(shape, -bound, bound, 'float32', seed) as tf.Tensor2D;
}

/**
 * gain * a random orthogonal [rows, cols] matrix: orthonormal columns when rows >= cols (W^T W = gain^2 I), else
 * orthonormal rows. Gram-Schmidt (applied twice, in float64) on a seeded standard normal matrix.
 */
export function orthogonalInit(shape: [number, number], gain = 1, seed?: number): tf.Tensor2D {
  const [rows, cols] = shape;
  const n = Math.max(rows, cols), k = Math.min(rows, cols);
  const draw = tf.randomNormal([k, n], 0, 1, 'float32', seed);
  const q = Float64Array.from(draw.dataSync()); // k vectors of length n, one per row
  draw.dispose();
  for (let i = 0; i < k; i++) {
    const v = q.subarray(i * n, (i + 1) * n);
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < i; j++) {
        const u = q.subarray(j * n, (j + 1) * n);
        let dot = 0;
        for (let t = 0; t < n; t++) dot += u[t] * v[t];
        for (let t = 0; t < n; t++) v[t] -= dot * u[t];
      }
    }
    let norm = 0;
    for (let t = 0; t < n; t++) norm += v[t] * v[t];
    norm = Math.sqrt(norm);
    for (let t = 0; t < n; t++) v[t] /= norm;
  }
  // q holds k orthonormal rows of length n: that is [rows, cols] when rows <= cols; otherwise transpose it.
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < k; i++) {
    for (let t = 0; t < n; t++) out[rows <= cols ? i * cols + t : t * cols + i] = gain * q[i * n + t];
  }
  return tf.tensor2d(out, shape);
}

/** A [rows, gates * hidden] kernel whose gate blocks [rows, hidden] are initialised independently, one seed each. */
export function gateBlocksInit(gates: number, block: (seed: number) => tf.Tensor2D, seed: number): tf.Tensor2D {
  const next = seedStream(seed);
  return tf.tidy(() => tf.concat(Array.from({ length: gates }, () => block(next())), 1));
}

/** LSTM bias [4H]: 0 except the forget-gate block (gate order i, f, g, o) = forgetBias. */
export function lstmBiasInit(hiddenSize: number, forgetBias: number): tf.Tensor1D {
  const b = new Float32Array(4 * hiddenSize);
  b.fill(forgetBias, hiddenSize, 2 * hiddenSize);
  return tf.tensor1d(b);
}
