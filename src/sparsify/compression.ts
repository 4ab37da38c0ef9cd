// Compression metrics of a sparsified LSTM (spec rnn-sparsification §7), counted over the §3.3-propagated masks.
import { LSTM_GATES, type LstmStructure, type Mask } from './structure.js';
import { GRU_GATES } from './gru_structure.js';

/** `kept` out of `total`. */
export interface KeptCount {
  kept: number;
  total: number;
}

/** Gate counts over all gates (4H for LSTM, 3H for GRU), and per gate type (each out of H): i, f, g, o or r, z, n. */
export interface GateCounts extends KeptCount {
  byGate: Record<string, number>;
}

/** Nonzeros of one prunable tensor after propagation: `kept` nonzero out of `total` elements. */
export interface LstmTensorCounts {
  embedding?: KeptCount;
  inputWeights: KeptCount;
  hiddenWeights: KeptCount;
  outputWeights: KeptCount;
}

export interface CompressionReport {
  /** Prunable weights / nonzero weights; Infinity when every weight is pruned. */
  compressionRatio: number;
  /** 100 (1 - nonzero / prunable) = 100 (1 - 1 / compression); 100 when every weight is pruned. */
  sparsityPercent: number;
  prunableWeights: number;
  nonzeroWeights: number;
  perTensor: LstmTensorCounts;
  keptWords: KeptCount;
  keptInputs: KeptCount;
  keptHidden: KeptCount;
  keptGates: GateCounts;
  /** Gates removed while their neuron is kept: they become the constant act(b^k_j) (§3.1). */
  constantGates: GateCounts;
}

export function countNonzero(mask: Mask): number {
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) n++;
  return n;
}

/**
 * prunable / nonzero. All pruned (nonzero = 0) gives Infinity rather than an error: such a model is valid (it
 * predicts from biases alone) and the authors' code reports w_all / (0 + 1e-8), i.e. effectively infinite.
 */
export function compressionRatio(prunableWeights: number, nonzeroWeights: number): number {
  checkCounts(prunableWeights, nonzeroWeights);
  return nonzeroWeights === 0 ? Infinity : prunableWeights / nonzeroWeights;
}

/** 100 (1 - nonzero / prunable): 0 when nothing is pruned, 100 when everything is. */
export function sparsityPercent(prunableWeights: number, nonzeroWeights: number): number {
  checkCounts(prunableWeights, nonzeroWeights);
  return 100 * (1 - nonzeroWeights / prunableWeights);
}

/**
 * The §7 report, for an LSTM structure (gates [4H]) or a GRU one (deriveGruStructure, gates [3H]). Prunable weights are those of E (when present), W_x, W_h and W_out; biases, group variables,
 * log sigma and h0 are not counted.
 */
export function compressionReport(structure: LstmStructure): CompressionReport {
  const { shape, weights } = structure;
  const H = shape.hiddenSize;
  const perTensor: LstmTensorCounts = {
    inputWeights: keptCount(weights.inputWeights),
    hiddenWeights: keptCount(weights.hiddenWeights),
    outputWeights: keptCount(weights.outputWeights),
  };
  if (weights.embedding) perTensor.embedding = keptCount(weights.embedding);
  const tensors = Object.values(perTensor) as KeptCount[];
  const prunableWeights = tensors.reduce((s, t) => s + t.total, 0);
  const nonzeroWeights = tensors.reduce((s, t) => s + t.kept, 0);

  const constant = structure.gates.map((kept, c) => (!kept && structure.hidden[c % H] ? 1 : 0));
  return {
    compressionRatio: compressionRatio(prunableWeights, nonzeroWeights),
    sparsityPercent: sparsityPercent(prunableWeights, nonzeroWeights),
    prunableWeights,
    nonzeroWeights,
    perTensor,
    keptWords: keptCount(structure.words),
    keptInputs: keptCount(structure.inputs),
    keptHidden: keptCount(structure.hidden),
    keptGates: gateCounts(structure.gates, H),
    constantGates: gateCounts(constant, H),
  };
}

function keptCount(mask: Mask): KeptCount {
  return { kept: countNonzero(mask), total: mask.length };
}

function gateCounts(gates: Uint8Array, H: number): GateCounts {
  const names = gates.length === 3 * H ? GRU_GATES : LSTM_GATES;
  const byGate: Record<string, number> = {};
  names.forEach((gate, k) => { byGate[gate] = countNonzero(gates.subarray(k * H, (k + 1) * H)); });
  return { ...keptCount(gates), byGate };
}

function checkCounts(prunableWeights: number, nonzeroWeights: number): void {
  if (!(prunableWeights > 0) || !(nonzeroWeights >= 0) || nonzeroWeights > prunableWeights) {
    throw new Error(`compression: need 0 <= nonzero (${nonzeroWeights}) <= prunable (${prunableWeights}) and prunable > 0`);
  }
}
