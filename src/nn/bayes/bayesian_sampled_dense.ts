// Output layer of the word-level LM (spec §2.4, the repo's BayesianDense_noLRT): a SparseVD dense layer that draws
// one weight sample per call (one per mini-batch), shared by every sequence and timestep, with no local
// reparameterisation. Eval mode uses the masked mean (§2.6). The bias is a point estimate.
import { tf } from '../../engine/tf.js';
import { Module } from '../module.js';
import { seedStream, uniformInit } from '../init.js';
import type { KlForm } from './kl.js';
import { INITIAL_LOG_SIGMA, SparseVD } from './sparse_vd.js';

export class BayesianSampledDense extends Module {
  readonly weight: SparseVD;
  readonly bias: tf.Variable;

  constructor(readonly inputSize: number, readonly units: number, seed?: number) {
    super();
    const next = seedStream(seed ?? Math.floor(Math.random() * 2 ** 31));
    const bound = 1 / Math.sqrt(inputSize);
    const theta = this.addParameter('theta', uniformInit([inputSize, units], bound, next()));
    const logSigma = this.addParameter('logSigma', tf.fill([inputSize, units], INITIAL_LOG_SIGMA));
    this.bias = this.addParameter('bias', uniformInit([units], bound, next()));
    this.weight = new SparseVD(theta, logSigma, next());
  }

  /** x: [..., inputSize] -> [..., units]. */
  apply(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const x2 = tf.reshape(x, [-1, this.inputSize]) as tf.Tensor2D;
      const w = this.weight.weight(this.training) as tf.Tensor2D;
      const y = tf.fused.matMul({ a: x2, b: w, bias: this.bias });
      return tf.reshape(y, [...x.shape.slice(0, -1), this.units]);
    });
  }

  kl(form: KlForm = 'molchanov'): tf.Scalar {
    return this.weight.kl(form);
  }
}
