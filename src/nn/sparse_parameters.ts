// Host-side helpers over parameters that are either a prunable tensor (SparseVD posterior, L0-gated weights) or a
// plain tf.Variable, and over group gates, shared by the sparse models (text classifier, language model): initial
// values and the kept masks §3.3 reads.
import { tf } from '../engine/tf.js';
import { isPrunable, type PrunableTensor } from './bayes/prunable_tensor.js';
import type { GroupGate } from './bayes/group_gate.js';
import type { BayesianRecurrent } from './bayes/bayesian_recurrent.js';
import type { LstmGroupMasks } from '../sparsify/structure.js';

/** Sets a plain parameter or a prunable tensor's theta to `value` and frees `value`. */
export function assignInit(p: PrunableTensor | tf.Variable, value: tf.Tensor): void {
  (isPrunable(p) ? p.theta : p).assign(value);
  value.dispose();
}

/** Host 0/1 kept mask: the method's mask for a prunable tensor or group gate; everything for a plain parameter. */
export function hostKept(p: PrunableTensor | GroupGate | tf.Variable): Uint8Array {
  if (p instanceof tf.Variable) return new Uint8Array(p.size).fill(1);
  const mask = p.keptMask();
  const out = Uint8Array.from(mask.dataSync());
  mask.dispose();
  return out;
}

/** The kept masks of a recurrent layer's groups z_x, z_h, z_gate (absent where the group is not used). */
export function recurrentGroupMasks(layer: BayesianRecurrent): LstmGroupMasks {
  const groups: LstmGroupMasks = {};
  if (layer.inputGroups) groups.inputs = hostKept(layer.inputGroups);
  if (layer.hiddenGroups) groups.hidden = hostKept(layer.hiddenGroups);
  if (layer.gateGroups) groups.gates = hostKept(layer.gateGroups);
  return groups;
}
