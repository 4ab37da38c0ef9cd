// Dense layer with a SparseVD kernel. Train mode uses the local reparameterisation trick (one noise value per
// example and output unit); eval mode uses the masked mean (spec §2.4, §2.6). The bias is a point estimate.
import { tf } from '../../engine/tf.js';
import { Module } from '../module.js';
import { seedStream, uniformInit } from '../init.js';
import type { KlForm } from './kl.js';
import { INITIAL_LOG_SIGMA, SparseVD } from './sparse_vd.js';

/** Keeps the LRT standard deviation's gradient finite where x^2 sigma^2 is 0. */
const LRT_VARIANCE_FLOOR = 1e-8;

export class BayesianDense extends Module {
  readonly weight: SparseVD;
  readonly bias: tf.Variable;

  constructor(readonly inputSize: number, readonly units: number, seed?: number) {
    super();
    const next = seedStream(seed ?? Math.floor(Math.random() * 2 ** 31));
    const bound = 1 / Math.sqrt(inputSize); // Dense's (PyTorch's) init for theta and the bias
    const theta = this.addParameter('theta', uniformInit([inputSize, units], bound, next()));
    const logSigma = this.addParameter('logSigma', tf.fill([inputSize, units], INITIAL_LOG_SIGMA));
    this.bias = this.addParameter('bias', uniformInit([units], bound, next()));
    this.weight = new SparseVD(theta, logSigma, next());
  }

  /** x: [..., inputSize] -> [..., units]. */
  apply(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const x2 = tf.reshape(x, [-1, this.inputSize]);
      const y = this.training ? this.lrt(x2) : tf.matMul(x2, this.weight.evalWeight());
      return tf.reshape(tf.add(y, this.bias), [...x.shape.slice(0, -1), this.units]);
    });
  }

  /** mu = x theta, s = sqrt(x^2 sigma^2 + 1e-8), mu + s * eps: the pre-activation of a fresh weight sample per example. */
  private lrt(x: tf.Tensor): tf.Tensor {
    const mu = tf.matMul(x, this.weight.theta);
    const variance = tf.matMul(tf.square(x), tf.exp(tf.mul(2, this.weight.logSigma)));
    const s = tf.sqrt(tf.add(variance, LRT_VARIANCE_FLOOR));
    return tf.add(mu, tf.mul(s, this.weight.noise(mu.shape)));
  }

  kl(form: KlForm = 'molchanov'): tf.Scalar {
    return this.weight.kl(form);
  }
}
