// Tests of SparseVD models reach into SparseVD-specific parameters (log sigma, mu) through the method-neutral types
// (PrunableTensor, GroupGate): these narrow them, failing loudly when the part is not SparseVD.
import type { tf } from '../../../src/engine/tf.js';
import { SparseVD } from '../../../src/nn/bayes/sparse_vd.js';
import { GroupVariable } from '../../../src/nn/bayes/group_variable.js';
import type { PrunableTensor } from '../../../src/nn/bayes/prunable_tensor.js';
import type { GroupGate } from '../../../src/nn/bayes/group_gate.js';

export function asSparseVD(p: PrunableTensor | tf.Variable): SparseVD {
  if (!(p instanceof SparseVD)) throw new Error('expected a SparseVD tensor');
  return p;
}

export function asGroupVariable(g: GroupGate | null | undefined): GroupVariable {
  if (!(g instanceof GroupVariable)) throw new Error('expected a SparseVD GroupVariable');
  return g;
}
