import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csrTimesDense, csrTransposeTimesDense, orthonormalColumns, randomizedSvd, symmetricEigen, type SparseRowMatrix } from '../../src/nn/randomized_svd.js';
import { rng } from '../helpers.js';

/** k orthonormal vectors of length n (Gram-Schmidt on seeded random vectors). */
function orthonormal(n: number, k: number, seed: number): Float64Array[] {
  const rand = rng(seed), out: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const v = Float64Array.from({ length: n }, () => rand() - 0.5);
    for (let pass = 0; pass < 2; pass++) for (const u of out) {
      const d = v.reduce((a, x, i) => a + x * u[i], 0);
      for (let i = 0; i < n; i++) v[i] -= d * u[i];
    }
    const norm = Math.hypot(...v);
    out.push(v.map((x) => x / norm));
  }
  return out;
}

function denseToCsr(rows: number, cols: number, at: (i: number, j: number) => number): SparseRowMatrix {
  const rowPtr = new Int32Array(rows + 1), colIndex: number[] = [], values: number[] = [];
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const x = at(i, j);
      if (x !== 0) { colIndex.push(j); values.push(x); }
    }
    rowPtr[i + 1] = colIndex.length;
  }
  return { rows, cols, rowPtr, colIndex: Int32Array.from(colIndex), values: Float64Array.from(values) };
}

const M = 70, N = 50, S = [9, 5, 2.5, 1, 0.5];
const U = orthonormal(M, S.length, 1), V = orthonormal(N, S.length, 2);
const lowRank = denseToCsr(M, N, (i, j) => S.reduce((a, s, k) => a + U[k][i] * s * V[k][j], 0));

test('randomizedSvd recovers the singular values and vectors of a known rank-5 matrix', () => {
  const r = randomizedSvd(lowRank, { rank: 5, oversampling: 5, powerIterations: 2, seed: 3, computeV: true });
  for (let k = 0; k < S.length; k++) {
    assert.ok(Math.abs(r.s[k] - S[k]) < 1e-4 * S[0], `s[${k}] = ${r.s[k]}, expected ${S[k]}`);
    // Up to sign: |<u_k, U_k>| = 1 and |<v_k, V_k>| = 1.
    let du = 0, dv = 0;
    for (let i = 0; i < M; i++) du += r.u[i * 5 + k] * U[k][i];
    for (let j = 0; j < N; j++) dv += r.v![j * 5 + k] * V[k][j];
    assert.ok(Math.abs(Math.abs(du) - 1) < 1e-4 && Math.abs(Math.abs(dv) - 1) < 1e-4, `vector ${k}: |<u,U>| = ${du}, |<v,V>| = ${dv}`);
  }
});

test('randomizedSvd asked for more than the rank pads with zero singular values', () => {
  const r = randomizedSvd(lowRank, { rank: 8, oversampling: 4, seed: 1 });
  assert.ok(r.s.slice(0, 5).every((s, k) => Math.abs(s - S[k]) < 1e-4 * S[0]), `${Array.from(r.s)}`);
  assert.ok(r.s.slice(5).every((s) => s < 1e-3), `${Array.from(r.s)}`);
});

test('randomizedSvd on a full-rank matrix approximates the top singular values', () => {
  // Singular values 1/(1+k) on orthonormal bases: the truncated top-4 must be found with power iterations.
  const K = 30, s = Array.from({ length: K }, (_, k) => 1 / (1 + k));
  const u = orthonormal(M, K, 5), v = orthonormal(N, K, 6);
  const a = denseToCsr(M, N, (i, j) => s.reduce((acc, sk, k) => acc + u[k][i] * sk * v[k][j], 0));
  const r = randomizedSvd(a, { rank: 4, oversampling: 10, powerIterations: 4, seed: 9 });
  for (let k = 0; k < 4; k++) assert.ok(Math.abs(r.s[k] - s[k]) < 2e-3, `s[${k}] = ${r.s[k]}, expected ${s[k]}`);
});

test('randomizedSvd is deterministic for a seed', () => {
  const a = randomizedSvd(lowRank, { rank: 3, seed: 7 }), b = randomizedSvd(lowRank, { rank: 3, seed: 7 });
  assert.deepEqual(a.u, b.u);
  assert.deepEqual(a.s, b.s);
});

test('sparse products match dense arithmetic', () => {
  const a = denseToCsr(3, 2, (i, j) => (i === j ? 0 : i + 2 * j + 1)); // [[0,3],[2,0],[3,5]]
  assert.deepEqual(Array.from(csrTimesDense(a, Float32Array.from([1, 2, 3, 4]), 2)), [9, 12, 2, 4, 18, 26]);
  assert.deepEqual(Array.from(csrTransposeTimesDense(a, Float32Array.from([1, 1, 1]), 1)), [5, 8]);
});

test('orthonormalColumns drops dependent columns and returns an orthonormal basis', () => {
  const rows = 6, y = new Float32Array(rows * 3);
  for (let i = 0; i < rows; i++) { y[i * 3] = i + 1; y[i * 3 + 1] = 2 * (i + 1); y[i * 3 + 2] = (i % 2) - 0.5; }
  const q = orthonormalColumns(y, rows, 3);
  assert.equal(q.cols, 2);
  for (let a = 0; a < 2; a++) for (let b = 0; b < 2; b++) {
    let d = 0;
    for (let i = 0; i < rows; i++) d += q.values[i * 2 + a] * q.values[i * 2 + b];
    assert.ok(Math.abs(d - (a === b ? 1 : 0)) < 1e-5, `<q${a}, q${b}> = ${d}`);
  }
});

test('symmetricEigen diagonalises a symmetric matrix', () => {
  const a = Float64Array.from([4, 1, 2, 1, 3, 0, 2, 0, 1]);
  const { values, vectors } = symmetricEigen(a, 3);
  assert.ok(values[0] >= values[1] && values[1] >= values[2]);
  for (let k = 0; k < 3; k++) for (let i = 0; i < 3; i++) { // A v = lambda v
    let av = 0;
    for (let j = 0; j < 3; j++) av += a[i * 3 + j] * vectors[j * 3 + k];
    assert.ok(Math.abs(av - values[k] * vectors[i * 3 + k]) < 1e-10);
  }
  assert.ok(Math.abs(values[0] + values[1] + values[2] - 8) < 1e-10);
});
