// Builds the corpus PPMI embeddings on the IMDB training split (../shared/data) and prints nearest neighbours of a
// few words, to show the vectors are meaningful. Usage: npx tsx experiments/ppmi_check.ts [imdb path] [cache file]
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { readTextFile } from '../src/data/text_file.js';
import { loadImdb } from '../src/data/imdb.js';
import { unpaddedSequences } from '../src/data/ppmi_embeddings.js';
import { buildOrLoadPpmiEmbeddings } from '../src/data/ppmi_embedding_cache.js';
import { useBestBackend } from '../src/engine/backend.js';

const dataPath = process.argv[2] ?? '../shared/data/text/imdb';
const cacheFile = process.argv[3];
if (!existsSync(dataPath)) {
  console.log(`skip: ${dataPath} is absent`);
  process.exit(0);
}
console.log(`backend: ${await useBestBackend()}`);
let t0 = performance.now();
const data = loadImdb(dataPath);
console.log(`loaded IMDB (${data.layout}): ${data.train.count} train docs, vocabulary ${data.vocabularySize} ids in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
t0 = performance.now();
const emb = cacheFile
  ? buildOrLoadPpmiEmbeddings(cacheFile, unpaddedSequences(data.train), data.vocabularySize)
  : (await import('../src/data/ppmi_embeddings.js')).buildPpmiEmbeddings(unpaddedSequences(data.train), data.vocabularySize);
console.log(`embeddings ${emb.vocabSize} x ${emb.dim} in ${((performance.now() - t0) / 1000).toFixed(1)} s; ` +
  `${emb.rowsWithVector.reduce((a, b) => a + b, 0)} rows with a vector; top singular values ${Array.from(emb.singularValues.slice(0, 5), (s) => s.toFixed(1)).join(' ')}, #300 ${emb.singularValues[emb.dim - 1].toFixed(2)}`);

// Raw layout: id r + 3 is words[r - 1]. Keras npz layout: id r + 3 is the word of rank r in imdb_word_index.json.
const rankToWord = new Map<number, string>();
if (data.words) data.words.forEach((w, i) => rankToWord.set(i + 1, w));
else {
  const index = JSON.parse(readTextFile(join(dataPath.endsWith('.npz') ? dirname(dataPath) : dataPath, 'imdb_word_index.json'))) as Record<string, number>;
  for (const [w, r] of Object.entries(index)) rankToWord.set(r, w);
}
const idOf = new Map<string, number>();
for (const [r, w] of rankToWord) if (r + 3 < data.vocabularySize) idOf.set(w, r + 3);
const wordOf = (id: number): string => rankToWord.get(id - 3) ?? `<${id}>`;
const { vectors, dim, rowsWithVector } = emb;
const norms = new Float64Array(emb.vocabSize);
for (let r = 0; r < emb.vocabSize; r++) {
  let s = 0;
  for (let j = 0; j < dim; j++) s += vectors[r * dim + j] ** 2;
  norms[r] = Math.sqrt(s);
}
for (const word of ['good', 'awful', 'movie', 'actor', 'funny', 'boring', 'great', 'horror']) {
  const id = idOf.get(word);
  if (id === undefined || !rowsWithVector[id]) { console.log(`${word}: no vector`); continue; }
  const scored: [number, number][] = [];
  for (let r = 3; r < emb.vocabSize; r++) {
    if (r === id || !rowsWithVector[r]) continue;
    let dot = 0;
    for (let j = 0; j < dim; j++) dot += vectors[id * dim + j] * vectors[r * dim + j];
    scored.push([dot / (norms[id] * norms[r]), r]);
  }
  scored.sort((a, b) => b[0] - a[0]);
  console.log(`${word}: ${scored.slice(0, 10).map(([c, r]) => `${wordOf(r)} ${c.toFixed(2)}`).join(', ')}`);
}
