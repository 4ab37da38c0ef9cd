// Dense layer with L0-gated weights (spec §5): w = theta * z with one hard-concrete draw of the gates per call
// (one per mini-batch, as Louizos et al. without their per-example local reparameterisation), the test gates in eval
// mode. The bias is a point estimate. Init as SparseVDDense: U(-1/sqrt(inputSize), 1/sqrt(inputSize)).
import { tf } from '../../engine/tf.js';
import { Module } from '../module.js';
import { seedStream, uniformInit } from '../init.js';
import { L0Tensor } from './l0_tensor.js';
import { initialLogAlpha } from './hard_concrete.js';
import { DEFAULT_L0_OPTIONS, type L0Options } from './l0_penalty.js';

export class L0Dense extends Module {
  readonly weight: L0Tensor;
  readonly bias: tf.Variable;

  constructor(readonly inputSize: number, readonly units: number, seed?: number, options: L0Options = DEFAULT_L0_OPTIONS) {
    super();
    const next = seedStream(seed ?? Math.floor(Math.random() * 2 ** 31));
    const bound = 1 / Math.sqrt(inputSize);
    const theta = this.addParameter('theta', uniformInit([inputSize, units], bound, next()));
    const logAlpha = this.addParameter('logAlpha', initialLogAlpha([inputSize, units], next()));
    this.bias = this.addParameter('bias', uniformInit([units], bound, next()));
    this.weight = new L0Tensor(theta, logAlpha, next(), options);
  }

  /** x: [..., inputSize] -> [..., units]. */
  apply(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const x2 = tf.reshape(x, [-1, this.inputSize]) as tf.Tensor2D;
      const y = tf.fused.matMul({ a: x2, b: this.weight.weight(this.training) as tf.Tensor2D, bias: this.bias });
      return tf.reshape(y, [...x.shape.slice(0, -1), this.units]);
    });
  }

  penalty(): tf.Scalar {
    return this.weight.penalty();
  }
}
