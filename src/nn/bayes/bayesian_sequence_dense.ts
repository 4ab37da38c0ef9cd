// Output layer of the char-level LM (spec §2.4): a SparseVD dense layer over [B, T, H] with the local
// reparameterisation trick, where the noise is drawn once per (sequence, output unit) — eps has shape [B, 1, units] —
// and reused at every timestep, scaled by that step's standard deviation s. Eval mode uses the masked mean (§2.6).
import { tf } from '../../engine/tf.js';
import { Module } from '../module.js';
import { seedStream, uniformInit } from '../init.js';
import type { KlForm } from './kl.js';
import { INITIAL_LOG_SIGMA, SparseVD } from './sparse_vd.js';

/** Keeps the LRT standard deviation's gradient finite where h^2 sigma^2 is 0 (as BayesianDense). */
const LRT_VARIANCE_FLOOR = 1e-8;

export class BayesianSequenceDense extends Module {
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

  /** x: [B, T, inputSize] -> [B, T, units]. */
  apply(x: tf.Tensor3D): tf.Tensor3D {
    const [B, T] = x.shape;
    return tf.tidy(() => {
      const x2 = tf.reshape(x, [B * T, this.inputSize]);
      if (!this.training) {
        return tf.reshape(tf.add(tf.matMul(x2, this.weight.evalWeight()), this.bias), [B, T, this.units]) as tf.Tensor3D;
      }
      const mu = tf.reshape(tf.matMul(x2, this.weight.theta), [B, T, this.units]);
      const variance = tf.matMul(tf.square(x2), tf.exp(tf.mul(2, this.weight.logSigma)));
      const s = tf.reshape(tf.sqrt(tf.add(variance, LRT_VARIANCE_FLOOR)), [B, T, this.units]);
      const eps = this.weight.noise([B, 1, this.units]); // one value per (sequence, unit), shared over time
      return tf.add(tf.add(mu, tf.mul(s, eps)), this.bias) as tf.Tensor3D;
    });
  }

  kl(form: KlForm = 'molchanov'): tf.Scalar {
    return this.weight.kl(form);
  }
}
