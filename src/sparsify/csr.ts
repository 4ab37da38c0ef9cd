// Host matrices of a compact model, stored dense (row-major) or CSR, and the one product the compact forward needs:
// out += v M for a row vector v. Which format a matrix gets is decided once, when the model is built.

export type MatrixFormat = 'dense' | 'csr';

export interface DenseMatrix {
  format: 'dense';
  rows: number;
  cols: number;
  /** Row-major [rows * cols]. */
  values: Float32Array;
}

export interface CsrMatrix {
  format: 'csr';
  rows: number;
  cols: number;
  /** [rows + 1]: the nonzeros of row r are rowStart[r] .. rowStart[r + 1] - 1. */
  rowStart: Int32Array;
  columns: Int32Array;
  values: Float32Array;
}

export type StoredMatrix = DenseMatrix | CsrMatrix;

/**
 * Below this density (nonzeros / elements) CSR is faster than dense for v M in the compact forward. Calibrated
 * with a micro-benchmark of `accumulateRowTimesMatrix` (Node 20 on this project's 2-core Xeon; shapes 9x20,
 * 32x128, 128x512; every entry of v nonzero): V8 does not vectorise the dense loop, so dense costs ~1.5-1.8 ns
 * per element and CSR ~1.2-1.9 ns per nonzero; CSR was faster at density 0.6 (0.72-0.78x dense) and slower at
 * 1.0 (1.2-1.3x), so the crossover is near 0.75-0.8. docs/performance.md (compact section) has the table.
 */
export const CSR_MAX_DENSITY = 0.75;

/** 'auto': CSR when the density is below `csrMaxDensity` (default CSR_MAX_DENSITY), else dense. */
export type MatrixFormatChoice = MatrixFormat | 'auto';

export function countNonzeros(values: ArrayLike<number>): number {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) n++;
  return n;
}

export function chooseMatrixFormat(rows: number, cols: number, nonzeros: number, choice: MatrixFormatChoice = 'auto',
  csrMaxDensity = CSR_MAX_DENSITY): MatrixFormat {
  if (choice !== 'auto') return choice;
  const elements = rows * cols;
  return elements > 0 && nonzeros / elements < csrMaxDensity ? 'csr' : 'dense';
}

/** Stores a row-major [rows, cols] array in the chosen format (the array is copied). */
export function storeMatrix(values: ArrayLike<number>, rows: number, cols: number, choice: MatrixFormatChoice = 'auto',
  csrMaxDensity = CSR_MAX_DENSITY): StoredMatrix {
  if (values.length !== rows * cols) throw new Error(`storeMatrix: ${values.length} values for [${rows}, ${cols}]`);
  const nonzeros = countNonzeros(values);
  if (chooseMatrixFormat(rows, cols, nonzeros, choice, csrMaxDensity) === 'dense') {
    return { format: 'dense', rows, cols, values: Float32Array.from(values) };
  }
  const rowStart = new Int32Array(rows + 1);
  const columns = new Int32Array(nonzeros);
  const kept = new Float32Array(nonzeros);
  let n = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = values[r * cols + c];
      if (v !== 0) { columns[n] = c; kept[n] = v; n++; }
    }
    rowStart[r + 1] = n;
  }
  return { format: 'csr', rows, cols, rowStart, columns, values: kept };
}

/** Row-major dense copy of any stored matrix. */
export function denseValues(m: StoredMatrix): Float32Array {
  if (m.format === 'dense') return m.values;
  const out = new Float32Array(m.rows * m.cols);
  for (let r = 0; r < m.rows; r++) {
    for (let k = m.rowStart[r]; k < m.rowStart[r + 1]; k++) out[r * m.cols + m.columns[k]] = m.values[k];
  }
  return out;
}

export function matrixNonzeros(m: StoredMatrix): number {
  return m.format === 'csr' ? m.values.length : countNonzeros(m.values);
}

/** out[0..cols) += v M, where v has m.rows entries; zero entries of v are skipped. */
export function accumulateRowTimesMatrix(v: Float64Array, m: StoredMatrix, out: Float64Array): void {
  const { rows, cols } = m;
  if (m.format === 'dense') {
    const w = m.values;
    for (let r = 0; r < rows; r++) {
      const x = v[r];
      if (x === 0) continue;
      const base = r * cols;
      for (let c = 0; c < cols; c++) out[c] += x * w[base + c];
    }
    return;
  }
  const { rowStart, columns, values } = m;
  for (let r = 0; r < rows; r++) {
    const x = v[r];
    if (x === 0) continue;
    const end = rowStart[r + 1];
    for (let k = rowStart[r]; k < end; k++) out[columns[k]] += x * values[k];
  }
}
