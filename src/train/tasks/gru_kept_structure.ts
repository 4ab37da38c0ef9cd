// The report's view of a sparsified GRU classifier's kept structure (KeptStructure of task.ts), read from its compact
// model: which of the gates r, z, n of each neuron are computed, constant or removed with their neuron. The compact
// model is where a GRU gate's constancy is decided (a dead n column is constant only when r is, or b_hn m_n = 0,
// see compact_gru.ts), so reading it there keeps the report and the compact forward in agreement.
import { GRU_GATES } from '../../sparsify/gru_structure.js';
import type { CompactTextClassifierData } from '../../sparsify/compact_model.js';
import type { KeptStructure } from '../task.js';

/**
 * `compact`: the classifier's compact model data (a GRU cell); `hiddenSize`: H of the full model; `tokens[v]`: the
 * text of word v. Gate k of neuron j: 1 computed, 0 constant (its kappa in constantGateValues), -1 neuron removed.
 */
export function gruKeptStructure(compact: CompactTextClassifierData, hiddenSize: number, tokens: readonly string[]): KeptStructure {
  const { cell, keptHidden, keptWords } = compact;
  if (cell.kind !== 'gru') throw new Error(`gruKeptStructure: the compact model has a ${cell.kind} cell, expected gru`);
  if (tokens.length !== compact.vocabSize) throw new Error(`gruKeptStructure: ${tokens.length} tokens for ${compact.vocabSize} vocabulary entries`);
  const Hk = keptHidden.length;
  const gateStates: Record<string, Int8Array> = {};
  const constantGateValues: Record<string, Float32Array> = {};
  GRU_GATES.forEach((gate, k) => {
    const states = new Int8Array(hiddenSize).fill(-1), values = new Float32Array(hiddenSize).fill(NaN);
    for (let jj = 0; jj < Hk; jj++) {
      const slot = k * Hk + jj, j = keptHidden[jj];
      const constant = cell.constantGates[slot] === 1;
      states[j] = constant ? 0 : 1;
      if (constant) values[j] = cell.gateConstants[slot];
    }
    gateStates[gate] = states;
    constantGateValues[gate] = values;
  });
  return { keptWords: Array.from(keptWords, (v) => tokens[v]), gateStates, constantGateValues };
}
