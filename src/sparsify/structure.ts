// Structural masks of a sparsified LSTM classifier or LM, derived from the per-weight and group masks
// after training (spec rnn-sparsification §3.3). Pure host-array code: masks are row-major, nonzero = kept.

/** A 0/1 (or boolean) mask, row-major; any nonzero / true element is kept. `keptMask().dataSync()` fits. */
export type Mask = ArrayLike<number | boolean>;

/** The four gates along the 4H axis, in blocks of H: column k*H + j is gate k of hidden neuron j. */
export const LSTM_GATES = ['i', 'f', 'g', 'o'] as const;
export type LstmGate = (typeof LSTM_GATES)[number];

/**
 * Sizes: V words, D LSTM inputs, H hidden neurons, C outputs. A one-hot LM (no embedding) has V = D:
 * its LSTM inputs are the words.
 */
export interface LstmShape {
  vocabSize: number;
  inputSize: number;
  hiddenSize: number;
  outputSize: number;
}

/** Kept masks of the prunable tensors: E [V, D] (absent for one-hot LMs), W_x [D, 4H], W_h [H, 4H], W_out [H, C]. */
export interface LstmWeightMasks<M extends Mask = Mask> {
  embedding?: M;
  inputWeights: M;
  hiddenWeights: M;
  outputWeights: M;
}

/**
 * Group-variable masks, each optional (absent = that group is not used): z_voc [V] (classifier vocabulary),
 * z_x [D] (LSTM inputs; for a one-hot LM this is the vocabulary variable), z_h [H], z_gate [4H].
 */
export interface LstmGroupMasks {
  vocabulary?: Mask;
  inputs?: Mask;
  hidden?: Mask;
  gates?: Mask;
}

/** The kept sets of §3.3, as 0/1 arrays: words [V], inputs [D], hidden [H], gates [4H]. */
export interface LstmKeptSets {
  words: Uint8Array;
  inputs: Uint8Array;
  hidden: Uint8Array;
  gates: Uint8Array;
}

/** Kept sets plus the propagated weight masks, over which nonzeros are counted (§7). */
export interface LstmStructure extends LstmKeptSets {
  shape: LstmShape;
  weights: LstmWeightMasks<Uint8Array>;
}

/**
 * Derives the kept words, inputs, hidden neurons and gates, then propagates them into the weight masks, in
 * one pass exactly as §3.3 (and the authors' `compute_compression_masks`):
 * - gate (k, j) kept ⇔ z_gate AND column k*H+j of [W_x; W_h] has a kept weight, and its neuron j is kept;
 * - input d kept ⇔ row d of W_x has a kept weight AND z_x, and (with an embedding) column d of E has one;
 * - word v kept ⇔ z_voc when given, else row v of E has a kept weight; one-hot LM: ⇔ input v kept;
 * - hidden j kept ⇔ (row j of W_h OR row j of W_out has a kept weight) AND z_h. Incoming weights alone never
 *   remove a neuron: o ⊙ tanh(c) still depends on the biases.
 * Every test reads the raw masks, so the pass is not a fixpoint: an input whose only kept weights feed a removed
 * neuron stays kept (its W_x row becomes empty), as in the repo's reported counts.
 */
export function deriveLstmStructure(shape: LstmShape, weights: LstmWeightMasks, groups: LstmGroupMasks = {}): LstmStructure {
  // LSTM only: a z_voc without an embedding is a caller's mistake (the one-hot LM's vocabulary variable is z_x).
  if (!weights.embedding && groups.vocabulary) {
    checkPositiveShape(shape, 'LSTM');
    if (shape.vocabSize === shape.inputSize) {
      throw new Error('LSTM structure: a vocabulary group needs an embedding; for a one-hot LM pass it as groups.inputs (z_x)');
    }
  }
  return deriveRecurrentStructure(shape, LSTM_GATES.length, weights, groups, 'LSTM');
}

/**
 * The §3.3 derivation for any gated recurrent layer whose gate axis holds `gateCount` blocks of H (4 for an LSTM,
 * 3 for a GRU): deriveLstmStructure's rules with masks [gateCount * H] in place of [4H]. `cellName` leads the
 * error messages.
 */
export function deriveRecurrentStructure(shape: LstmShape, gateCount: number, weights: LstmWeightMasks,
  groups: LstmGroupMasks = {}, cellName = 'recurrent'): LstmStructure {
  checkShapes(shape, gateCount, weights, groups, cellName);
  const { vocabSize: V, inputSize: D, hiddenSize: H, outputSize: C } = shape;
  const G = gateCount * H;
  const { embedding, inputWeights: wx, hiddenWeights: wh, outputWeights: wout } = weights;

  const inputs = anyPerRow(wx, D, G);
  andInto(inputs, groups.inputs);
  if (embedding) andInto(inputs, anyPerColumn(embedding, V, D));
  const words = embedding
    ? (groups.vocabulary ? toBits(groups.vocabulary) : anyPerRow(embedding, V, D))
    : inputs.slice();

  const hidden = anyPerRow(wh, H, G);
  orInto(hidden, anyPerRow(wout, H, C));
  andInto(hidden, groups.hidden);

  const gates = anyPerColumn(wx, D, G);
  orInto(gates, anyPerColumn(wh, H, G));
  andInto(gates, groups.gates);
  for (let c = 0; c < G; c++) if (!hidden[c % H]) gates[c] = 0;

  const kept: LstmKeptSets = { words, inputs, hidden, gates };
  return { shape, ...kept, weights: propagateMasks(shape, G, weights, kept) };
}

/**
 * The zeroing half of the §3.3 propagation: drops the embedding rows of removed words and columns of removed
 * inputs, the W_x rows of removed inputs, the W_x / W_h columns and W_h rows of removed hidden neurons and the
 * W_out rows of removed hidden neurons. Returns fresh 0/1 masks; the inputs are left alone.
 */
export function propagateLstmMasks(shape: LstmShape, weights: LstmWeightMasks, kept: LstmKeptSets): LstmWeightMasks<Uint8Array> {
  return propagateMasks(shape, LSTM_GATES.length * shape.hiddenSize, weights, kept);
}

/** propagateLstmMasks over a gate axis of G columns. */
function propagateMasks(shape: LstmShape, G: number, weights: LstmWeightMasks, kept: LstmKeptSets): LstmWeightMasks<Uint8Array> {
  const { vocabSize: V, inputSize: D, hiddenSize: H, outputSize: C } = shape;
  const hiddenOfColumn = (c: number): number => kept.hidden[c % H];
  const out: LstmWeightMasks<Uint8Array> = {
    inputWeights: keepWhere(weights.inputWeights, D, G, (d) => kept.inputs[d], hiddenOfColumn),
    hiddenWeights: keepWhere(weights.hiddenWeights, H, G, (l) => kept.hidden[l], hiddenOfColumn),
    outputWeights: keepWhere(weights.outputWeights, H, C, (j) => kept.hidden[j], () => 1),
  };
  if (weights.embedding) out.embedding = keepWhere(weights.embedding, V, D, (v) => kept.words[v], (e) => kept.inputs[e]);
  return out;
}

function keepWhere(mask: Mask, rows: number, cols: number, rowKept: (r: number) => number, colKept: (c: number) => number): Uint8Array {
  const out = new Uint8Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    if (!rowKept(r)) continue;
    for (let c = 0; c < cols; c++) out[r * cols + c] = mask[r * cols + c] && colKept(c) ? 1 : 0;
  }
  return out;
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

/** bits &= other, where an absent group mask (group not used) keeps everything. */
function andInto(bits: Uint8Array, other: Mask | undefined): void {
  if (!other) return;
  for (let i = 0; i < bits.length; i++) if (!other[i]) bits[i] = 0;
}

function orInto(bits: Uint8Array, other: Uint8Array): void {
  for (let i = 0; i < bits.length; i++) if (other[i]) bits[i] = 1;
}

function checkPositiveShape(shape: LstmShape, cellName: string): void {
  for (const [name, n] of Object.entries(shape)) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`${cellName} structure: ${name} must be a positive integer, got ${n}`);
  }
}

function checkShapes(shape: LstmShape, gateCount: number, weights: LstmWeightMasks, groups: LstmGroupMasks, cellName: string): void {
  const { vocabSize: V, inputSize: D, hiddenSize: H, outputSize: C } = shape;
  const G = gateCount * H;
  checkPositiveShape(shape, cellName);
  if (!weights.embedding && V !== D) {
    throw new Error(`${cellName} structure: without an embedding the input is one-hot, so vocabSize (${V}) must equal inputSize (${D})`);
  }
  const expected: [string, Mask | undefined, number, string][] = [
    ['embedding', weights.embedding, V * D, `[${V}, ${D}]`],
    ['inputWeights', weights.inputWeights, D * G, `[${D}, ${G}]`],
    ['hiddenWeights', weights.hiddenWeights, H * G, `[${H}, ${G}]`],
    ['outputWeights', weights.outputWeights, H * C, `[${H}, ${C}]`],
    ['groups.vocabulary', groups.vocabulary, V, `[${V}]`],
    ['groups.inputs', groups.inputs, D, `[${D}]`],
    ['groups.hidden', groups.hidden, H, `[${H}]`],
    ['groups.gates', groups.gates, G, `[${G}]`],
  ];
  for (const [name, mask, size, dims] of expected) {
    if (mask && mask.length !== size) throw new Error(`${cellName} structure: ${name} has ${mask.length} elements, expected ${dims} = ${size}`);
  }
}
