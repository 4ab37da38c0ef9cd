// Randomized truncated SVD (Halko, Martinsson & Tropp 2011, Alg. 4.4: randomized subspace iteration) of a sparse CSR
// matrix. Sparse x dense products run in plain loops (the matrix is never densified); the dense tall-skinny products
// go through tf.matMul (native GEMM when loaded); the small l x l problems (Cholesky, symmetric eigen-decomposition by
// cyclic Jacobi) run in float64 on the host.
import { tf } from '../engine/tf.js';

/** Compressed sparse rows: row r holds colIndex/values[rowPtr[r] .. rowPtr[r + 1]). */
export interface SparseRowMatrix {
  rows: number;
  cols: number;
  rowPtr: Int32Array;
  colIndex: Int32Array;
  values: Float32Array | Float64Array;
}

export interface RandomizedSvdOptions {
  /** Number of singular triplets returned. */
  rank: number;
  /** Extra random directions beyond `rank` (Halko's p). Default 20. */
  oversampling?: number;
  /** Subspace (power) iterations; each costs two sparse products. Default 3. */
  powerIterations?: number;
  /** Seed of the Gaussian test matrix: same seed, same result. Default 0. */
  seed?: number;
  /** Also return the right singular vectors. Default false. */
  computeV?: boolean;
}

export interface TruncatedSvd {
  /** Left singular vectors, row-major [rows, rank]. */
  u: Float32Array;
  /** Singular values, descending, length rank (0 past the numerical rank). */
  s: Float64Array;
  /** Right singular vectors, row-major [cols, rank], when computeV was set. */
  v?: Float32Array;
  rank: number;
}

/** A ~= U diag(s) V^T with the `rank` largest singular values. */
export function randomizedSvd(matrix: SparseRowMatrix, options: RandomizedSvdOptions): TruncatedSvd {
  // float64 values everywhere keeps the product loops monomorphic (one JIT specialisation).
  const a = matrix.values instanceof Float64Array ? matrix : { ...matrix, values: Float64Array.from(matrix.values) };
  const { rank, oversampling = 20, powerIterations = 3, seed = 0, computeV = false } = options;
  if (!Number.isInteger(rank) || rank < 1 || rank > Math.min(a.rows, a.cols))
    throw new RangeError(`randomizedSvd: rank must be an integer in [1, ${Math.min(a.rows, a.cols)}], got ${rank}`);
  checkCsr(a);
  const at = transposeCsr(a); // A^T X as a row-gather product: ~1.5x faster than scattering into A^T X's rows
  let width = Math.min(rank + Math.max(0, oversampling), a.rows, a.cols);
  const omega = gaussianMatrix(a.cols * width, seed);
  let q = orthonormalColumns(csrTimesDense(a, omega, width), a.rows, width);
  width = q.cols;
  for (let i = 0; i < powerIterations; i++) {
    const qt = orthonormalColumns(csrTimesDense(at, q.values, width), a.cols, width);
    q = orthonormalColumns(csrTimesDense(a, qt.values, qt.cols), a.rows, qt.cols);
    width = q.cols;
  }
  // B = Q^T A is width x cols; Z = B^T = A^T Q. B B^T = Z^T Z = W diag(s^2) W^T gives U = Q W.
  const z = csrTimesDense(at, q.values, width);
  const gram = gramMatrix(z, a.cols, width);
  const { values: eig, vectors: w } = symmetricEigen(gram, width);
  const keep = Math.min(rank, width);
  const s = new Float64Array(rank);
  const wTop = new Float32Array(width * rank); // [width, rank], zero columns past `keep`
  for (let j = 0; j < keep; j++) {
    s[j] = Math.sqrt(Math.max(0, eig[j]));
    for (let r = 0; r < width; r++) wTop[r * rank + j] = w[r * width + j];
  }
  const u = denseProduct(q.values, a.rows, width, wTop, rank);
  if (!computeV) return { u, s, rank };
  const scaled = new Float32Array(width * rank); // W diag(1/s)
  for (let j = 0; j < keep; j++) if (s[j] > 0) for (let r = 0; r < width; r++) scaled[r * rank + j] = wTop[r * rank + j] / s[j];
  return { u, s, v: denseProduct(z, a.cols, width, scaled, rank), rank };
}

/** A X for X row-major [a.cols, k]; returns [a.rows, k]. */
export function csrTimesDense(a: SparseRowMatrix, x: Float32Array, k: number): Float32Array {
  if (x.length !== a.cols * k) throw new RangeError(`csrTimesDense: expected ${a.cols} x ${k} values, got ${x.length}`);
  const out = new Float32Array(a.rows * k), acc = new Float64Array(k);
  const { rowPtr, colIndex, values } = a;
  for (let r = 0; r < a.rows; r++) {
    acc.fill(0);
    for (let p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
      const v = values[p], base = colIndex[p] * k;
      for (let t = 0; t < k; t++) acc[t] += v * x[base + t];
    }
    out.set(acc, r * k);
  }
  return out;
}

/** The transpose in CSR form (i.e. A in compressed sparse columns), values as float64. */
export function transposeCsr(a: SparseRowMatrix): SparseRowMatrix & { values: Float64Array } {
  const nnz = a.colIndex.length, rowPtr = new Int32Array(a.cols + 1);
  for (let p = 0; p < nnz; p++) rowPtr[a.colIndex[p] + 1]++;
  for (let c = 0; c < a.cols; c++) rowPtr[c + 1] += rowPtr[c];
  const fill = rowPtr.slice(0, a.cols), colIndex = new Int32Array(nnz), values = new Float64Array(nnz);
  for (let r = 0; r < a.rows; r++) {
    for (let p = a.rowPtr[r]; p < a.rowPtr[r + 1]; p++) {
      const at = fill[a.colIndex[p]]++;
      colIndex[at] = r;
      values[at] = a.values[p];
    }
  }
  return { rows: a.cols, cols: a.rows, rowPtr, colIndex, values };
}

/** A^T X for X row-major [a.rows, k]; returns [a.cols, k]. */
export function csrTransposeTimesDense(a: SparseRowMatrix, x: Float32Array, k: number): Float32Array {
  if (x.length !== a.rows * k) throw new RangeError(`csrTransposeTimesDense: expected ${a.rows} x ${k} values, got ${x.length}`);
  const acc = new Float64Array(a.cols * k);
  const { rowPtr, colIndex, values } = a;
  for (let r = 0; r < a.rows; r++) {
    const xBase = r * k;
    for (let p = rowPtr[r]; p < rowPtr[r + 1]; p++) {
      const v = values[p], base = colIndex[p] * k;
      for (let t = 0; t < k; t++) acc[base + t] += v * x[xBase + t];
    }
  }
  return Float32Array.from(acc);
}

/**
 * An orthonormal basis of the column space of Y [rows, cols] (row-major), by CholeskyQR2: R from a pivoted Cholesky
 * of Y^T Y, Q = Y R^-1, then the same again on Q to restore orthogonality lost to rounding. Columns that are
 * (numerically) dependent are dropped, so the basis may have fewer columns than Y.
 */
export function orthonormalColumns(y: Float32Array, rows: number, cols: number): { values: Float32Array; cols: number } {
  let current = { values: y, cols };
  for (let pass = 0; pass < 2; pass++) {
    const gram = gramMatrix(current.values, rows, current.cols);
    const { inverseR, kept } = pivotedCholeskyInverse(gram, current.cols, pass === 0 ? 1e-6 : 1e-9);
    if (kept.length === 0) throw new Error('orthonormalColumns: the matrix is zero');
    // Q = Y[:, kept] R^-1 = Y P, where P [cols, kept.length] places R^-1's rows at the kept columns.
    const k = kept.length, p = new Float32Array(current.cols * k);
    for (let i = 0; i < k; i++) for (let j = i; j < k; j++) p[kept[i] * k + j] = inverseR[i * k + j];
    current = { values: denseProduct(current.values, rows, current.cols, p, k), cols: k };
  }
  return current;
}

/**
 * Eigen-decomposition of a symmetric n x n matrix (row-major, float64) by cyclic Jacobi rotations. Returns the
 * eigenvalues in descending order and the eigenvectors as the columns of `vectors` (row-major n x n).
 */
export function symmetricEigen(matrix: Float64Array, n: number, maxSweeps = 60): { values: Float64Array; vectors: Float64Array } {
  if (matrix.length !== n * n) throw new RangeError(`symmetricEigen: expected ${n} x ${n} values, got ${matrix.length}`);
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  let scale = 0;
  for (let i = 0; i < n * n; i++) scale += a[i] * a[i];
  const tolerance = 1e-26 * scale;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
    if (off <= tolerance) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q];
        if (apq * apq <= 1e-36 * scale) continue;
        const app = a[p * n + p], aqq = a[q * n + q];
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1), s = t * c;
        // A <- J^T A J on rows/columns p and q (A stays symmetric, so update rows then mirror).
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p], akq = a[k * n + q];
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k], aqk = a[q * n + k];
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p], vkq = v[k * n + q];
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j] - a[i * n + i]);
  const values = new Float64Array(n), vectors = new Float64Array(n * n);
  order.forEach((src, dst) => {
    values[dst] = a[src * n + src];
    for (let k = 0; k < n; k++) vectors[k * n + dst] = v[k * n + src];
  });
  return { values, vectors };
}

/** Y^T Y in float64 from a float32 GEMM, for Y row-major [rows, cols]. */
function gramMatrix(y: Float32Array, rows: number, cols: number): Float64Array {
  const g = tf.tidy(() => {
    const t = tf.tensor2d(y, [rows, cols]);
    return tf.matMul(t, t, true, false);
  });
  const out = Float64Array.from(g.dataSync());
  g.dispose();
  for (let i = 0; i < cols; i++) for (let j = i + 1; j < cols; j++) { // symmetrise GEMM rounding
    const m = 0.5 * (out[i * cols + j] + out[j * cols + i]);
    out[i * cols + j] = m;
    out[j * cols + i] = m;
  }
  return out;
}

/** X [rows, inner] times W [inner, cols], both row-major float32. */
function denseProduct(x: Float32Array, rows: number, inner: number, w: Float32Array, cols: number): Float32Array {
  const out = tf.tidy(() => tf.matMul(tf.tensor2d(x, [rows, inner]), tf.tensor2d(w, [inner, cols])));
  const values = out.dataSync() as Float32Array;
  const copy = Float32Array.from(values);
  out.dispose();
  return copy;
}

/**
 * Diagonal-pivoted Cholesky G[kept, kept] = R^T R, stopping when the largest remaining diagonal falls below
 * `relativeTolerance` times the largest initial one. Returns R^-1 (upper triangular, row-major k x k) and the kept
 * column indices in pivot order.
 */
function pivotedCholeskyInverse(gram: Float64Array, n: number, relativeTolerance: number): { inverseR: Float64Array; kept: number[] } {
  const g = Float64Array.from(gram);
  const perm = Array.from({ length: n }, (_, i) => i);
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, g[i * n + i]);
  const r = new Float64Array(n * n);
  let k = 0;
  for (; k < n; k++) {
    let best = k;
    for (let i = k + 1; i < n; i++) if (g[perm[i] * n + perm[i]] > g[perm[best] * n + perm[best]]) best = i;
    const d = g[perm[best] * n + perm[best]];
    if (!(d > relativeTolerance * maxDiag)) break;
    [perm[k], perm[best]] = [perm[best], perm[k]];
    for (let m = 0; m < k; m++) [r[m * n + k], r[m * n + best]] = [r[m * n + best], r[m * n + k]]; // R's columns follow the pivots
    // Row k of R (columns in pivot order), then the Schur complement update of the remaining block.
    const pk = perm[k], rkk = Math.sqrt(d);
    r[k * n + k] = rkk;
    for (let j = k + 1; j < n; j++) r[k * n + j] = g[pk * n + perm[j]] / rkk;
    for (let i = k + 1; i < n; i++) {
      const ri = r[k * n + i], pi = perm[i];
      for (let j = i; j < n; j++) {
        const pj = perm[j];
        const updated = g[pi * n + pj] - ri * r[k * n + j];
        g[pi * n + pj] = updated;
        g[pj * n + pi] = updated;
      }
    }
  }
  // Invert the leading k x k upper triangle by back substitution, column by column.
  const inv = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    inv[j * k + j] = 1 / r[j * n + j];
    for (let i = j - 1; i >= 0; i--) {
      let sum = 0;
      for (let m = i + 1; m <= j; m++) sum += r[i * n + m] * inv[m * k + j];
      inv[i * k + j] = -sum / r[i * n + i];
    }
  }
  return { inverseR: inv, kept: perm.slice(0, k) };
}

/** Standard normal values from a seeded mulberry32 stream (Box-Muller), independent of the tf backend. */
function gaussianMatrix(n: number, seed: number): Float32Array {
  let state = seed >>> 0;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  const out = new Float32Array(n);
  for (let i = 0; i < n; i += 2) {
    const radius = Math.sqrt(-2 * Math.log(uniform())), angle = 2 * Math.PI * uniform();
    out[i] = radius * Math.cos(angle);
    if (i + 1 < n) out[i + 1] = radius * Math.sin(angle);
  }
  return out;
}

function checkCsr(a: SparseRowMatrix): void {
  if (a.rowPtr.length !== a.rows + 1 || a.rowPtr[0] !== 0 || a.rowPtr[a.rows] !== a.colIndex.length || a.colIndex.length !== a.values.length)
    throw new RangeError(`randomizedSvd: malformed CSR matrix (rows ${a.rows}, rowPtr ${a.rowPtr.length}, nnz ${a.colIndex.length}/${a.values.length})`);
}
