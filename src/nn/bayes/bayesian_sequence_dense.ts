// Output layer of the char-level LM (spec §2.4): a SparseVD dense layer over [B, T, H] with the local
// reparameterisation trick, where the noise is drawn once per (sequence, output unit) — eps has shape [B, 1, units] —
// and reused at every timestep, scaled by that step's standard deviation s. Eval mode uses the masked mean (§2.6).
import { tf } from '../../engine/tf.js';
import { LRT_VARIANCE_FLOOR, SparseVDDense } from './sparse_vd_dense.js';

export class BayesianSequenceDense extends SparseVDDense {
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
}
