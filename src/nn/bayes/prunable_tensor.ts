// What the sparse models need from a prunable weight tensor, whichever method sparsifies it (SparseVD or L0), and the
// factory that builds one for a method. The owning Module registers the parameters; these objects hold the maths.
import { tf } from '../../engine/tf.js';
import type { SparsificationMethod } from '../../sparsify/sparsification_method.js';
import type { KlForm } from './kl.js';
import type { NoiseSource } from './noise.js';
import { INITIAL_LOG_SIGMA, SparseVD } from './sparse_vd.js';
import { L0Tensor } from './l0_tensor.js';
import { initialLogAlpha } from './hard_concrete.js';
import type { L0Options } from './l0_penalty.js';

export interface PrunableTensor {
  /** The learnable weight values: SparseVD's posterior mean, L0's weights before their gates. */
  readonly theta: tf.Variable;
  readonly shape: number[];
  /** The noise source of the training draws (found by Module.namedNoiseSources, reseeded per epoch). */
  readonly noise: NoiseSource;
  /** The weight a forward pass uses: one draw per call in train mode, evalWeight() in eval mode. */
  weight(training: boolean): tf.Tensor;
  /** The deterministic eval-mode weight, pruned elements zeroed. */
  evalWeight(): tf.Tensor;
  /** float32 1 where the element is kept, 0 where pruned; recomputed from the current parameters. */
  keptMask(): tf.Tensor;
  /** weight(training) of the given rows only (int32 [n]): the embedding draws noise for the rows a batch uses. */
  gatherRows(rows: tf.Tensor1D, training: boolean): tf.Tensor;
  /** The method's regulariser summed over the elements: the KL for SparseVD (form chosen here), the L0 penalty. */
  penalty(form?: KlForm): tf.Scalar;
}

/** How a model's prunable tensors and groups are built. */
export interface PrunableSpec {
  method: SparsificationMethod;
  /** L0 penalty settings (method 'l0'). */
  l0: L0Options;
}

/**
 * A prunable tensor over an already registered `theta`: `addScale(kind, init)` registers its second parameter
 * (SparseVD's log sigma, filled with -3; L0's log alpha ~ N(0, 0.01^2)) under the caller's naming; `next` is the
 * caller's seed stream. For SparseVD this draws exactly the seeds it always did, so parameters are unchanged.
 */
export function createPrunableTensor(theta: tf.Variable, spec: PrunableSpec,
  addScale: (kind: 'LogSigma' | 'LogAlpha', init: tf.Tensor) => tf.Variable, next: () => number): PrunableTensor {
  if (spec.method === 'sparsevd') {
    const logSigma = addScale('LogSigma', tf.fill(theta.shape, INITIAL_LOG_SIGMA));
    return new SparseVD(theta, logSigma, next());
  }
  const logAlpha = addScale('LogAlpha', initialLogAlpha(theta.shape, next()));
  return new L0Tensor(theta, logAlpha, next(), spec.l0);
}

/** True for a prunable tensor, false for a plain parameter. */
export function isPrunable(p: PrunableTensor | tf.Variable): p is PrunableTensor {
  return 'theta' in p && 'evalWeight' in p;
}
