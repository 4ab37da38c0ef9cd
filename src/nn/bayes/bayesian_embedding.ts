// Embedding with a prunable table (SparseVD by default, L0 gates, or a group-lasso mask): one table sample per call (mini-batch) in train
// mode, no LRT; the masked mean in eval mode (spec §2.4, §2.6).
import { tf } from '../../engine/tf.js';
import { Module } from '../module.js';
import { normalInit, seedStream } from '../init.js';
import type { KlForm } from './kl.js';
import { createPrunableTensor, gatherUsedRows, type PrunableScaleKind, type PrunableSpec, type PrunableTensor } from './prunable_tensor.js';
import { DEFAULT_L0_OPTIONS } from './l0_penalty.js';

const SCALE_NAMES: Record<PrunableScaleKind, string> = { LogSigma: 'logSigma', LogAlpha: 'logAlpha', Mask: 'mask' };

export class BayesianEmbedding extends Module {
  readonly table: PrunableTensor;

  /** Parameters theta and logSigma (SparseVD), logAlpha (L0) or mask (group lasso, not trainable). */
  constructor(readonly vocabSize: number, readonly dim: number, seed?: number,
    spec: PrunableSpec = { method: 'sparsevd', l0: DEFAULT_L0_OPTIONS }) {
    super();
    const next = seedStream(seed ?? Math.floor(Math.random() * 2 ** 31));
    const theta = this.addParameter('theta', normalInit([vocabSize, dim], 1, next()));
    this.table = createPrunableTensor(theta, spec, (kind, init, trainable) => this.addParameter(SCALE_NAMES[kind], init, trainable), next);
  }

  /**
   * ids: int32 [...] -> [..., dim]. Train mode: one table sample per call, drawn only for the rows the call uses
   * (the other rows cannot affect its output, so this is the same distribution at a fraction of the V x E noise).
   * Eval mode: the masked means of those rows.
   */
  apply(ids: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const rows = gatherUsedRows(this.table, tf.reshape(ids, [-1]) as tf.Tensor1D, this.training);
      return tf.reshape(rows, [...ids.shape, this.dim]);
    });
  }

  kl(form: KlForm = 'molchanov'): tf.Scalar {
    return this.table.penalty(form);
  }
}
