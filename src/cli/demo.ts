// `parsimony demo`: the Quick start. A short sparse-LSTM spam classifier on the SpamAssassin corpus (shipped by an
// npm package, no download), trained through the real trainer into a run directory, then what sparsification bought:
// test accuracy, compression, the kept words, neurons and gates, and the compact model's size and forward speed-up.
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tf } from '../engine/tf.js';
import { useBestBackend } from '../engine/backend.js';
import { getNumThreads, setNumThreads } from '../engine/threads.js';
import { buildOrLoadPpmiEmbeddings } from '../data/ppmi_embedding_cache.js';
import { unpaddedSequences } from '../data/ppmi_embeddings.js';
import { parsimonyCacheDir } from '../data/imdb_archive.js';
import type { LabelledSplit } from '../data/classification_dataset.js';
import type { SparseTextClassifier } from '../nn/sparse_text_classifier.js';
import type { CompactTextClassifier } from '../sparsify/compact_text_classifier.js';
import type { CompressionReport } from '../sparsify/compression.js';
import { saveCompactModel } from '../sparsify/compact_serialization.js';
import { train } from '../train/trainer.js';
import { CONFIG_FILE } from '../train/run_files.js';
import { buildClassificationTask, buildClassifier, loadClassificationData, resolveRunConfig, type EmbeddingInit } from './classifier_run.js';
import { COMPACT_MODEL_FILE } from './compress.js';

export const DEFAULT_DEMO_DIR = 'runs/demo';

/** Tuned so the Quick start learns and prunes visibly in about a minute on 2 cores (see README). */
export const DEMO_DEFAULTS = { preset: 'w+g+n', epochs: 3, hidden: 32, embeddingDim: 32, batch: 64, lr: 8e-3, seed: 1 } as const;

export interface DemoOptions {
  /** Sparsification preset or config string (src/sparsify/presets.ts). */
  preset: string;
  epochs: number;
  hidden: number;
  embeddingDim: number;
  batch: number;
  lr: number;
  seed: number;
  /** 'ppmi': initialise the embedding with PPMI vectors of the training split (cached); 'none': random init. */
  embeddings: EmbeddingInit;
  /** Run directory, emptied first (it must be empty, missing or an earlier run). */
  out: string;
  /** Train on the first N training documents only (tests). */
  maxTrain?: number;
  /** Evaluate on the first N validation and test documents only (tests). */
  maxEval?: number;
  threads?: number;
  /** Progress stream; null = silent. */
  progress?: NodeJS.WriteStream | null;
  log?: (line: string) => void;
}

export interface DemoResult {
  runDir: string;
  testAccuracy: number;
  /** Accuracy of always predicting the most frequent training label, on the test split. */
  majorityAccuracy: number;
  compression: CompressionReport;
  keptWords: string[];
  compactBytes: number;
  /** Seconds of one pass over the test split: full model in eval mode vs compact model. */
  fullSeconds: number;
  compactSeconds: number;
  totalSeconds: number;
}

export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const log = o.log ?? ((line: string) => console.log(line));
  const t0 = performance.now();
  const runDir = resolve(o.out);
  clearRunDirectory(runDir);
  const backend = await useBestBackend();
  if (o.threads !== undefined) setNumThreads(o.threads);
  const config = resolveRunConfig({
    task: 'spam', preset: o.preset, epochs: o.epochs, hidden: o.hidden, embeddingDim: o.embeddingDim, batch: o.batch,
    lr: o.lr, seed: o.seed, embeddings: o.embeddings, maxTrain: o.maxTrain ?? null, maxEval: o.maxEval ?? null,
  }, {}, 'the demo options');
  const data = loadClassificationData(config);
  const { dataset } = data;
  const majority = majorityAccuracy(dataset.train, dataset.test);
  log(`backend ${backend} (${getNumThreads()} threads) | ${data.summary} | majority class: ${pct(majority)} of test`);

  const model = buildClassifier(config, dataset.vocabularySize);
  try {
    if (config.embeddings === 'ppmi') {
      const t = performance.now();
      const cacheFile = join(parsimonyCacheDir(), `ppmi-spam-${dataset.vocabularySize}x${config.embeddingDim}.bin`);
      const e = buildOrLoadPpmiEmbeddings(cacheFile, unpaddedSequences(data.fullTrain), dataset.vocabularySize, { dim: config.embeddingDim });
      const rows = model.initEmbeddings(e.vectors, e.dim, e.rowsWithVector);
      log(`embeddings: PPMI vectors of the training split for ${rows} of ${e.vocabSize} ids, ${e.fromCache ? 'from the cache' : 'built'} in ${secs(performance.now() - t)}`);
    }
    const task = buildClassificationTask(config, data, model);
    log(`model: ${task.description}, embedding ${dataset.vocabularySize} x ${config.embeddingDim}, ${model.parameterCount()} parameters; `
      + `${config.epochs} epochs of ${task.stepsPerEpoch()} steps`);
    const { records } = await train(task, {
      epochs: config.epochs, learningRate: config.lr, seed: config.seed, outDir: runDir, progress: o.progress,
      config: { ...config, vocabularySize: dataset.vocabularySize, primaryMetric: task.primaryMetric },
    });
    const last = records[records.length - 1];
    const c = last.compression;
    const keptWords = task.keptStructure().keptWords ?? [];

    model.eval();
    const compact = model.compact();
    try {
      const compactFile = join(runDir, COMPACT_MODEL_FILE);
      saveCompactModel(compactFile, compact);
      const compactBytes = statSync(compactFile).size;
      const fullSeconds = timeForward(() => fullForward(model, dataset.test));
      const compactSeconds = timeForward(() => compactForward(compact, dataset.test));
      const totalSeconds = (performance.now() - t0) / 1e3;

      log('');
      log(`test accuracy     ${pct(last.test.accuracy)} (majority class ${pct(majority)}; ${dataset.test.count} test messages)`);
      const ratio = Number.isFinite(c.compressionRatio) ? `${c.compressionRatio.toFixed(1)}x` : 'infinite';
      log(`compression       ${ratio}, ${c.sparsityPercent.toFixed(2)}% sparse: ${c.nonzeroWeights} of ${c.prunableWeights} weights kept`);
      log(`kept words        ${c.keptWords.kept} of ${c.keptWords.total}, most frequent first: ${keptWords.slice(0, 30).join(' ')}${keptWords.length > 30 ? ' ...' : ''}`);
      log(`kept neurons      ${c.keptHidden.kept} of ${c.keptHidden.total} hidden, ${c.keptInputs.kept} of ${c.keptInputs.total} embedding inputs; `
        + `${c.keptGates.kept} of ${c.keptGates.total} gates computed (${c.constantGates.kept} constant)`);
      log(`compact model     ${(compactBytes / 1024).toFixed(1)} KiB (${COMPACT_MODEL_FILE}); test-set forward ${ms(compactSeconds)} vs ${ms(fullSeconds)} `
        + `full = ${(fullSeconds / compactSeconds).toFixed(1)}x faster`);
      log(`run directory     ${runDir} (${secs(totalSeconds * 1e3)} in all); plots: parsimony report --run ${o.out}`);
      return { runDir, testAccuracy: last.test.accuracy, majorityAccuracy: majority, compression: c, keptWords, compactBytes, fullSeconds, compactSeconds, totalSeconds };
    } finally {
      compact.dispose();
    }
  } finally {
    model.dispose();
  }
}

/** The demo overwrites its directory, but only one that is missing, empty or an earlier run (has config.json). */
function clearRunDirectory(dir: string): void {
  if (!existsSync(dir)) return;
  if (readdirSync(dir).length > 0 && !existsSync(join(dir, CONFIG_FILE))) {
    throw new Error(`${dir} is not empty and holds no run (${CONFIG_FILE}); the demo only overwrites its own runs, choose another --out`);
  }
  rmSync(dir, { recursive: true, force: true });
}

function majorityAccuracy(train: LabelledSplit, test: LabelledSplit): number {
  let ones = 0;
  for (const l of train.labels) ones += l;
  const majority = ones * 2 > train.count ? 1 : 0;
  let hits = 0;
  for (const l of test.labels) if (l === majority) hits++;
  return hits / test.count;
}

const EVAL_BATCH = 500;

/** The eval-mode (masked means) full model over a split, in batches, as `parsimony eval` would run it without compacting. */
function fullForward(model: SparseTextClassifier, split: LabelledSplit): void {
  const L = split.maxLength;
  for (let s = 0; s < split.count; s += EVAL_BATCH) {
    const e = Math.min(s + EVAL_BATCH, split.count);
    tf.tidy(() => {
      model.logits(tf.tensor2d(split.ids.subarray(s * L, e * L), [e - s, L], 'int32'), tf.tensor1d(split.lengths.subarray(s, e), 'int32')).dataSync();
    });
  }
}

function compactForward(compact: CompactTextClassifier, split: LabelledSplit): void {
  const L = split.maxLength;
  for (let s = 0; s < split.count; s += EVAL_BATCH) {
    const e = Math.min(s + EVAL_BATCH, split.count);
    compact.logitsArray(split.ids.subarray(s * L, e * L), split.lengths.subarray(s, e), L);
  }
}

/** Best of 3 passes (the first also warms up caches and lazily built tables). */
function timeForward(pass: () => void): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    pass();
    best = Math.min(best, (performance.now() - t) / 1e3);
  }
  return best;
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;
const secs = (msValue: number): string => `${(msValue / 1e3).toFixed(1)} s`;
const ms = (s: number): string => `${(s * 1e3).toFixed(1)} ms`;
