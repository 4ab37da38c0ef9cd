// Embedding with a SparseVD table: one table sample per call (mini-batch) in train mode, no LRT;
// the masked mean in eval mode (spec §2.4, §2.6).
import { tf } from '../../engine/tf.js';
import { Module } from '../module.js';
import { normalInit, seedStream } from '../init.js';
import type { KlForm } from './kl.js';
import { INITIAL_LOG_SIGMA, SparseVD } from './sparse_vd.js';

export class BayesianEmbedding extends Module {
  readonly table: SparseVD;

  constructor(readonly vocabSize: number, readonly dim: number, seed?: number) {
    super();
    const next = seedStream(seed ?? Math.floor(Math.random() * 2 ** 31));
    const theta = this.addParameter('theta', normalInit([vocabSize, dim], 1, next()));
    const logSigma = this.addParameter('logSigma', tf.fill([vocabSize, dim], INITIAL_LOG_SIGMA));
    this.table = new SparseVD(theta, logSigma, next());
  }

  /** ids: int32 [...] -> [..., dim]. */
  apply(ids: tf.Tensor): tf.Tensor {
    return tf.tidy(() => tf.gather(this.table.weight(this.training), ids));
  }

  kl(form: KlForm = 'molchanov'): tf.Scalar {
    return this.table.kl(form);
  }
}
