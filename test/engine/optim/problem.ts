// A small regression problem for the optimizer tests: variables of several shapes (a matrix, a vector, a scalar,
// a size-1 tensor and an embedding whose unused rows get zero gradients), with gradients from a real loss.
import { tf } from '../../../src/engine/tf.js';
import { randomArray, rng } from '../../helpers.js';

export type Params = Record<string, tf.Variable>;
export type ParamValues = Record<string, Float32Array>;

const rand = rng(7);
const x = { shape: [6, 4], values: randomArray(24, rand) };
const y = { shape: [6, 3], values: randomArray(18, rand) };
const ids = Int32Array.from([0, 2, 2, 4]);

/** Initial values: shape and data for each variable. */
export const initialParams: Record<string, { shape: number[]; values: Float32Array }> = {
  kernel: { shape: [4, 3], values: randomArray(12, rand, -0.5, 0.5) },
  bias: { shape: [3], values: randomArray(3, rand, -0.1, 0.1) },
  scale: { shape: [], values: Float32Array.of(1.5) },
  offset: { shape: [1], values: Float32Array.of(-0.2) },
  embedding: { shape: [5, 2], values: randomArray(10, rand) },
};

/** Fresh variables (on the active backend) holding `values`, or the initial ones. */
export function makeParams(values?: ParamValues): Params {
  const params: Params = {};
  for (const [name, { shape, values: init }] of Object.entries(initialParams)) {
    params[name] = tf.variable(tf.tensor(Float32Array.from(values?.[name] ?? init), shape, 'float32'));
  }
  return params;
}

export function readParams(params: Params): ParamValues {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, Float32Array.from(v.dataSync())]));
}

export function disposeParams(params: Params): void {
  for (const v of Object.values(params)) v.dispose();
}

export function loss(p: Params): tf.Scalar {
  return tf.tidy(() => {
    const pred = tf.add(tf.mul(tf.tanh(tf.add(tf.matMul(tf.tensor2d(x.values, [6, 4]), p.kernel), p.bias)), p.scale), p.offset);
    const fit = tf.mean(tf.square(tf.sub(pred, tf.tensor2d(y.values, [6, 3]))));
    const rows = tf.gather(p.embedding, tf.tensor1d(ids, 'int32'));
    const reg = tf.mean(tf.square(tf.sub(rows, tf.mul(p.scale, 0.3))));
    return tf.add(fit, reg) as tf.Scalar;
  });
}
