// `parsimony train`: trains the sparse text classifier on IMDB, AG News or the package-shipped SpamAssassin corpus,
// or the sparse LSTM language model on char-PTB, word-PTB or the package-shipped Moby Dick, writing metrics.jsonl,
// structure.json, config.json and a checkpoint per epoch into --out; --resume continues.
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { useBestBackend } from '../engine/backend.js';
import { getNumThreads, setNumThreads } from '../engine/threads.js';
import { buildOrLoadPpmiEmbeddings } from '../data/ppmi_embedding_cache.js';
import { unpaddedSequences } from '../data/ppmi_embeddings.js';
import { parsimonyCacheDir } from '../data/imdb_archive.js';
import type { SparseTextClassifier } from '../nn/sparse_text_classifier.js';
import { train } from '../train/trainer.js';
import { positiveInt, nonNegativeInt, positiveNumber, oneOf } from './arg_parsers.js';
import {
  CLASSIFICATION_TASKS, CLASSIFIER_CELLS, EMBEDDING_INITS, buildClassificationTask, buildClassifier, loadClassificationData,
  readRunConfig, resolveRunConfig, type ClassifierRunConfig, type LoadedClassificationData,
} from './classifier_run.js';
import {
  LANGUAGE_MODEL_TASKS, buildLanguageModelTask, isLanguageModelTask, loadLanguageModelData, readLanguageModelRunConfig,
  resolveLanguageModelRunConfig, type LanguageModelRunConfig,
} from './language_model_run.js';
import { DEFAULT_L0_OPTIONS } from '../nn/bayes/l0_penalty.js';
import { SPARSIFICATION_METHODS, resolveSparsificationMethod } from '../sparsify/sparsification_method.js';
import {
  DEFAULT_FINAL_SPARSITY, DEFAULT_PRUNING_EVENTS, GROUP_LASSO_FLAGS, parsePhaseLength, resolvePruningSchedule,
} from './group_lasso_run.js';
import { DEFAULT_GROUP_LASSO_OPTIONS } from '../sparsify/group_lasso_regularizer.js';
import { PruningSchedule } from '../sparsify/pruning_schedule.js';
import { classificationStepsPerEpoch } from '../train/tasks/classification_task.js';
import { KL_FORMS, readConfigFile, readSavedRunFile, requireRunToResume, resumedConfig } from './run_config.js';

export const TRAIN_TASKS = [...CLASSIFICATION_TASKS, ...LANGUAGE_MODEL_TASKS] as const;

/** Settings of either kind of run; a classifier run refuses the LM-only ones and vice versa, naming the flag. */
export type TrainFlags = Partial<Omit<ClassifierRunConfig, 'task'> & Omit<LanguageModelRunConfig, 'task'>> & { task?: string };

const CLASSIFIER_ONLY: Partial<Record<keyof TrainFlags, string>> = {
  cell: '--cell', embeddingDim: '--embedding-dim', embeddings: '--embeddings', ...GROUP_LASSO_FLAGS,
};
const LANGUAGE_MODEL_ONLY: Partial<Record<keyof TrainFlags, string>> = { maxSteps: '--max-steps' };

export interface TrainCommandOptions {
  /** Settings given explicitly (flags); undefined = not given. */
  flags: TrainFlags;
  configFile?: string;
  out: string;
  resume?: boolean;
  threads?: number;
  /** Progress stream; null = silent (tests). */
  progress?: NodeJS.WriteStream | null;
  log?: (line: string) => void;
}

/** Settings that may change when resuming (the rest must match the run's config.json). */
const RESUMABLE_CHANGES = ['epochs'] as const;

/** Trains a classifier or a language model, whichever --task (or, with --resume, the run's config.json) names. */
export async function runTrain(o: TrainCommandOptions): Promise<void> {
  const fromFile = o.configFile ? readConfigFile(o.configFile) : {};
  const task = o.resume ? (requireRunToResume(o.out), readSavedRunFile(o.out).saved.task) : o.flags.task ?? fromFile.task;
  if (task === undefined) throw new Error(`task: required (--task ${TRAIN_TASKS.join(' | ')})`);
  if (!(TRAIN_TASKS as readonly unknown[]).includes(task)) throw new Error(`task: expected one of ${TRAIN_TASKS.join(', ')}, got ${JSON.stringify(task)}`);
  const languageModel = isLanguageModelTask(task);
  const foreign = languageModel ? CLASSIFIER_ONLY : LANGUAGE_MODEL_ONLY;
  for (const [key, flag] of Object.entries(foreign) as [keyof TrainFlags, string][]) {
    if (o.flags[key] !== undefined) throw new Error(`${flag} applies to ${languageModel ? `the classification tasks (${CLASSIFICATION_TASKS.join(', ')})` : `the language-model tasks (${LANGUAGE_MODEL_TASKS.join(', ')})`} only, not to ${String(task)}`);
  }
  if (languageModel) await trainLanguageModel(o, fromFile);
  else await trainClassifier(o, fromFile);
}

async function trainClassifier(o: TrainCommandOptions, fromFile: Record<string, unknown>): Promise<void> {
  const log = o.log ?? ((line: string) => console.log(line));
  const flags = o.flags as Partial<ClassifierRunConfig>;
  const config = o.resume
    ? resumedConfig(o.out, readRunConfig(o.out), { ...fromFile, ...flags } as Partial<ClassifierRunConfig>, RESUMABLE_CHANGES)
    : resolveRunConfig(flags, fromFile, o.configFile ?? 'the flags');

  const backend = await useBestBackend();
  if (o.threads !== undefined) setNumThreads(o.threads);
  const t0 = performance.now();
  const data = loadClassificationData(config);
  log(`backend ${backend} (${getNumThreads()} threads) | ${data.summary} | loaded in ${((performance.now() - t0) / 1e3).toFixed(1)} s`);
  const stepsPerEpoch = classificationStepsPerEpoch(data.dataset.train.count, config.batch);
  const schedule = config.method === 'group-lasso' ? classifierPruningSchedule(o, config, stepsPerEpoch) : null;
  if (schedule) {
    const total = config.epochs * stepsPerEpoch;
    log(`group-lasso schedule (steps): ${JSON.stringify(schedule.toJSON())}`);
    if (schedule.lastPruningStep >= total) log(`warning: the last pruning event is at step ${schedule.lastPruningStep}, after this run's ${total} steps; resume with more --epochs to finish the schedule`);
  }
  const model = buildClassifier(config, data.dataset.vocabularySize, schedule);
  try {
    if (!o.resume && config.embeddings === 'ppmi') initPpmiEmbeddings(model, config, data, log);
    const task = buildClassificationTask(config, data, model);
    log(`model: ${task.description}, embedding ${data.dataset.vocabularySize} x ${config.embeddingDim}, ${model.parameterCount()} parameters, `
      + `${task.stepsPerEpoch()} steps per epoch of ${config.batch}`);
    await train(task, {
      epochs: config.epochs, learningRate: config.lr, clipNorm: config.clipNorm ?? undefined, seed: config.seed, outDir: o.out,
      resume: o.resume, progress: o.progress,
      config: { ...config, vocabularySize: data.dataset.vocabularySize, ...(schedule ? { pruningSchedule: schedule.toJSON() } : {}) },
    });
  } finally {
    model.dispose();
  }
}

/**
 * Group lasso's schedule in steps: resolved from the run's settings and length when the run starts, and saved in
 * config.json (`pruningSchedule`); a resumed run reads it back, so extending --epochs only lengthens fine-tuning.
 */
function classifierPruningSchedule(o: TrainCommandOptions, config: ClassifierRunConfig, stepsPerEpoch: number): PruningSchedule {
  if (o.resume) {
    const { path, saved } = readSavedRunFile(o.out);
    if (saved.pruningSchedule === undefined) throw new Error(`${path}: field "pruningSchedule" is missing (a group-lasso run saves its schedule there)`);
    return PruningSchedule.fromJSON(saved.pruningSchedule, `${path} field "pruningSchedule"`);
  }
  return resolvePruningSchedule(config, config.epochs, stepsPerEpoch);
}

async function trainLanguageModel(o: TrainCommandOptions, fromFile: Record<string, unknown>): Promise<void> {
  const log = o.log ?? ((line: string) => console.log(line));
  const flags = o.flags as Partial<LanguageModelRunConfig>;
  const config = o.resume
    ? resumedConfig(o.out, readLanguageModelRunConfig(o.out), { ...fromFile, ...flags } as Partial<LanguageModelRunConfig>, RESUMABLE_CHANGES)
    : resolveLanguageModelRunConfig(flags, fromFile, o.configFile ?? 'the flags');

  const backend = await useBestBackend();
  if (o.threads !== undefined) setNumThreads(o.threads);
  const t0 = performance.now();
  const data = loadLanguageModelData(config);
  log(`backend ${backend} (${getNumThreads()} threads) | ${data.summary} | loaded in ${((performance.now() - t0) / 1e3).toFixed(1)} s`);
  const task = buildLanguageModelTask(config, data);
  try {
    const V = data.corpus.vocabulary.tokens.length;
    log(`model: ${task.description}, one-hot ${V}, ${task.model.parameterCount()} parameters, ${task.stepsPerEpoch()} steps per epoch of ${config.batch}`
      + `${config.maxSteps === null ? '' : ` (--max-steps ${config.maxSteps})`}`);
    await train(task, {
      epochs: config.epochs, learningRate: config.lr, clipNorm: config.clipNorm ?? undefined, seed: config.seed, outDir: o.out,
      resume: o.resume, progress: o.progress, config: { ...config, vocabularySize: V, primaryMetric: task.primaryMetric },
    });
  } finally {
    task.model.dispose();
  }
}

/**
 * Spec §6.3 initialises the embedding with pretrained vectors; offline, PPMI vectors built from the training split
 * stand in (rnn-practical-notes note 2), built from the whole training split (whatever --max-train is) and cached
 * under the parsimony cache folder.
 */
function initPpmiEmbeddings(model: SparseTextClassifier, config: ClassifierRunConfig, data: LoadedClassificationData, log: (line: string) => void): void {
  const t0 = performance.now();
  const cacheFile = join(parsimonyCacheDir(), `ppmi-${config.task}-${data.dataset.vocabularySize}x${config.embeddingDim}.bin`);
  const e = buildOrLoadPpmiEmbeddings(cacheFile, unpaddedSequences(data.fullTrain), data.dataset.vocabularySize, { dim: config.embeddingDim });
  const rows = model.initEmbeddings(e.vectors, e.dim, e.rowsWithVector);
  log(`embeddings: PPMI vectors for ${rows} of ${e.vocabSize} ids ${e.fromCache ? `from ${cacheFile}` : `built and cached in ${cacheFile}`} `
    + `(${((performance.now() - t0) / 1e3).toFixed(1)} s)`);
}

export function registerTrainCommand(program: Command): void {
  program.command('train')
    .description('train a sparse LSTM (or GRU) text classifier or a sparse LSTM language model; writes metrics.jsonl, structure.json, config.json and checkpoint.bin into --out')
    .option('--task <name>', `dataset: ${TRAIN_TASKS.join(' | ')} (spam and moby-dick ship with the package)`, oneOf('--task', TRAIN_TASKS))
    .option('--preset <name|config>', 'sparsification: dense, sparsevd, sparsevd-voc, w+n, w+g+n, or a config string (6 characters for a classifier such as LLLLLL, 4 for a language model such as LLRL)')
    .option('--epochs <n>', 'total epochs (with --resume: continue up to this many)', positiveInt('--epochs'))
    .requiredOption('--out <dir>', 'run directory')
    .option('--resume', 'continue the run in --out from its last checkpoint (bit-identical to an uninterrupted run)')
    .option('--config <file>', 'JSON file of settings (task, preset, epochs, hidden, batch, lr, clipNorm, seed, maxTrain, maxEval, dataDir, method, l0Lambda; classifiers: cell, embeddingDim, embeddings, glLambda, glThreshold, glSparsity, glWarmup, glPruning, glFineTune, glPruneEvents; language models: maxSteps); flags override it')
    .option('--cell <kind>', `classifiers: recurrent cell: ${CLASSIFIER_CELLS.join(' | ')} (default lstm; language models are LSTMs)`, oneOf('--cell', CLASSIFIER_CELLS))
    .option('--hidden <n>', 'recurrent units (imdb 128, agnews 512, spam 64; char-ptb, moby-dick 1000; word-ptb 256)', positiveInt('--hidden'))
    .option('--embedding-dim <n>', 'classifiers: embedding size (imdb, agnews 300; spam 64)', positiveInt('--embedding-dim'))
    .option('--batch <n>', 'mini-batch: documents (imdb, agnews 128; spam 64), windows (char-ptb, moby-dick 64) or stream columns (word-ptb 32)', positiveInt('--batch'))
    .option('--lr <x>', 'Adam learning rate (imdb, agnews 5e-4; spam 1e-3; language models 2e-3)', positiveNumber('--lr'))
    .option('--clip-norm <x>', 'clip gradients to this global norm (spec §6.4: classifiers none; char-ptb, moby-dick 1; word-ptb 10)', positiveNumber('--clip-norm'))
    .option('--seed <n>', 'run seed: initialisation, noise and shuffles (default 1)', nonNegativeInt('--seed'))
    .option('--threads <n>', 'compute threads (default: all cores or PARSIMONY_THREADS)', positiveInt('--threads'))
    .option('--max-train <n>', 'train on the first N training documents (classifiers), windows of 100 characters (char LMs) or tokens (word-ptb) only (quick runs)', positiveInt('--max-train'))
    .option('--max-eval <n>', 'evaluate the first N validation and test documents, windows or tokens only (quick runs)', positiveInt('--max-eval'))
    .option('--max-steps <n>', 'language models: at most N training steps per epoch (smoke runs)', positiveInt('--max-steps'))
    .option('--data-dir <dir>', 'dataset folder (default ../shared/data/text/{imdb,ag_news,ptb_char,ptb_word})')
    .option('--embeddings <kind>', `classifiers: embedding initialisation: ${EMBEDDING_INITS.join(' | ')} (default ppmi for imdb, agnews; none for spam)`, oneOf('--embeddings', EMBEDDING_INITS))
    .option('--kl <form>', `KL approximation in the objective: ${KL_FORMS.join(' | ')} (default molchanov; repo = the authors' code, ~0.67 lower per weight, same gradients up to rounding)`, oneOf('--kl', KL_FORMS))
    .option('--method <name>', `how the preset's prunable parts are sparsified: ${SPARSIFICATION_METHODS.join(' | ')} (default sparsevd; group-lasso: classifiers only)`, (v: string) => {
      try { return resolveSparsificationMethod(v, '--method'); } catch (e) { throw new InvalidArgumentError((e as Error).message); }
    })
    .option('--l0-lambda <x>', `with --method l0: penalty per kept weight (default ${DEFAULT_L0_OPTIONS.lambda})`, positiveNumber('--l0-lambda'))
    .option('--gl-lambda <x>', `classifiers with --method group-lasso: penalty weight lambda, summed over the training set like the KL (default ${DEFAULT_GROUP_LASSO_OPTIONS.lambda}; the spec leaves it TBD, untuned)`, positiveNumber('--gl-lambda'))
    .option('--gl-threshold <x>', `with --method group-lasso: prune a group when its RMS weight ||W_g|| / sqrt(|g|) is below this (default ${DEFAULT_GROUP_LASSO_OPTIONS.threshold}; TBD in the spec, untuned)`, positiveNumber('--gl-threshold'))
    .option('--gl-sparsity <s>', `with --method group-lasso: final magnitude sparsity of the weights in [0, 1) (default ${DEFAULT_FINAL_SPARSITY})`, fraction('--gl-sparsity'))
    .option('--gl-warmup <len>', 'with --method group-lasso: warm-up (penalty on, nothing pruned), N epochs or Nsteps (default 25% of the run)', phaseLength('--gl-warmup'))
    .option('--gl-pruning <len>', 'with --method group-lasso: gradual pruning (Zhu-Gupta cubic ramp), N epochs or Nsteps (default 50% of the run)', phaseLength('--gl-pruning'))
    .option('--gl-fine-tune <len>', 'with --method group-lasso: fine-tuning (penalty off, masks frozen), N epochs or Nsteps (default the rest, 25%)', phaseLength('--gl-fine-tune'))
    .option('--gl-prune-events <n>', `with --method group-lasso: pruning events over the pruning phase (default ${DEFAULT_PRUNING_EVENTS})`, positiveInt('--gl-prune-events'))
    .action(async (o: Record<string, unknown>) => {
      await runTrain({
        flags: {
          task: o.task as string | undefined, preset: o.preset as string | undefined, epochs: o.epochs as number | undefined,
          cell: o.cell as ClassifierRunConfig['cell'] | undefined,
          hidden: o.hidden as number | undefined, embeddingDim: o.embeddingDim as number | undefined, batch: o.batch as number | undefined,
          lr: o.lr as number | undefined, clipNorm: o.clipNorm as number | undefined, seed: o.seed as number | undefined,
          maxTrain: o.maxTrain as number | undefined, maxEval: o.maxEval as number | undefined, maxSteps: o.maxSteps as number | undefined,
          dataDir: o.dataDir as string | undefined, embeddings: o.embeddings as ClassifierRunConfig['embeddings'] | undefined,
          kl: o.kl as ClassifierRunConfig['kl'] | undefined, method: o.method as ClassifierRunConfig['method'] | undefined,
          l0Lambda: o.l0Lambda as number | undefined,
          glLambda: o.glLambda as number | undefined, glThreshold: o.glThreshold as number | undefined, glSparsity: o.glSparsity as number | undefined,
          glWarmup: o.glWarmup as string | undefined, glPruning: o.glPruning as string | undefined, glFineTune: o.glFineTune as string | undefined,
          glPruneEvents: o.glPruneEvents as number | undefined,
        },
        configFile: o.config as string | undefined, out: o.out as string, resume: o.resume === true, threads: o.threads as number | undefined,
      });
    });
}

/** commander parser of a number in [0, 1). */
function fraction(flag: string): (v: string) => number {
  return (v) => {
    const x = Number(v);
    if (v.trim() === '' || !(x >= 0 && x < 1)) throw new InvalidArgumentError(`${flag}: expected a number in [0, 1), got ${JSON.stringify(v)}`);
    return x;
  };
}

/** commander parser of a phase length: N epochs or Nsteps (kept as text, resolved once the run's length is known). */
function phaseLength(flag: string): (v: string) => string {
  return (v) => {
    try { parsePhaseLength(v, flag); } catch (e) { throw new InvalidArgumentError((e as Error).message); }
    return v.trim();
  };
}
