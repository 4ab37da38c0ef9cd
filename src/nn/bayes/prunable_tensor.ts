// What the sparse models need from a prunable weight tensor, whichever method sparsifies it (SparseVD, L0, or group
// lasso's masked point estimate), and the factory that builds one for a method. The owning Module registers the
// parameters; these objects hold the maths.
import { tf } from '../../engine/tf.js';
import type { SparsificationMethod } from '../../sparsify/sparsification_method.js';
import type { KlForm } from './kl.js';
import type { NoiseSource } from './noise.js';
import { INITIAL_LOG_SIGMA, SparseVD } from './sparse_vd.js';
import { L0Tensor } from './l0_tensor.js';
import { initialLogAlpha } from './hard_concrete.js';
import type { L0Options } from './l0_penalty.js';
import { MaskedParameter } from '../masked_parameter.js';

export interface PrunableTensor {
  /** The learnable weight values: SparseVD's posterior mean, L0's weights before their gates, group lasso's weights. */
  readonly theta: tf.Variable;
  readonly shape: number[];
  /**
   * The noise source of the training draws (found by Module.namedNoiseSources, reseeded per epoch); absent for a
   * deterministic tensor (group lasso's MaskedParameter), whose train-mode weight equals its eval-mode weight.
   */
  readonly noise?: NoiseSource;
  /** The weight a forward pass uses: one draw per call in train mode, evalWeight() in eval mode. */
  weight(training: boolean): tf.Tensor;
  /** The deterministic eval-mode weight, pruned elements zeroed. */
  evalWeight(): tf.Tensor;
  /** float32 1 where the element is kept, 0 where pruned; recomputed from the current parameters. */
  keptMask(): tf.Tensor;
  /** weight(training) of the given rows only (int32 [n]): the embedding draws noise for the rows a batch uses. */
  gatherRows(rows: tf.Tensor1D, training: boolean): tf.Tensor;
  /**
   * The method's regulariser summed over the elements: the KL for SparseVD (form chosen here), the L0 penalty; 0 for
   * a MaskedParameter (the group-lasso penalty spans several tensors and is the model's, not the tensor's).
   */
  penalty(form?: KlForm): tf.Scalar;
}

/** How a model's prunable tensors and groups are built. */
export interface PrunableSpec {
  method: SparsificationMethod;
  /** L0 penalty settings (method 'l0'). */
  l0: L0Options;
}

/** The second parameter of a prunable tensor: SparseVD's log sigma, L0's log alpha, group lasso's 0/1 mask. */
export type PrunableScaleKind = 'LogSigma' | 'LogAlpha' | 'Mask';

/**
 * A prunable tensor over an already registered `theta`: `addScale(kind, init, trainable)` registers its second
 * parameter (SparseVD's log sigma, filled with -3; L0's log alpha ~ N(0, 0.01^2); group lasso's mask, all ones and
 * not trainable) under the caller's naming; `next` is the caller's seed stream. For SparseVD this draws exactly the
 * seeds it always did, so parameters are unchanged; group lasso draws the same one seed as SparseVD (unused), so a
 * group-lasso model's initial weights equal the SparseVD model's of the same seed.
 */
export function createPrunableTensor(theta: tf.Variable, spec: PrunableSpec,
  addScale: (kind: PrunableScaleKind, init: tf.Tensor, trainable: boolean) => tf.Variable, next: () => number): PrunableTensor {
  switch (spec.method) {
    case 'sparsevd': {
      const logSigma = addScale('LogSigma', tf.fill(theta.shape, INITIAL_LOG_SIGMA), true);
      return new SparseVD(theta, logSigma, next());
    }
    case 'l0': {
      const logAlpha = addScale('LogAlpha', initialLogAlpha(theta.shape, next()), true);
      return new L0Tensor(theta, logAlpha, next(), spec.l0);
    }
    case 'group-lasso': {
      next();
      return new MaskedParameter(theta, addScale('Mask', tf.onesLike(theta), false));
    }
  }
}

/**
 * weight(training)'s rows for flat ids [n] -> [n, ...rest], drawing each distinct row once (gatherRows), so every
 * occurrence of an id in the call shares one sample and rows no id uses cost nothing.
 */
export function gatherUsedRows(t: PrunableTensor, ids: tf.Tensor1D, training: boolean): tf.Tensor {
  return tf.tidy(() => {
    const { values, indices } = tf.unique(ids);
    return tf.gather(t.gatherRows(values as tf.Tensor1D, training), indices);
  });
}

/** True for a prunable tensor, false for a plain parameter. */
export function isPrunable(p: PrunableTensor | tf.Variable): p is PrunableTensor {
  return 'theta' in p && 'evalWeight' in p;
}
