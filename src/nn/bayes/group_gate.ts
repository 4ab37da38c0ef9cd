// What the sparse models need from a structured group (vocabulary z_voc, inputs z_x, hidden z_h, gates z_gate),
// whichever method sparsifies it: per-sequence multipliers, eval values, kept mask, penalty. SparseVD's
// GroupVariable and L0's L0GroupGate implement it; groupGate() builds the one a spec asks for.
import type { tf } from '../../engine/tf.js';
import type { Module } from '../module.js';
import type { KlForm } from './kl.js';
import type { PrunableSpec } from './prunable_tensor.js';
import { GroupVariable } from './group_variable.js';
import { L0GroupGate } from './l0_group_gate.js';

export interface GroupGate {
  readonly size: number;
  /** [batchSize, size] multipliers: one sample per sequence (row) in train mode; evalValues() on every row in eval mode. */
  apply(batchSize: number): tf.Tensor2D;
  /** The eval-mode multipliers [size], pruned entries 0 (what compact() folds). */
  evalValues(): tf.Tensor1D;
  /** float32 [size]: 1 kept, 0 pruned. */
  keptMask(): tf.Tensor1D;
  /** The method's regulariser: the KL for SparseVD (form chosen here), the expected-L0 cost for L0. */
  penalty(form?: KlForm): tf.Scalar;
}

/** A group gate is a Module (its parameters live in the model tree). */
export type GroupGateModule = Module & GroupGate;

/**
 * The group gate of `spec.method` over `size` groups. `weightsPerGroup` is how many weights one group scales, the
 * L0 group cost (see l0GroupPenalty); SparseVD ignores it. Parameters: mu, logSigma (SparseVD) or logAlpha (L0).
 */
export function groupGate(size: number, spec: PrunableSpec, weightsPerGroup: number, seed: number): GroupGateModule {
  switch (spec.method) {
    case 'sparsevd': return new GroupVariable(size, seed);
    case 'l0': return new L0GroupGate(size, weightsPerGroup, seed, spec.l0);
    case 'group-lasso': throw new Error('groupGate: group lasso has no group gates (its groups are norms over weight slices, GroupLassoRegularizer)');
  }
}
