// Dense layer with a SparseVD kernel. Train mode uses the local reparameterisation trick (one noise value per
// example and output unit); eval mode uses the masked mean (spec §2.4, §2.6). The bias is a point estimate.
import { tf } from '../../engine/tf.js';
import { LRT_VARIANCE_FLOOR, SparseVDDense } from './sparse_vd_dense.js';

export class BayesianDense extends SparseVDDense {
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
}
