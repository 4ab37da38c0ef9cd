// Which groups the group-lasso / magnitude-pruning method uses on the recurrent text classifier (spec
// rnn-sparsification §5, pruning branch, in the style of Wen et al. 2018's intrinsic sparse structures), chosen by
// the same presets as the Bayesian method (§3.2): a vocabulary group stands where z_voc would, input and hidden
// neuron groups where z_x and z_h would, gate groups where z_gate would, and weight-level magnitude pruning where a
// tensor's weights would be SparseVD.
//
// Tensors (row-vector convention, gate blocks of H columns in the order of the fused ops: i, f, g, o for the LSTM;
// r, z, n for the GRU): embedding E [V, D], input kernel W_x [D, G*H], recurrent kernel W_h [H, G*H], output
// W_out [H, C]. The groups:
// - vocabulary word v: row v of E (size D);
// - input neuron d: row d of W_x across all gates (size G*H); when pruned, column d of E is dead as well;
// - hidden neuron l: row l of W_h across all gates plus row l of W_out (size G*H + C), i.e. only what reads h_l.
//   Decision: unlike ISS, the neuron's own gate columns are NOT in its group. §5 lists only the outgoing rows; §3.3
//   never removes a neuron for its incoming weights (the biases keep it alive); with gate groups on (w+g+n) those
//   columns are groups of their own and would be penalised twice; and once the neuron is pruned they are dead and
//   zeroed by the pruning masks anyway (group_lasso_pruning.ts), so the compact model drops them all the same;
// - gate (k, j): column k*H + j of [W_x; W_h] (size D + H); when pruned the gate is the constant act(b).
import type { ClassifierSparsity } from './presets.js';

/** The four prunable tensors, keyed as src/sparsify/structure.ts's LstmWeightMasks (so a set of masks fits it). */
export interface ClassifierTensorSet<T> {
  /** E [V, D] */
  embedding: T;
  /** W_x [D, G*H] */
  inputWeights: T;
  /** W_h [H, G*H] */
  hiddenWeights: T;
  /** W_out [H, C] */
  outputWeights: T;
}

export type ClassifierTensorName = keyof ClassifierTensorSet<unknown>;

export const CLASSIFIER_TENSORS: readonly ClassifierTensorName[] = ['embedding', 'inputWeights', 'hiddenWeights', 'outputWeights'];

/** Group kinds, keyed as structure.ts's LstmGroupMasks (so the kept sets of the groups fit it). */
export type GroupKind = 'vocabulary' | 'inputs' | 'hidden' | 'gates';

export const GROUP_KINDS: readonly GroupKind[] = ['vocabulary', 'inputs', 'hidden', 'gates'];

/** Sizes as structure.ts's LstmShape plus the number of gate blocks G (4 for an LSTM, 3 for a GRU). */
export interface RecurrentClassifierShape {
  vocabSize: number;
  inputSize: number;
  hiddenSize: number;
  outputSize: number;
  gates: number;
}

export interface GroupLassoLayout {
  shape: RecurrentClassifierShape;
  /** Which group kinds exist (are penalised and can be pruned). */
  groups: Record<GroupKind, boolean>;
  /** Which tensors get weight-level magnitude pruning (those the preset makes SparseVD, "L"). */
  magnitude: Record<ClassifierTensorName, boolean>;
}

/** The number of gate blocks of a cell: 4 for the LSTM (i, f, g, o), 3 for the GRU (r, z, n). */
export function gateCount(cell: 'lstm' | 'gru'): number {
  return cell === 'gru' ? 3 : 4;
}

/**
 * The groups of a preset: vocabularyGroups -> vocabulary, neuronGroups -> inputs and hidden, gateGroups -> gates;
 * a tensor whose WeightKind is 'sparsevd' is magnitude-pruned, a 'dense' one is left whole. So 'sparsevd' is weight
 * pruning only, 'sparsevd-voc' adds words, 'w+n' adds words and neurons, 'w+g+n' adds gates too. Dropout rates in
 * the description are ignored here.
 */
export function groupLassoLayout(shape: RecurrentClassifierShape, sparsity: ClassifierSparsity): GroupLassoLayout {
  checkShape(shape);
  return {
    shape: { ...shape },
    groups: {
      vocabulary: sparsity.vocabularyGroups,
      inputs: sparsity.neuronGroups,
      hidden: sparsity.neuronGroups,
      gates: sparsity.gateGroups,
    },
    magnitude: {
      embedding: sparsity.embeddingWeights === 'sparsevd',
      inputWeights: sparsity.lstmWeights === 'sparsevd',
      hiddenWeights: sparsity.lstmWeights === 'sparsevd',
      outputWeights: sparsity.denseWeights === 'sparsevd',
    },
  };
}

/** How many groups of a kind there are: V words, D inputs, H hidden neurons, G*H gates. */
export function groupCount(shape: RecurrentClassifierShape, kind: GroupKind): number {
  switch (kind) {
    case 'vocabulary': return shape.vocabSize;
    case 'inputs': return shape.inputSize;
    case 'hidden': return shape.hiddenSize;
    case 'gates': return shape.gates * shape.hiddenSize;
  }
}

/** The number of weights in each group of a kind (all groups of a kind have the same size). */
export function groupSize(shape: RecurrentClassifierShape, kind: GroupKind): number {
  const GH = shape.gates * shape.hiddenSize;
  switch (kind) {
    case 'vocabulary': return shape.inputSize;
    case 'inputs': return GH;
    case 'hidden': return GH + shape.outputSize;
    case 'gates': return shape.inputSize + shape.hiddenSize;
  }
}

/** The [rows, cols] of each tensor. */
export function tensorShapes(shape: RecurrentClassifierShape): ClassifierTensorSet<[number, number]> {
  const GH = shape.gates * shape.hiddenSize;
  return {
    embedding: [shape.vocabSize, shape.inputSize],
    inputWeights: [shape.inputSize, GH],
    hiddenWeights: [shape.hiddenSize, GH],
    outputWeights: [shape.hiddenSize, shape.outputSize],
  };
}

/** Throws, naming `what`, unless each tensor of `tensors` has the layout's shape. */
export function checkTensorShapes(layout: GroupLassoLayout, tensors: ClassifierTensorSet<{ shape: number[] }>, what: string): void {
  const expected = tensorShapes(layout.shape);
  for (const name of CLASSIFIER_TENSORS) {
    const got = tensors[name].shape;
    if (got.join() !== expected[name].join()) {
      throw new Error(`${what}: ${name} has shape [${got}], expected [${expected[name]}] for the layout's shape`);
    }
  }
}

function checkShape(shape: RecurrentClassifierShape): void {
  for (const key of ['vocabSize', 'inputSize', 'hiddenSize', 'outputSize', 'gates'] as const) {
    const v = shape[key];
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`group-lasso layout: shape.${key} must be a positive integer, got ${v}`);
  }
}
