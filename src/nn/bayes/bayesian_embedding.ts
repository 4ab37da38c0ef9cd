// Embedding with a SparseVD table: one table sample per call (mini-batch) in train mode, no LRT;
// the masked mean in eval mode (spec §2.4, §2.6).
import { tf } from '../../engine/tf.js';
import { Module } from '../module.js';
import { normalInit, seedStream } from '../init.js';
import type { KlForm } from './kl.js';
import { sparseVdSample } from '../../engine/ops/sparse_vd_sample.js';
import { INITIAL_LOG_SIGMA, maskedMean, SparseVD } from './sparse_vd.js';

export class BayesianEmbedding extends Module {
  readonly table: SparseVD;

  constructor(readonly vocabSize: number, readonly dim: number, seed?: number) {
    super();
    const next = seedStream(seed ?? Math.floor(Math.random() * 2 ** 31));
    const theta = this.addParameter('theta', normalInit([vocabSize, dim], 1, next()));
    const logSigma = this.addParameter('logSigma', tf.fill([vocabSize, dim], INITIAL_LOG_SIGMA));
    this.table = new SparseVD(theta, logSigma, next());
  }

  /**
   * ids: int32 [...] -> [..., dim]. Train mode: one table sample per call, drawn only for the rows the call uses
   * (the other rows cannot affect its output, so this is the same distribution at a fraction of the V x E noise).
   * Eval mode: the masked means of those rows.
   */
  apply(ids: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const { values: rows, indices } = tf.unique(tf.reshape(ids, [-1]));
      const theta = tf.gather(this.table.theta, rows), logSigma = tf.gather(this.table.logSigma, rows);
      const used = this.training
        ? sparseVdSample(theta, logSigma, this.table.noise([rows.shape[0], this.dim]))
        : maskedMean(theta, logSigma);
      return tf.reshape(tf.gather(used, indices), [...ids.shape, this.dim]);
    });
  }

  kl(form: KlForm = 'molchanov'): tf.Scalar {
    return this.table.kl(form);
  }
}
