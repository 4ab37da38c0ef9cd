// Full eval forward vs compact forward of the IMDB-sized sparsified classifier (V = 20,003, E = 300, H = 128, T = 200),
// per preset and cell, at batch 128 and batch 1. The parameters are set so that the kept structure matches the
// reference logs (spec rnn-results.md §B: kept words / input dims / hidden / non-constant gates and nonzeros of W_x,
// W_h, W_out); the full model's cost does not depend on them, the compact one's does. Prints a markdown table.
//   npm run bench:compact -- [--iters 5] [--cells lstm,gru] [--presets dense,sparsevd,...] [--threads 2]
import { Command } from 'commander';
import { tf } from '../src/engine/tf.js';
import { useBestBackend } from '../src/engine/backend.js';
import { defaultThreads, setNumThreads } from '../src/engine/threads.js';
import { SparseTextClassifier } from '../src/nn/sparse_text_classifier.js';
import { SparseVD } from '../src/nn/bayes/sparse_vd.js';
import type { CompactTextClassifier } from '../src/sparsify/compact_text_classifier.js';
import type { GroupVariable } from '../src/nn/bayes/group_variable.js';

const V = 20003, E = 300, H = 128, C = 2, T = 200;

/** Kept structure after training (IMDB rows of rnn-results.md §B); null = nothing pruned. */
interface PruneLevel { words: number; inputs: number; hidden: number; gates: number; nzInput: number; nzHidden: number; nzOutput: number }
const LEVELS: Record<string, PruneLevel | null> = {
  'dense': null,
  'sparsevd': { words: 5054, inputs: 7, hidden: 9, gates: 20, nzInput: 31, nzHidden: 48, nzOutput: 9 },
  'sparsevd-voc': { words: 265, inputs: 1, hidden: 7, gates: 18, nzInput: 17, nzHidden: 33, nzOutput: 7 },
  'w+n': { words: 316, inputs: 1, hidden: 7, gates: 19, nzInput: 19, nzHidden: 32, nzOutput: 7 },
  'w+g+n': { words: 307, inputs: 1, hidden: 7, gates: 8, nzInput: 6, nzHidden: 20, nzOutput: 7 },
};

const opts = new Command()
  .option('--iters <n>', 'timed iterations per measurement', '5')
  .option('--cells <list>', 'lstm,gru', 'lstm,gru')
  .option('--presets <list>', 'presets', Object.keys(LEVELS).join(','))
  .option('--threads <n>', 'engine threads', String(defaultThreads()))
  .parse().opts<{ iters: string; cells: string; presets: string; threads: string }>();

let seed = 12345;
const rand = (): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 2 ** 32; };
const pick = (n: number, k: number): number[] => {
  const all = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) { const j = i + Math.floor(rand() * (n - i)); [all[i], all[j]] = [all[j], all[i]]; }
  return all.slice(0, k);
};

/** Keeps exactly the (row, col) entries in `kept` of a SparseVD [rows, cols]: log alpha -6 there, 4 elsewhere. */
function keepOnly(p: SparseVD, kept: Set<number>): void {
  const theta = Float32Array.from(p.theta.dataSync());
  const logSigma = new Float32Array(theta.length);
  for (let i = 0; i < theta.length; i++) {
    if (Math.abs(theta[i]) < 0.05) theta[i] = theta[i] < 0 ? -0.05 : 0.05;
    logSigma[i] = Math.log(Math.abs(theta[i])) + (kept.has(i) ? -3 : 2);
  }
  p.theta.assign(tf.tensor(theta, p.shape));
  p.logSigma.assign(tf.tensor(logSigma, p.shape));
}

function pruneTo(model: SparseTextClassifier, level: PruneLevel): void {
  const rnn = model.lstm, G = rnn.gates * H;
  const words = pick(V, level.words), inputs = pick(E, level.inputs), hidden = pick(H, level.hidden);
  const liveGates = Math.min(Math.round(level.gates * rnn.gates / 4), rnn.gates * level.hidden);
  const columns = pick(rnn.gates * level.hidden, liveGates).map((s) => Math.floor(s / level.hidden) * H + hidden[s % level.hidden]);
  const emb = new Set<number>();
  words.forEach((v, w) => emb.add(v * E + inputs[w % inputs.length]));
  const wx = new Set<number>();
  inputs.forEach((d, i) => wx.add(d * G + columns[i % columns.length]));
  // capped at what the kept rows x live columns can hold (the GRU has 3/4 of the LSTM's live columns)
  while (wx.size < Math.min(Math.max(level.nzInput, inputs.length), inputs.length * columns.length)) wx.add(inputs[Math.floor(rand() * inputs.length)] * G + columns[Math.floor(rand() * columns.length)]);
  const wh = new Set<number>();
  columns.forEach((c) => wh.add(hidden[Math.floor(rand() * hidden.length)] * G + c));
  while (wh.size < Math.min(Math.max(level.nzHidden, columns.length), hidden.length * columns.length)) wh.add(hidden[Math.floor(rand() * hidden.length)] * G + columns[Math.floor(rand() * columns.length)]);
  const out = new Set<number>();
  hidden.forEach((j) => out.add(j * C + Math.floor(rand() * C)));
  keepOnly(model.embedding.table as SparseVD, emb);
  keepOnly(rnn.kernel as SparseVD, wx);
  keepOnly(rnn.recurrentKernel as SparseVD, wh);
  if ('weight' in model.output) keepOnly(model.output.weight as SparseVD, out);
  if (model.vocabularyGroups) keepOnly((model.vocabularyGroups as GroupVariable).z, new Set(words));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn: () => void, iters: number): number {
  fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < iters; i++) { const t0 = performance.now(); fn(); ms.push(performance.now() - t0); }
  return median(ms);
}

const backend = await useBestBackend();
setNumThreads(Number(opts.threads));
const iters = Number(opts.iters);
console.log(`backend ${backend}, ${opts.threads} threads, median of ${iters} (after 1 warm-up); V=${V} E=${E} H=${H} T=${T}, all sequences full length`);
console.log('| cell | preset | kept words / inputs / hidden / live gate columns | storage W_h | compact forward B=128 / B=1 | full B=128 ms | compact B=128 ms | speed-up B=128 | full B=1 ms | compact B=1 ms | speed-up B=1 | max abs logit diff |');
console.log('|---|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|');
for (const cell of opts.cells.split(',') as ('lstm' | 'gru')[]) {
  for (const preset of opts.presets.split(',')) {
    const level = LEVELS[preset];
    const model = new SparseTextClassifier(V, E, H, C, preset, { cell, seed: 7, init: 'pytorch' });
    if (level) pruneTo(model, level);
    model.eval();
    const compact: CompactTextClassifier = model.compact();
    const row: string[] = [];
    let worst = 0;
    for (const B of [128, 1]) {
      const ids = Int32Array.from({ length: B * T }, () => 1 + Math.floor(rand() * (V - 1)));
      const lengths = new Int32Array(B).fill(T);
      const idsT = tf.tensor2d(ids, [B, T], 'int32'), lengthsT = tf.tensor1d(lengths, 'int32');
      let full: Float32Array = new Float32Array(0);
      const fullMs = time(() => { full = tf.tidy(() => Float32Array.from(model.logits(idsT, lengthsT).dataSync())); }, iters);
      let small: Float32Array = new Float32Array(0);
      const compactMs = time(() => { small = compact.logitsArray(ids, lengths, T); }, B === 1 ? iters * 4 : iters);
      for (let i = 0; i < full.length; i++) worst = Math.max(worst, Math.abs(full[i] - small[i]));
      row.push(fullMs.toFixed(2), compactMs.toFixed(2), `${(fullMs / compactMs).toFixed(1)}x`);
      tf.dispose([idsT, lengthsT]);
    }
    const s = compact.summary;
    console.log(`| ${cell} | ${preset} | ${s.words.kept} / ${s.inputs.kept} / ${s.hidden.kept} / ${s.liveColumns} | ${compact.cell.hiddenWeights.format} | ${compact.forwardFor(128)} / ${compact.forwardFor(1)} | ${row.join(' | ')} | ${worst.toExponential(1)} |`);
    compact.dispose();
    model.dispose();
  }
}
