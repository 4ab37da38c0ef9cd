// On-disk cache of corpus PPMI embeddings. Binary layout: "PPMIEMB1", uint32 header length, a JSON header (vocabulary
// size, dim, the options that change the result, a sha256 of the corpus), zero padding to a multiple of 4, then
// rowsWithVector (uint8 x V, padded to 4), singularValues (float64 x dim) and vectors (float32 x V x dim), little endian.
// A cache whose header does not match the request is rebuilt, never reused.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from './write_file_atomic.js';
import { DataFileError } from './data_file_error.js';
import { buildPpmiEmbeddings, type PpmiEmbeddingOptions, type PpmiEmbeddings } from './ppmi_embeddings.js';

const MAGIC = 'PPMIEMB1';

export interface PpmiCacheHeader {
  vocabSize: number;
  dim: number;
  seed: number;
  window: number;
  firstWordId: number;
  smoothing: number;
  targetRms: number;
  scaling: string;
  powerIterations: number;
  oversampling: number;
  /** sha256 over the sequences' lengths and ids. */
  corpusChecksum: string;
}

/** Loads `cacheFile` when it was built from the same corpus and options; otherwise builds and writes it atomically. */
export function buildOrLoadPpmiEmbeddings(cacheFile: string, sequences: readonly ArrayLike<number>[], vocabSize: number,
  options: PpmiEmbeddingOptions = {}): PpmiEmbeddings & { fromCache: boolean } {
  const header = cacheHeader(sequences, vocabSize, options);
  if (existsSync(cacheFile)) {
    const cached = readPpmiCache(cacheFile);
    if (JSON.stringify(cached.header) === JSON.stringify(header)) return { ...cached.embeddings, fromCache: true };
  }
  const embeddings = buildPpmiEmbeddings(sequences, vocabSize, options);
  writePpmiCache(cacheFile, header, embeddings);
  return { ...embeddings, fromCache: false };
}

export function cacheHeader(sequences: readonly ArrayLike<number>[], vocabSize: number, options: PpmiEmbeddingOptions = {}): PpmiCacheHeader {
  const { dim = 300, seed = 1, window = 5, firstWordId = 3, smoothing = 0.75, targetRms = 0.15, scaling = 'per-component', powerIterations = 3, oversampling = 20 } = options;
  return { vocabSize, dim, seed, window, firstWordId, smoothing, targetRms, scaling, powerIterations, oversampling, corpusChecksum: corpusChecksum(sequences) };
}

export function corpusChecksum(sequences: readonly ArrayLike<number>[]): string {
  const hash = createHash('sha256');
  hash.update(Int32Array.from([sequences.length]));
  for (const s of sequences) {
    hash.update(Int32Array.from([s.length]));
    hash.update(s instanceof Int32Array ? new Uint8Array(s.buffer, s.byteOffset, s.byteLength) : Int32Array.from(s));
  }
  return hash.digest('hex');
}

export function writePpmiCache(file: string, header: PpmiCacheHeader, e: PpmiEmbeddings): void {
  if (e.vocabSize !== header.vocabSize || e.dim !== header.dim) throw new RangeError(`writePpmiCache: embeddings ${e.vocabSize} x ${e.dim} vs header ${header.vocabSize} x ${header.dim}`);
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const headerBytes = pad4(MAGIC.length + 4 + json.length), rowBytes = pad4(e.vocabSize);
  const out = Buffer.alloc(headerBytes + rowBytes + 8 * e.dim + 4 * e.vectors.length);
  out.write(MAGIC, 0, 'latin1');
  out.writeUInt32LE(json.length, MAGIC.length);
  json.copy(out, MAGIC.length + 4);
  let at = headerBytes;
  Buffer.from(e.rowsWithVector.buffer, e.rowsWithVector.byteOffset, e.rowsWithVector.byteLength).copy(out, at);
  at += rowBytes;
  for (let j = 0; j < e.dim; j++, at += 8) out.writeDoubleLE(e.singularValues[j], at);
  Buffer.from(e.vectors.buffer, e.vectors.byteOffset, e.vectors.byteLength).copy(out, at);
  writeFileAtomic(file, out);
}

export function readPpmiCache(file: string): { header: PpmiCacheHeader; embeddings: PpmiEmbeddings } {
  const buf = readFileSync(file);
  if (buf.length < MAGIC.length + 4 || buf.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new DataFileError(file, `not a PPMI embedding cache (expected the magic "${MAGIC}")`);
  const jsonLength = buf.readUInt32LE(MAGIC.length);
  let header: PpmiCacheHeader;
  try {
    header = JSON.parse(buf.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + jsonLength)) as PpmiCacheHeader;
  } catch {
    throw new DataFileError(file, 'unreadable JSON header of the PPMI embedding cache');
  }
  const { vocabSize: V, dim } = header;
  if (!Number.isInteger(V) || !Number.isInteger(dim) || V < 1 || dim < 1) throw new DataFileError(file, `header vocabSize/dim must be positive integers, got ${V}/${dim}`);
  let at = pad4(MAGIC.length + 4 + jsonLength);
  const expected = at + pad4(V) + 8 * dim + 4 * V * dim;
  if (buf.length !== expected) throw new DataFileError(file, `expected ${expected} bytes for ${V} x ${dim}, found ${buf.length}`);
  const rowsWithVector = Uint8Array.from(buf.subarray(at, at + V));
  at += pad4(V);
  const singularValues = new Float64Array(dim);
  for (let j = 0; j < dim; j++, at += 8) singularValues[j] = buf.readDoubleLE(at);
  const vectors = new Float32Array(V * dim);
  new Uint8Array(vectors.buffer).set(buf.subarray(at, at + 4 * V * dim));
  return { header, embeddings: { vocabSize: V, dim, vectors, rowsWithVector, singularValues } };
}

function pad4(n: number): number {
  return (n + 3) & ~3;
}
