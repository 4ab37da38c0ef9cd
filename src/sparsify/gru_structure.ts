// Structural masks of a sparsified GRU classifier: the §3.3 rules of structure.ts (deriveLstmStructure) with the
// GRU's three gates r, z, n in blocks of H along the 3H axis. A GRU neuron with all-zero outgoing weights is
// removed for the same reason as an LSTM one: nothing downstream reads it.
import type { LstmGroupMasks, LstmKeptSets, LstmShape, LstmWeightMasks, Mask } from './structure.js';

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
  const { vocabSize: V, inputSize: D, hiddenSize: H, outputSize: C } = shape;
  const G = 3 * H;
  checkGruShapes(shape, weights, groups);
  const { embedding, inputWeights: wx, hiddenWeights: wh, outputWeights: wout } = weights;

  const inputs = anyPerRow(wx, D, G);
  andInto(inputs, groups.inputs);
  if (embedding) andInto(inputs, anyPerColumn(embedding, V, D));
  const words = embedding ? (groups.vocabulary ? toBits(groups.vocabulary) : anyPerRow(embedding, V, D)) : inputs.slice();

  const hidden = anyPerRow(wh, H, G);
  const outRows = anyPerRow(wout, H, C);
  for (let j = 0; j < H; j++) if (outRows[j]) hidden[j] = 1;
  andInto(hidden, groups.hidden);

  const gates = anyPerColumn(wx, D, G);
  const recurrentColumns = anyPerColumn(wh, H, G);
  for (let c = 0; c < G; c++) if (recurrentColumns[c]) gates[c] = 1;
  andInto(gates, groups.gates);
  for (let c = 0; c < G; c++) if (!hidden[c % H]) gates[c] = 0;

  const keepWhere = (mask: Mask, rows: number, cols: number, rowKept: (r: number) => number,
    colKept: (c: number) => number): Uint8Array => {
    const out = new Uint8Array(rows * cols);
    for (let r = 0; r < rows; r++) {
      if (!rowKept(r)) continue;
      for (let c = 0; c < cols; c++) out[r * cols + c] = mask[r * cols + c] && colKept(c) ? 1 : 0;
    }
    return out;
  };
  const hiddenOfColumn = (c: number): number => hidden[c % H];
  const propagated: LstmWeightMasks<Uint8Array> = {
    inputWeights: keepWhere(wx, D, G, (d) => inputs[d], hiddenOfColumn),
    hiddenWeights: keepWhere(wh, H, G, (l) => hidden[l], hiddenOfColumn),
    outputWeights: keepWhere(wout, H, C, (j) => hidden[j], () => 1),
  };
  if (embedding) propagated.embedding = keepWhere(embedding, V, D, (v) => words[v], (e) => inputs[e]);
  return { shape, words, inputs, hidden, gates, weights: propagated };
}

function toBits(mask: Mask): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let i = 0; i < mask.length; i++) out[i] = mask[i] ? 1 : 0;
  return out;
}

function anyPerRow(mask: Mask, rows: number, cols: number): Uint8Array {
  const out = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) if (mask[r * cols + c]) { out[r] = 1; break; }
  }
  return out;
}

function anyPerColumn(mask: Mask, rows: number, cols: number): Uint8Array {
  const out = new Uint8Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) if (mask[r * cols + c]) out[c] = 1;
  }
  return out;
}

function andInto(bits: Uint8Array, other: Mask | undefined): void {
  if (!other) return;
  for (let i = 0; i < bits.length; i++) if (!other[i]) bits[i] = 0;
}

function checkGruShapes(shape: LstmShape, weights: LstmWeightMasks, groups: LstmGroupMasks): void {
  const { vocabSize: V, inputSize: D, hiddenSize: H, outputSize: C } = shape;
  for (const [name, n] of Object.entries(shape)) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`GRU structure: ${name} must be a positive integer, got ${n}`);
  }
  if (!weights.embedding && V !== D) {
    throw new Error(`GRU structure: without an embedding the input is one-hot, so vocabSize (${V}) must equal inputSize (${D})`);
  }
  const expected: [string, Mask | undefined, number, string][] = [
    ['embedding', weights.embedding, V * D, `[${V}, ${D}]`],
    ['inputWeights', weights.inputWeights, D * 3 * H, `[${D}, ${3 * H}]`],
    ['hiddenWeights', weights.hiddenWeights, H * 3 * H, `[${H}, ${3 * H}]`],
    ['outputWeights', weights.outputWeights, H * C, `[${H}, ${C}]`],
    ['groups.vocabulary', groups.vocabulary, V, `[${V}]`],
    ['groups.inputs', groups.inputs, D, `[${D}]`],
    ['groups.hidden', groups.hidden, H, `[${H}]`],
    ['groups.gates', groups.gates, 3 * H, `[${3 * H}]`],
  ];
  for (const [name, mask, size, dims] of expected) {
    if (mask && mask.length !== size) throw new Error(`GRU structure: ${name} has ${mask.length} elements, expected ${dims} = ${size}`);
  }
}
