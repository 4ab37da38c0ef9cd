// Output layer of the word-level LM (spec §2.4, the repo's BayesianDense_noLRT): a SparseVD dense layer that draws
// one weight sample per call (one per mini-batch), shared by every sequence and timestep, with no local
// reparameterisation. Eval mode uses the masked mean (§2.6). The bias is a point estimate.
import { tf } from '../../engine/tf.js';
import { SparseVDDense } from './sparse_vd_dense.js';

export class BayesianSampledDense extends SparseVDDense {
  /** x: [..., inputSize] -> [..., units]. */
  apply(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const x2 = tf.reshape(x, [-1, this.inputSize]) as tf.Tensor2D;
      const w = this.weight.weight(this.training) as tf.Tensor2D;
      const y = tf.fused.matMul({ a: x2, b: w, bias: this.bias });
      return tf.reshape(y, [...x.shape.slice(0, -1), this.units]);
    });
  }
}
