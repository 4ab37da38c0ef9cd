import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildPpmiEmbeddings, cooccurrenceMatrix, ppmiMatrix, unpaddedSequences } from '../../src/data/ppmi_embeddings.js';
import { buildOrLoadPpmiEmbeddings } from '../../src/data/ppmi_embedding_cache.js';
import { padSequencesLeft } from '../../src/data/sequence_padding.js';
import { SparseTextClassifier } from '../../src/nn/sparse_text_classifier.js';
import { SparseVD } from '../../src/nn/bayes/sparse_vd.js';
import { rng } from '../helpers.js';

function denseOf(m: { rows: number; cols: number; rowPtr: Int32Array; colIndex: Int32Array; values: ArrayLike<number> }): number[][] {
  const out = Array.from({ length: m.rows }, () => new Array<number>(m.cols).fill(0));
  for (let r = 0; r < m.rows; r++) for (let p = m.rowPtr[r]; p < m.rowPtr[r + 1]; p++) out[r][m.colIndex[p]] = m.values[p];
  return out;
}

test('co-occurrence weights pairs by 1/distance, skips ids below firstWordId but keeps their positions', () => {
  // [start 1, w3, OOV 2, w4, w3] with window 2: (3,4) at distance 2 -> 0.5; (4,3) at distance 1 -> 1; (3,3) at 3 -> none.
  const c = denseOf(cooccurrenceMatrix([[1, 3, 2, 4, 3]], 5, { window: 2 }));
  assert.deepEqual(c, [
    [0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 0, 0, 0, 0],
    [0, 0, 0, 0, 1.5],
    [0, 0, 0, 1.5, 0],
  ]);
  // Sequences never see each other's words.
  assert.equal(cooccurrenceMatrix([[3], [4]], 5).colIndex.length, 0);
  assert.throws(() => cooccurrenceMatrix([[3, 7]], 5), /sequence 0 position 1 has id 7/);
});

test('PPMI matches the hand-computed values on a three-word example', () => {
  // [3, 4, 5], window 2: C(3,4) = C(4,5) = 1, C(3,5) = 1/2; row (= column) sums 1.5, 2, 1.5.
  const p = denseOf(ppmiMatrix(cooccurrenceMatrix([[3, 4, 5]], 6, { window: 2 }), 0.75));
  const s = 2 * 1.5 ** 0.75 + 2 ** 0.75; // sum of smoothed context counts
  const expect = (c: number, rowSum: number, colSum: number): number => Math.max(0, Math.log(c * s / (rowSum * colSum ** 0.75)));
  const want = [[3, 4, 1, 1.5, 2], [3, 5, 0.5, 1.5, 1.5], [4, 3, 1, 2, 1.5], [4, 5, 1, 2, 1.5], [5, 3, 0.5, 1.5, 1.5], [5, 4, 1, 1.5, 2]];
  for (const [w, c, count, rowSum, colSum] of want) assert.ok(Math.abs(p[w][c] - expect(count, rowSum, colSum)) < 1e-6, `PPMI(${w},${c}) = ${p[w][c]}`);
  assert.ok(Math.abs(p[3][4] - 0.5546) < 1e-3 && Math.abs(p[3][5] - 0.0772) < 1e-3 && Math.abs(p[4][3] - 0.4827) < 1e-3);
});

test('PPMI agrees with a dense reference and keeps only positive entries', () => {
  const rand = rng(4), V = 12;
  const docs = Array.from({ length: 30 }, () => Array.from({ length: 15 }, () => Math.floor(rand() * V)));
  const counts = denseOf(cooccurrenceMatrix(docs, V, { window: 3 }));
  const p = ppmiMatrix(cooccurrenceMatrix(docs, V, { window: 3 }), 0.75);
  const dense = denseOf(p);
  const colSums = counts[0].map((_, c) => counts.reduce((a, row) => a + row[c], 0));
  const total = colSums.reduce((a, x) => a + x ** 0.75, 0);
  let negatives = 0;
  for (let w = 0; w < V; w++) {
    const rowSum = counts[w].reduce((a, x) => a + x, 0);
    for (let c = 0; c < V; c++) {
      const pmi = counts[w][c] > 0 ? Math.log(counts[w][c] * total / (rowSum * colSums[c] ** 0.75)) : -Infinity;
      if (counts[w][c] > 0 && pmi <= 0) negatives++;
      assert.ok(Math.abs(dense[w][c] - Math.max(0, pmi)) < 1e-5, `(${w},${c})`);
    }
  }
  assert.ok(negatives > 0, 'the example should exercise the clipping');
  assert.ok(Array.from(p.values).every((x) => x > 0));
});

/** Two topics: words 3..8 and 9..14 never share a document; 15 never occurs. */
function topicCorpus(): number[][] {
  const rand = rng(11);
  return Array.from({ length: 200 }, (_, d) => {
    const base = d % 2 === 0 ? 3 : 9;
    return Array.from({ length: 20 }, () => base + Math.floor(rand() * 6));
  });
}

test('embeddings: rows without co-occurrence stay empty, components have RMS 0.15, topics separate, seeded', () => {
  const V = 16, dim = 4, docs = topicCorpus();
  const e = buildPpmiEmbeddings(docs, V, { dim, seed: 5 });
  assert.deepEqual(Array.from(e.rowsWithVector), [0, 0, 0, ...new Array<number>(12).fill(1), 0]);
  for (const r of [0, 1, 2, 15]) assert.ok(e.vectors.subarray(r * dim, (r + 1) * dim).every((x) => x === 0));
  for (let j = 0; j < dim; j++) {
    let sq = 0;
    for (let r = 3; r < 15; r++) sq += e.vectors[r * dim + j] ** 2;
    assert.ok(Math.abs(Math.sqrt(sq / 12) - 0.15) < 1e-5, `component ${j} RMS ${Math.sqrt(sq / 12)}`);
  }
  const cos = (a: number, b: number): number => {
    let d = 0, na = 0, nb = 0;
    for (let j = 0; j < dim; j++) { d += e.vectors[a * dim + j] * e.vectors[b * dim + j]; na += e.vectors[a * dim + j] ** 2; nb += e.vectors[b * dim + j] ** 2; }
    return d / Math.sqrt(na * nb);
  };
  assert.ok(cos(3, 4) > cos(3, 10) + 0.5, `same topic ${cos(3, 4)} vs other ${cos(3, 10)}`);
  const again = buildPpmiEmbeddings(docs, V, { dim, seed: 5 });
  assert.deepEqual(again.vectors, e.vectors);
  const global = buildPpmiEmbeddings(docs, V, { dim, seed: 5, scaling: 'global' });
  let sq = 0;
  for (let r = 3; r < 15; r++) for (let j = 0; j < dim; j++) sq += global.vectors[r * dim + j] ** 2;
  assert.ok(Math.abs(Math.sqrt(sq / (12 * dim)) - 0.15) < 1e-5);
});

test('unpaddedSequences returns the real ids of a left-padded split', () => {
  const split = padSequencesLeft([[1, 3, 4], [1, 5]], 4);
  assert.deepEqual(unpaddedSequences(split).map((s) => Array.from(s)), [[1, 3, 4], [1, 5]]);
});

test('the cache is reused for the same corpus and options, rebuilt otherwise, and rejects foreign files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ppmi-cache-'));
  try {
    const file = join(dir, 'emb.bin'), docs = topicCorpus();
    const first = buildOrLoadPpmiEmbeddings(file, docs, 16, { dim: 3 });
    assert.equal(first.fromCache, false);
    const second = buildOrLoadPpmiEmbeddings(file, docs, 16, { dim: 3 });
    assert.equal(second.fromCache, true);
    assert.deepEqual(second.vectors, first.vectors);
    assert.deepEqual(second.rowsWithVector, first.rowsWithVector);
    assert.deepEqual(second.singularValues, first.singularValues);
    assert.equal(buildOrLoadPpmiEmbeddings(file, docs.slice(1), 16, { dim: 3 }).fromCache, false, 'other corpus');
    assert.equal(buildOrLoadPpmiEmbeddings(file, docs.slice(1), 16, { dim: 3, seed: 9 }).fromCache, false, 'other seed');
    writeFileSync(file, 'not a cache');
    assert.throws(() => buildOrLoadPpmiEmbeddings(file, docs, 16, { dim: 3 }), /emb\.bin.*magic/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('SparseTextClassifier.initEmbeddings overwrites only the rows with a vector', () => {
  const V = 6, E = 3;
  const vectors = Float32Array.from({ length: V * E }, (_, i) => i + 100), rows = Uint8Array.from([0, 0, 0, 1, 1, 0]);
  for (const preset of ['dense', 'sparsevd']) {
    const model = new SparseTextClassifier(V, E, 2, 2, preset, { seed: 1 });
    const table = 'theta' in model.embedding.table ? model.embedding.table.theta : model.embedding.table;
    const before = Float32Array.from(table.dataSync() as Float32Array);
    const logSigma = model.embedding.table instanceof SparseVD ? Array.from(model.embedding.table.logSigma.dataSync()) : null;
    assert.equal(model.initEmbeddings(vectors, E, rows), 2);
    const after = table.dataSync();
    for (let r = 0; r < V; r++) for (let j = 0; j < E; j++)
      assert.equal(after[r * E + j], rows[r] ? vectors[r * E + j] : before[r * E + j], `${preset} row ${r}`);
    if (logSigma && model.embedding.table instanceof SparseVD) assert.deepEqual(Array.from(model.embedding.table.logSigma.dataSync()), logSigma);
    assert.throws(() => model.initEmbeddings(vectors, E + 1, rows), /dim 4/);
  }
});
