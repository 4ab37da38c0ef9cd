// The training loop shared by every sparsification task (src/train/task.ts): Adam over epochs, evaluation of the
// validation and test splits after each epoch, one metrics.jsonl line, structure.json, config.json and an atomic
// checkpoint per epoch, and an exact resume: the noise of every Bayesian tensor and the epoch's shuffle are
// reseeded from (run seed, epoch), so a resumed run draws what an uninterrupted one does and ends bit-identical.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tf } from '../engine/tf.js';
import { Adam } from '../engine/optim/adam.js';
import type { CompressionReport } from '../sparsify/compression.js';
import type { EpochRecord } from './metrics_record.js';
import { createProgress } from './progress.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { CHECKPOINT_FILE, CONFIG_FILE, METRICS_FILE, STRUCTURE_FILE, toJson } from './run_files.js';
import { writeFileAtomic } from '../data/write_file_atomic.js';
import type { TaskBatch, TrainingTask } from './task.js';

export interface TrainerOptions {
  /** Total epochs of the run; a resumed run continues up to this. */
  epochs: number;
  learningRate: number;
  /** Global gradient-norm clip (spec §6.4: none for classification, 1 char-PTB, 10 word-PTB). */
  clipNorm?: number;
  /** Adam epsilon; spec §6.4 says 1e-8 (tfjs's default would be 1e-7). */
  adamEpsilon?: number;
  /** Run seed: every epoch's noise and shuffle derive from it. */
  seed: number;
  /** Run directory; created when missing. */
  outDir: string;
  /** Continue from <outDir>/checkpoint.bin. Without it, a directory that already holds a checkpoint is refused. */
  resume?: boolean;
  /** The run's configuration (JSON-able), written to config.json and into the checkpoint. */
  config?: Record<string, unknown>;
  /** Where progress goes (default stderr); null: silent. */
  progress?: NodeJS.WriteStream | null;
  /** Called after each epoch's files are written. */
  onEpoch?: (record: EpochRecord) => void;
}

export interface TrainResult {
  /** The records of the epochs run by this call (not those before a resume). */
  records: EpochRecord[];
  /** First epoch this call ran (1, or the checkpoint's epoch + 1). */
  firstEpoch: number;
}

/** Trains `task.model` in place; see TrainerOptions. */
export async function train<B extends TaskBatch>(task: TrainingTask<B>, options: TrainerOptions): Promise<TrainResult> {
  const { epochs, outDir, seed } = options;
  if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`epochs must be a positive integer, got ${epochs}`);
  if (!Number.isInteger(seed) || seed < 0) throw new RangeError(`seed must be a non-negative integer, got ${seed}`);
  mkdirSync(outDir, { recursive: true });
  const model = task.model;
  const variables = new Map([...model.namedParameters()].filter(([, v]) => v.trainable));
  const pathOfName = new Map([...variables].map(([path, v]) => [v.name, path]));
  const optimizer = new Adam({ learningRate: options.learningRate, clipNorm: options.clipNorm, epsilon: options.adamEpsilon ?? 1e-8 });
  const config = { ...(options.config ?? {}), seed, epochs, learningRate: options.learningRate, clipNorm: options.clipNorm ?? null };
  const checkpointPath = join(outDir, CHECKPOINT_FILE);

  let firstEpoch = 1;
  if (options.resume) {
    if (!existsSync(checkpointPath)) throw new Error(`--resume: ${checkpointPath} does not exist (nothing to resume)`);
    const c = loadCheckpoint(checkpointPath);
    if (c.seed !== seed) throw new Error(`--resume: the checkpoint was trained with seed ${c.seed}, not ${seed}`);
    restoreParameters(model.namedParameters(), c.parameters, checkpointPath);
    optimizer.setState(c.optimizer);
    firstEpoch = c.epoch + 1;
    truncateMetrics(join(outDir, METRICS_FILE), c.epoch);
  } else if (existsSync(checkpointPath)) {
    throw new Error(`${outDir} already holds a run (${CHECKPOINT_FILE}); pass --resume to continue it or choose another output directory`);
  } else {
    writeFileAtomic(join(outDir, METRICS_FILE), '');
  }

  const records: EpochRecord[] = [];
  const steps = task.stepsPerEpoch();
  const klEvery = Math.max(1, Math.ceil(steps / KL_SAMPLES_PER_EPOCH));
  const progress = options.progress === null ? null : createProgress(task.description, steps, options.progress ?? process.stderr, firstEpoch);
  try {
    for (let epoch = firstEpoch; epoch <= epochs; epoch++) {
      model.train();
      model.reseedNoise(deriveSeed(seed, epoch, 1));
      const random = mulberry32(deriveSeed(seed, epoch, 2));
      let objectiveSum = 0, stepCount = 0, klSum = 0, klSamples = 0;
      const t0 = performance.now();
      for (const batch of task.trainBatches(epoch, random)) {
        let loss: number;
        // the global step: a resumed run continues the numbering of the uninterrupted one
        const step = (epoch - 1) * steps + stepCount;
        model.beforeStep(step); // step-dependent state (group lasso's schedule); no-op otherwise
        const parts = task.objectiveParts?.bind(task);
        if (!parts && stepCount % klEvery === 0) { klSum += modelKl(task); klSamples++; }
        try {
          let klPart: tf.Scalar | undefined;
          const objective = parts
            ? () => {
              const p = parts(batch);
              klPart = tf.keep(p.klPerExample);
              return tf.add(p.nll, p.klPerExample) as tf.Scalar;
            }
            : () => task.objective(batch);
          const { value, grads } = tf.variableGrads(objective, [...variables.values()]);
          const byPath: Record<string, tf.Tensor> = {};
          for (const [name, g] of Object.entries(grads)) byPath[pathOfName.get(name) ?? name] = g;
          optimizer.applyGradients(Object.fromEntries(variables), byPath);
          model.afterStep(step); // constraints the update may break (L0's log alpha clamp), scheduled pruning; no-op otherwise
          loss = value.dataSync()[0];
          if (klPart) { klSum += klPart.dataSync()[0] * task.trainSize; klSamples++; }
          tf.dispose([value, ...Object.values(grads), ...(klPart ? [klPart] : [])]);
        } finally {
          batch.dispose();
        }
        if (!Number.isFinite(loss)) throw new Error(`epoch ${epoch}, step ${stepCount + 1}: the training objective is ${loss}; stopping (the last checkpoint is epoch ${epoch - 1})`);
        objectiveSum += loss;
        stepCount++;
        progress?.tick({ loss });
        if (stepCount % 8 === 0) await new Promise<void>((resolve) => setImmediate(resolve)); // let signals and the bar's timers run
      }
      const trainSeconds = (performance.now() - t0) / 1e3;
      const trainObjective = objectiveSum / Math.max(stepCount, 1);
      const klPerExample = klSamples === 0 ? 0 : klSum / klSamples / task.trainSize;

      model.eval();
      let record: EpochRecord;
      let structure;
      try {
        const validation = task.evaluate('validation');
        const test = task.evaluate('test');
        const compression = task.compression();
        structure = task.keptStructure();
        record = { epoch, trainSeconds, trainObjective, trainNll: trainObjective - klPerExample, klPerExample, validation, test, compression };
      } finally {
        model.train();
      }
      appendFileSync(join(outDir, METRICS_FILE), `${toJson(record)}\n`);
      writeFileAtomic(join(outDir, STRUCTURE_FILE), toJson(structure));
      writeFileAtomic(join(outDir, CONFIG_FILE), toJson({ ...config, completedEpochs: epoch }, 2));
      saveCheckpoint(checkpointPath, { epoch, seed, config, parameters: hostParameters(model.namedParameters()), optimizer: optimizer.getState() });
      records.push(record);
      progress?.endEpoch(`epoch ${epoch}/${epochs}: ${summarise(record, task.primaryMetric.name)}`);
      options.onEpoch?.(record);
    }
  } finally {
    optimizer.dispose();
  }
  return { records, firstEpoch };
}

/** One line: objective, the primary metric on validation and test, compression. */
export function summarise(r: EpochRecord, primary: string): string {
  const fmt = (x: number | undefined): string => (x === undefined ? '-' : Number.isInteger(x) ? String(x) : x.toFixed(4));
  return `train ${fmt(r.trainObjective)} (nll ${fmt(r.trainNll)} + kl/N ${fmt(r.klPerExample)}) | valid ${primary} ${fmt(r.validation[primary])}`
    + ` | test ${primary} ${fmt(r.test[primary])} | ${describeCompression(r.compression)} | ${r.trainSeconds.toFixed(1)} s`;
}

export function describeCompression(c: CompressionReport): string {
  return `compression ${Number.isFinite(c.compressionRatio) ? c.compressionRatio.toFixed(2) : c.compressionRatio}x (${c.sparsityPercent.toFixed(2)}% sparse)`;
}

/**
 * For a task without objectiveParts, the record's klPerExample is the mean of the model's KL (when it has a kl()
 * method) at this many evenly spaced steps of the epoch, taken before the step's update, i.e. on the parameters that
 * step's objective saw; trainNll is the mean objective minus it. Every step would cost a second pass over all
 * Bayesian tensors (about a quarter of an IMDB step). An estimate: early on, when the KL moves fast, trainNll is off.
 */
const KL_SAMPLES_PER_EPOCH = 8;

/** The model's summed KL, or 0 when it has no kl() method. */
function modelKl<B extends TaskBatch>(task: TrainingTask<B>): number {
  const kl = (task.model as unknown as { kl?: () => tf.Scalar }).kl;
  if (typeof kl !== 'function') return 0;
  const t = kl.call(task.model);
  const v = t.dataSync()[0];
  t.dispose();
  return v;
}

export function hostParameters(params: Map<string, tf.Variable>): Map<string, { shape: number[]; values: Float32Array }> {
  const out = new Map<string, { shape: number[]; values: Float32Array }>();
  for (const [path, v] of params) out.set(path, { shape: v.shape.slice(), values: Float32Array.from(v.dataSync() as Float32Array) });
  return out;
}

/** Assigns checkpointed values to the model's parameters; names and shapes must match exactly. */
export function restoreParameters(params: Map<string, tf.Variable>, saved: Map<string, { shape: number[]; values: Float32Array }>, file: string): void {
  for (const path of saved.keys()) if (!params.has(path)) throw new Error(`${file}: parameter ${path} is not in the model (different preset or config?)`);
  for (const [path, v] of params) {
    const s = saved.get(path);
    if (!s) throw new Error(`${file}: the checkpoint lacks parameter ${path} (different preset or config?)`);
    if (s.shape.join() !== v.shape.join()) throw new Error(`${file}: parameter ${path} has shape [${s.shape}] in the checkpoint, [${v.shape}] in the model`);
    const t = tf.tensor(s.values, s.shape, 'float32');
    v.assign(t);
    t.dispose();
  }
}

/** Drops metrics lines past `lastEpoch` (an epoch whose checkpoint was never written), atomically. */
function truncateMetrics(path: string, lastEpoch: number): void {
  if (!existsSync(path)) return;
  const kept = readFileSync(path, 'utf8').split('\n').filter((line) => {
    if (line.trim() === '') return false;
    try {
      return (JSON.parse(line) as { epoch: number }).epoch <= lastEpoch;
    } catch {
      return false; // a line cut short by a crash
    }
  });
  writeFileAtomic(path, kept.map((l) => `${l}\n`).join(''));
}

/** A 32-bit seed for (run seed, epoch, stream): stream 1 = noise, 2 = shuffle. */
export function deriveSeed(seed: number, epoch: number, stream: number): number {
  let h = seed >>> 0;
  for (const x of [epoch, stream]) {
    h = Math.imul(h ^ (x >>> 0), 0x9e3779b1) >>> 0;
    h = Math.imul(h ^ (h >>> 15), 0x85ebca6b) >>> 0;
    h = (h ^ (h >>> 13)) >>> 0;
  }
  return h;
}

/** mulberry32: a small, fast U[0, 1) stream. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
