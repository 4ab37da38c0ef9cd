// Structural masks of a sparsified GRU classifier: the §3.3 rules of structure.ts (deriveLstmStructure) with the
// GRU's three gates r, z, n in blocks of H along the 3H axis. A GRU neuron with all-zero outgoing weights is
// removed for the same reason as an LSTM one: nothing downstream reads it.
import { deriveRecurrentStructure, type LstmGroupMasks, type LstmKeptSets, type LstmShape, type LstmWeightMasks } from './structure.js';

/** Gate order along the 3H axis (PyTorch's): reset, update, candidate. */
export const GRU_GATES = ['r', 'z', 'n'] as const;
export type GruGate = (typeof GRU_GATES)[number];

/** Kept sets (gates [3H]) plus the propagated weight masks (W_x [D, 3H], W_h [H, 3H]). */
export interface GruStructure extends LstmKeptSets {
  shape: LstmShape;
  weights: LstmWeightMasks<Uint8Array>;
}

/**
 * As deriveLstmStructure, for a GRU: gate (k, j) kept ⇔ z_gate AND column k*H+j of [W_x; W_h] has a kept weight,
 * and neuron j is kept; input d kept ⇔ row d of W_x has a kept weight AND z_x AND column d of E has one; word v
 * kept ⇔ z_voc (when given), else row v of E has a kept weight; hidden j kept ⇔ (row j of W_h OR of W_out has a
 * kept weight) AND z_h. Masks [3H] replace the LSTM's [4H].
 */
export function deriveGruStructure(shape: LstmShape, weights: LstmWeightMasks, groups: LstmGroupMasks = {}): GruStructure {
  return deriveRecurrentStructure(shape, GRU_GATES.length, weights, groups, 'GRU');
}
