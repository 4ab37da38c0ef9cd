// Small hand-built masks shared by the structure and compression tests; expected counts are worked out in the tests.
import type { LstmGroupMasks, LstmShape, LstmWeightMasks } from '../../src/sparsify/structure.js';

/** A rows x cols 0/1 mask (row-major) with exactly the listed [row, col] entries kept. */
export function maskWith(rows: number, cols: number, kept: [number, number][]): Uint8Array {
  const m = new Uint8Array(rows * cols);
  for (const [r, c] of kept) m[r * cols + c] = 1;
  return m;
}

/** The [row, col] coordinates of the nonzeros of a rows-wide-`cols` mask, row-major. */
export function keptEntries(mask: ArrayLike<number>, cols: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) out.push([Math.floor(i / cols), i % cols]);
  return out;
}

/**
 * Classifier with V = 4 words, D = 3 inputs, H = 3 hidden, C = 2 classes. Gate column k*H + j:
 * i0 i1 i2 | f0 f1 f2 | g0 g1 g2 | o0 o1 o2  =  0 1 2 | 3 4 5 | 6 7 8 | 9 10 11.
 * - word 1: empty embedding row, kept by z_voc; word 2: has weights, removed by z_voc;
 * - input 1: removed by z_x; input 2: its only W_x weight feeds o1, a gate of removed neuron 1;
 * - neuron 1: removed by z_h; neuron 2: no incoming weights, kept by its output row;
 * - gate o0: removed by z_gate while neuron 0 stays (a constant gate); its W_h weight (0, 9) stays counted.
 */
export function handBuiltClassifier(): { shape: LstmShape; weights: LstmWeightMasks<Uint8Array>; groups: LstmGroupMasks } {
  const shape: LstmShape = { vocabSize: 4, inputSize: 3, hiddenSize: 3, outputSize: 2 };
  const weights = {
    embedding: maskWith(4, 3, [[0, 0], [0, 1], [2, 0], [3, 1], [3, 2]]),
    inputWeights: maskWith(3, 12, [[0, 0], [0, 6], [0, 1], [1, 3], [2, 10]]),
    hiddenWeights: maskWith(3, 12, [[0, 3], [0, 9], [1, 7], [1, 0]]),
    outputWeights: maskWith(3, 2, [[0, 0], [1, 0], [1, 1], [2, 1]]),
  };
  const gates = new Uint8Array(12).fill(1);
  gates[9] = 0;
  const groups: LstmGroupMasks = {
    vocabulary: [1, 1, 0, 1],
    inputs: [true, false, true],
    hidden: [1, 0, 1],
    gates,
  };
  return { shape, weights, groups };
}

/**
 * One-hot LM with V = D = 3, H = 1, C = 3 (no embedding; z_x is the vocabulary variable). Gate columns i f g o.
 * - word 0: kept; word 1: z_x keeps it but its W_x row is empty; word 2: has a weight but z_x removes it;
 * - neuron 0 has no recurrent weights and is kept by its output row; gates i, f have input weights, g, o none.
 */
export function handBuiltLanguageModel(): { shape: LstmShape; weights: LstmWeightMasks<Uint8Array>; groups: LstmGroupMasks } {
  return {
    shape: { vocabSize: 3, inputSize: 3, hiddenSize: 1, outputSize: 3 },
    weights: {
      inputWeights: maskWith(3, 4, [[0, 0], [2, 1]]),
      hiddenWeights: new Uint8Array(4),
      outputWeights: maskWith(1, 3, [[0, 0], [0, 1]]),
    },
    groups: { inputs: [1, 1, 0] },
  };
}
