// Word vectors built from a classifier's own training split (rnn-practical-notes note 2): distance-weighted
// co-occurrence in a +-window, positive PMI with context-distribution smoothing, truncated SVD, U * sqrt(S), rescaled.
// Substitutes for the pretrained word2vec / GloVe vectors of spec §6.3, which are not available offline; it uses no
// labels and no test documents. Everything stays sparse: the V x V matrices are CSR, never dense.
import type { PaddedSequences } from './sequence_padding.js';
import { randomizedSvd, type SparseRowMatrix } from '../nn/randomized_svd.js';

export interface CooccurrenceOptions {
  /** Context words up to this many positions away on each side. Default 5. */
  window?: number;
  /** Ids below this (0 pad, 1 start, 2 OOV) are not counted as words or contexts; they still occupy their positions. Default 3. */
  firstWordId?: number;
}

export interface PpmiEmbeddingOptions extends CooccurrenceOptions {
  /** Vector size (the SVD rank). Default 300. */
  dim?: number;
  /** Context-distribution smoothing exponent (Levy, Goldberg & Dagan 2015). Default 0.75. */
  smoothing?: number;
  /** Target RMS of the vectors (see `scaling`). Default 0.15. */
  targetRms?: number;
  /**
   * 'per-component' (default, the note's wording): each of the `dim` coordinates is rescaled to RMS targetRms over the
   * words that have a vector (this also undoes the sqrt(S) weighting between coordinates). 'global': one factor for
   * the whole table, keeping U * sqrt(S)'s relative scales.
   */
  scaling?: 'per-component' | 'global';
  /** Randomized SVD seed. Default 1. */
  seed?: number;
  /** Randomized SVD subspace iterations. Default 3. */
  powerIterations?: number;
  /** Randomized SVD oversampling. Default 20. */
  oversampling?: number;
}

export interface PpmiEmbeddings {
  vocabSize: number;
  dim: number;
  /** Row-major [vocabSize, dim]; rows without a vector are 0. */
  vectors: Float32Array;
  /** 1 for the rows that have a vector (at least one positive PPMI entry), 0 for the rest. */
  rowsWithVector: Uint8Array;
  /** The top `dim` singular values of the PPMI matrix. */
  singularValues: Float64Array;
}

/** The real (unpadded) ids of each row of a left-padded split, as views. */
export function unpaddedSequences(split: PaddedSequences): Int32Array[] {
  const out: Int32Array[] = [];
  for (let r = 0; r < split.count; r++) {
    const end = (r + 1) * split.maxLength;
    out.push(split.ids.subarray(end - split.lengths[r], end));
  }
  return out;
}

/**
 * Symmetric co-occurrence matrix [vocabSize, vocabSize]: every pair of counted words d <= window positions apart in
 * the same sequence adds 1/d to both (w, c) and (c, w). Built row by row with a dense accumulator over an index of
 * each word's positions, so memory is O(tokens + nonzeros).
 */
export function cooccurrenceMatrix(sequences: readonly ArrayLike<number>[], vocabSize: number, options: CooccurrenceOptions = {}): SparseRowMatrix & { values: Float64Array } {
  const { window = 5, firstWordId = 3 } = options;
  if (!Number.isInteger(window) || window < 1) throw new RangeError(`cooccurrenceMatrix: window must be a positive integer, got ${window}`);
  // All sequences laid end to end with `window` gaps of -1 between them, so a +-window look never crosses a border.
  let total = window;
  for (const s of sequences) total += s.length + window;
  const tokens = new Int32Array(total).fill(-1);
  const occurrences = new Int32Array(vocabSize + 1);
  let at = window;
  sequences.forEach((s, si) => {
    for (let t = 0; t < s.length; t++, at++) {
      const id = s[t];
      if (!Number.isInteger(id) || id < 0 || id >= vocabSize) throw new RangeError(`cooccurrenceMatrix: sequence ${si} position ${t} has id ${id}, expected an integer in [0, ${vocabSize})`);
      if (id >= firstWordId) {
        tokens[at] = id;
        occurrences[id + 1]++;
      }
    }
    at += window;
  });
  for (let w = 0; w < vocabSize; w++) occurrences[w + 1] += occurrences[w]; // -> start offsets
  const positions = new Int32Array(occurrences[vocabSize]);
  const fill = occurrences.slice(0, vocabSize);
  for (let p = 0; p < total; p++) if (tokens[p] >= 0) positions[fill[tokens[p]]++] = p;

  const rowPtr = new Int32Array(vocabSize + 1);
  let colIndex = new Int32Array(1 << 20), values = new Float64Array(1 << 20), nnz = 0;
  const accumulator = new Float64Array(vocabSize), touched = new Int32Array(vocabSize);
  const weights = Float64Array.from({ length: window + 1 }, (_, d) => (d === 0 ? 0 : 1 / d));
  for (let w = 0; w < vocabSize; w++) {
    let nTouched = 0;
    for (let o = occurrences[w]; o < occurrences[w + 1]; o++) {
      const p = positions[o];
      for (let d = 1; d <= window; d++) {
        const left = tokens[p - d], right = tokens[p + d], weight = weights[d];
        if (left >= 0) {
          if (accumulator[left] === 0) touched[nTouched++] = left;
          accumulator[left] += weight;
        }
        if (right >= 0) {
          if (accumulator[right] === 0) touched[nTouched++] = right;
          accumulator[right] += weight;
        }
      }
    }
    const row = touched.subarray(0, nTouched).sort();
    if (nnz + nTouched > colIndex.length) {
      const size = Math.max(2 * colIndex.length, nnz + nTouched);
      const grownIndex = new Int32Array(size), grownValues = new Float64Array(size);
      grownIndex.set(colIndex.subarray(0, nnz));
      grownValues.set(values.subarray(0, nnz));
      colIndex = grownIndex;
      values = grownValues;
    }
    for (let i = 0; i < nTouched; i++) {
      const c = row[i];
      colIndex[nnz] = c;
      values[nnz++] = accumulator[c];
      accumulator[c] = 0;
    }
    rowPtr[w + 1] = nnz;
  }
  return { rows: vocabSize, cols: vocabSize, rowPtr, colIndex: colIndex.slice(0, nnz), values: values.slice(0, nnz) };
}

/**
 * Positive PMI with smoothed contexts: max(0, log(C(w,c) / (C(w) * P_a(c)))), where C(w) is w's row sum and
 * P_a(c) = C(c)^a / sum_c' C(c')^a over column sums. Zero entries are dropped.
 */
export function ppmiMatrix(counts: SparseRowMatrix, smoothing = 0.75): SparseRowMatrix & { values: Float32Array } {
  const { rows, cols, rowPtr, colIndex, values } = counts;
  const columnSums = new Float64Array(cols);
  for (let p = 0; p < colIndex.length; p++) columnSums[colIndex[p]] += values[p];
  let smoothedTotal = 0;
  const smoothed = new Float64Array(cols);
  for (let c = 0; c < cols; c++) {
    smoothed[c] = columnSums[c] > 0 ? Math.pow(columnSums[c], smoothing) : 0;
    smoothedTotal += smoothed[c];
  }
  const outPtr = new Int32Array(rows + 1), outIndex = new Int32Array(colIndex.length), outValues = new Float32Array(colIndex.length);
  let nnz = 0;
  for (let r = 0; r < rows; r++) {
    let rowSum = 0;
    for (let p = rowPtr[r]; p < rowPtr[r + 1]; p++) rowSum += values[p];
    for (let p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
      const c = colIndex[p];
      const pmi = Math.log(values[p] * smoothedTotal / (rowSum * smoothed[c]));
      if (pmi > 0) {
        outIndex[nnz] = c;
        outValues[nnz++] = pmi;
      }
    }
    outPtr[r + 1] = nnz;
  }
  return { rows, cols, rowPtr: outPtr, colIndex: outIndex.slice(0, nnz), values: outValues.slice(0, nnz) };
}

/** The whole recipe: co-occurrence -> PPMI -> rank-dim randomized SVD -> U sqrt(S) -> RMS rescaling. */
export function buildPpmiEmbeddings(sequences: readonly ArrayLike<number>[], vocabSize: number, options: PpmiEmbeddingOptions = {}): PpmiEmbeddings {
  const { dim = 300, smoothing = 0.75, targetRms = 0.15, scaling = 'per-component', seed = 1, powerIterations = 3, oversampling = 20 } = options;
  if (!Number.isInteger(dim) || dim < 1 || dim > vocabSize) throw new RangeError(`buildPpmiEmbeddings: dim must be an integer in [1, ${vocabSize}], got ${dim}`);
  const ppmi = ppmiMatrix(cooccurrenceMatrix(sequences, vocabSize, options), smoothing);
  const rowsWithVector = new Uint8Array(vocabSize);
  let nWithVector = 0;
  for (let r = 0; r < vocabSize; r++) if (ppmi.rowPtr[r + 1] > ppmi.rowPtr[r]) { rowsWithVector[r] = 1; nWithVector++; }
  const vectors = new Float32Array(vocabSize * dim);
  const singularValues = new Float64Array(dim);
  if (nWithVector === 0) return { vocabSize, dim, vectors, rowsWithVector, singularValues };
  const svd = randomizedSvd(ppmi, { rank: dim, oversampling, powerIterations, seed });
  singularValues.set(svd.s);
  for (let r = 0; r < vocabSize; r++) {
    if (!rowsWithVector[r]) continue;
    for (let j = 0; j < dim; j++) vectors[r * dim + j] = svd.u[r * dim + j] * Math.sqrt(svd.s[j]);
  }
  rescaleRms(vectors, dim, rowsWithVector, nWithVector, targetRms, scaling);
  return { vocabSize, dim, vectors, rowsWithVector, singularValues };
}

function rescaleRms(vectors: Float32Array, dim: number, rows: Uint8Array, nRows: number, target: number, scaling: 'per-component' | 'global'): void {
  const squares = new Float64Array(dim);
  for (let r = 0; r < rows.length; r++) if (rows[r]) for (let j = 0; j < dim; j++) squares[j] += vectors[r * dim + j] ** 2;
  const factors = new Float64Array(dim);
  if (scaling === 'global') {
    const rms = Math.sqrt(squares.reduce((a, b) => a + b, 0) / (nRows * dim));
    factors.fill(rms > 0 ? target / rms : 0);
  } else {
    for (let j = 0; j < dim; j++) {
      const rms = Math.sqrt(squares[j] / nRows);
      factors[j] = rms > 0 ? target / rms : 0; // a coordinate past the numerical rank stays 0
    }
  }
  for (let r = 0; r < rows.length; r++) if (rows[r]) for (let j = 0; j < dim; j++) vectors[r * dim + j] *= factors[j];
}
