// Host-side helpers over parameters that are either a SparseVD posterior or a plain tf.Variable, shared by the
// sparse models (text classifier, language model): initial values and the kept masks §3.3 reads.
import { tf } from '../engine/tf.js';
import { SparseVD } from './bayes/sparse_vd.js';
import type { BayesianRecurrent } from './bayes/bayesian_recurrent.js';
import type { LstmGroupMasks } from '../sparsify/structure.js';

/** Sets a plain parameter or a SparseVD mean to `value` and frees `value`. */
export function assignInit(p: SparseVD | tf.Variable, value: tf.Tensor): void {
  (p instanceof SparseVD ? p.theta : p).assign(value);
  value.dispose();
}

/** Host 0/1 kept mask: log alpha < 3 for a SparseVD tensor; everything for a plain parameter. */
export function hostKept(p: SparseVD | tf.Variable): Uint8Array {
  if (!(p instanceof SparseVD)) return new Uint8Array(p.size).fill(1);
  const mask = p.keptMask();
  const out = Uint8Array.from(mask.dataSync());
  mask.dispose();
  return out;
}

/** The kept masks of a recurrent layer's group variables z_x, z_h, z_gate (absent where the group is not used). */
export function recurrentGroupMasks(layer: BayesianRecurrent): LstmGroupMasks {
  const groups: LstmGroupMasks = {};
  if (layer.inputGroups) groups.inputs = hostKept(layer.inputGroups.z);
  if (layer.hiddenGroups) groups.hidden = hostKept(layer.hiddenGroups.z);
  if (layer.gateGroups) groups.gates = hostKept(layer.gateGroups.z);
  return groups;
}
