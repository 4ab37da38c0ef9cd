// The data of a compact text classifier (spec rnn-sparsification §3.4): everything pruned is physically gone and every
// group variable is folded into the weights. Plain host arrays only, so it runs and serialises without tfjs state.
import type { GateActivation } from '../engine/ops/rnn_options.js';
import type { StoredMatrix } from './csr.js';

export type CompactCellKind = 'lstm' | 'gru';

/**
 * The recurrent cell over Hk kept neurons. Gate slot k*Hk + j is gate k (LSTM i, f, g, o; GRU r, z, n) of kept
 * neuron j. A slot has a live column (0..Gk) in the input and recurrent matrices, or none (-1); a constant slot
 * uses gateConstants[slot] (kappa) and never reads the matrices.
 */
export interface CompactCell {
  kind: CompactCellKind;
  gateActivation: GateActivation;
  /** Hk: kept hidden neurons. */
  hiddenSize: number;
  /** [Dk, Gk]: effective input weights of the live gate columns (theta * mask * mu_x * mu_gate). */
  inputWeights: StoredMatrix;
  /** [Hk, Gk]: effective recurrent weights (theta * mask * mu_gate; LSTM also * mu_h of the row). */
  hiddenWeights: StoredMatrix;
  /** [gates * Hk]: live column of each slot, -1 when its column is all zero. */
  gateColumns: Int32Array;
  /** [gates * Hk]: 1 where the gate is constant (folded into the cell update as kappa). */
  constantGates: Uint8Array;
  /** [gates * Hk]: kappa where constant, else 0. */
  gateConstants: Float32Array;
  /** [gates * Hk]: bias outside the gate mask (GRU r, z: b + b_h; GRU n: b only). */
  gateBias: Float32Array;
  /** GRU only, [Hk]: b_hn * mu_gate of n, added to the recurrent candidate projection before r multiplies it. */
  candidateRecurrentBias?: Float32Array;
  /** GRU only, [Hk]: mu_h (1 without hidden groups). h_t = mu_h * ((1 - z) n + z h_{t-1}) keeps the full model's h. */
  hiddenScale?: Float32Array;
}

/** Kept counts of the §3.3 structure (as classifier.compression() reports them) and what the compact model folds. */
export interface CompactSummary {
  words: { kept: number; total: number };
  inputs: { kept: number; total: number };
  hidden: { kept: number; total: number };
  /** §3.3 kept gates (out of gates * H). */
  gates: { kept: number; total: number };
  /** Gate slots of kept neurons with no matrix column: §3.3's removed gates plus any whose kept weights all fell away. */
  constantGates: number;
  /** Gate columns left in the matrix products. */
  liveColumns: number;
}

export interface CompactTextClassifierData {
  cell: CompactCell;
  /** V of the full model: ids 0..V-1 are accepted. */
  vocabSize: number;
  classes: number;
  /** [Wk]: original id of each kept word, in embedding-row order. */
  keptWords: Int32Array;
  /** [Dk]: original index of each kept LSTM/GRU input (embedding column). */
  keptInputs: Int32Array;
  /** [Hk]: original index of each kept hidden neuron. */
  keptHidden: Int32Array;
  /** [Wk, Dk]: effective embedding (theta * mask * mu_voc) of the kept words and inputs. */
  embedding: StoredMatrix;
  /** [Hk, C]: effective output weights (LSTM rows also * mu_h). */
  outputWeights: StoredMatrix;
  /** [C]. */
  outputBias: Float32Array;
  summary: CompactSummary;
}

export function gateCount(kind: CompactCellKind): number {
  return kind === 'lstm' ? 4 : 3;
}
