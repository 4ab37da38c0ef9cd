// Pieces of a run configuration that the classifier and language-model runs share: field validation, --config
// JSON files, the saved config.json of a run directory, the --resume consistency check and checkpoint loading.
import { existsSync, readFileSync } from 'node:fs';
import type { KlForm } from '../nn/bayes/kl.js';
import { join } from 'node:path';
import type { tf } from '../engine/tf.js';
import { DataFileError } from '../data/data_file_error.js';
import { loadCheckpoint } from '../train/checkpoint.js';
import { CHECKPOINT_FILE, CONFIG_FILE } from '../train/run_files.js';
import { restoreParameters } from '../train/trainer.js';

export type FieldKind = 'int' | 'nonNegativeInt' | 'positive' | 'string' | 'intOrNull' | 'positiveOrNull' | 'fractionOrNull' | 'stringOrNull';

/** Throws naming `key`, what was expected and `source` unless `v` is of `kind`. */
export function checkField(key: string, v: unknown, kind: FieldKind, source: string): void {
  const bad = (expected: string): never => { throw new Error(`${key}: expected ${expected}, got ${JSON.stringify(v)} (from ${source} or flags)`); };
  switch (kind) {
    case 'string': if (typeof v !== 'string' || v === '') bad('a non-empty string'); break;
    case 'int': if (!Number.isInteger(v) || (v as number) < 1) bad('a positive integer'); break;
    case 'nonNegativeInt': if (!Number.isInteger(v) || (v as number) < 0) bad('a non-negative integer'); break;
    case 'positive': if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) bad('a positive number'); break;
    case 'intOrNull': if (v !== null && (!Number.isInteger(v) || (v as number) < 1)) bad('a positive integer or null'); break;
    case 'positiveOrNull': if (v !== null && (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v))) bad('a positive number or null'); break;
    case 'fractionOrNull': if (v !== null && (typeof v !== 'number' || !(v >= 0 && v < 1))) bad('a number in [0, 1) or null'); break;
    case 'stringOrNull': if (v !== null && (typeof v !== 'string' || v === '')) bad('a non-empty string or null'); break;
  }
}

/** Throws on the first key of `fields` that `known` lacks (a config file's typo). */
export function rejectUnknownFields(fields: Record<string, unknown>, known: Record<string, unknown>, source: string): void {
  for (const key of Object.keys(fields)) {
    if (!Object.hasOwn(known, key)) throw new Error(`${source}: unknown field "${key}"; known fields: ${Object.keys(known).join(', ')}`);
  }
}

export function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Reads a --config JSON file: an object of run settings. */
/** What a run type (classifier, language model) tells resolveFields about its configuration. */
export interface RunConfigSpec<Task extends string> {
  fields: Record<string, FieldKind>;
  tasks: readonly Task[];
  /** Per-task defaults of the fields the task decides (sizes, learning rate, data folder...). */
  taskDefaults: Record<Task, Record<string, unknown>>;
  /** Defaults common to every task (seed, subsampling...). */
  commonDefaults: Record<string, unknown>;
  /** e.g. "--preset NAME or a 6-character config string, e.g. sparsevd, w+g+n, LLLLLL". */
  presetHelp: string;
  /** Throws (listing the valid presets) unless `preset` resolves. */
  checkPreset(preset: string): void;
}

/**
 * Merges `fromFile` (a --config file's object) under `fromFlags` (only the flags given on the command line), fills
 * the common and the task's defaults and validates every field. `source` names where fields came from, for errors.
 */
/** --kl: the KL approximation of the objective (spec §2.2): Molchanov et al. (default) or the authors' repo variant. */
export const KL_FORMS = ['molchanov', 'repo'] as const satisfies readonly KlForm[];

export function resolveFields<Task extends string>(spec: RunConfigSpec<Task>, fromFlags: object,
  fromFile: Record<string, unknown>, source: string): Record<string, unknown> {
  rejectUnknownFields(fromFile, spec.fields, source);
  const merged: Record<string, unknown> = { ...fromFile, ...stripUndefined(fromFlags) };
  const task = merged.task;
  if (typeof task !== 'string' || !(spec.tasks as readonly string[]).includes(task)) {
    throw new Error(`task: expected one of ${spec.tasks.join(', ')} (--task), got ${JSON.stringify(task)}`);
  }
  if (merged.preset === undefined) throw new Error(`preset: required (${spec.presetHelp})`);
  const full: Record<string, unknown> = { epochs: undefined, ...spec.commonDefaults, ...spec.taskDefaults[task as Task], ...merged };
  if (full.epochs === undefined) throw new Error('epochs: required (--epochs N)');
  for (const [key, kind] of Object.entries(spec.fields)) checkField(key, full[key], kind, source);
  spec.checkPreset(full.preset as string);
  if (!(KL_FORMS as readonly unknown[]).includes(full.kl)) throw new Error(`kl: expected one of ${KL_FORMS.join(', ')} (--kl), got ${JSON.stringify(full.kl)}`);
  return Object.fromEntries(Object.keys(spec.fields).map((k) => [k, full[k]]));
}

export function readConfigFile(path: string): Record<string, unknown> {
  if (!existsSync(path)) throw new DataFileError(path, 'missing config file');
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new DataFileError(path, `not valid JSON (${(e as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DataFileError(path, 'expected a JSON object of run settings');
  return value as Record<string, unknown>;
}

/** <run>/config.json as written by the trainer (run settings plus the trainer's own fields). */
export function readSavedRunFile(runDir: string): { path: string; saved: Record<string, unknown> } {
  const path = join(runDir, CONFIG_FILE);
  if (!existsSync(path)) throw new DataFileError(path, 'missing: not a training run directory (no config.json)');
  return { path, saved: readConfigFile(path) };
}

/** The saved fields that `known` names (the trainer's extra fields dropped). */
export function knownSavedFields(saved: Record<string, unknown>, known: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(saved).filter(([k]) => Object.hasOwn(known, k)));
}

/**
 * The configuration of a resumed run: the saved one, with only the `resumable` settings taken from `requested`;
 * any other requested setting must equal the saved value.
 */
export function resumedConfig<C extends object>(outDir: string, saved: C, requested: Partial<C>, resumable: readonly (keyof C)[]): C {
  const merged: C = { ...saved };
  for (const [key, value] of Object.entries(requested) as [keyof C & string, unknown][]) {
    if (value === undefined) continue;
    if (resumable.includes(key)) {
      (merged as Record<string, unknown>)[key] = value;
      continue;
    }
    if (JSON.stringify(value) !== JSON.stringify(saved[key])) {
      throw new Error(`--resume: ${key} is ${JSON.stringify(saved[key])} in ${join(outDir, CONFIG_FILE)}; a resumed run cannot change it to ${JSON.stringify(value)} (only ${resumable.join(', ')} may change)`);
    }
  }
  return merged;
}

/** Throws unless <outDir>/config.json exists (the run --resume continues). */
export function requireRunToResume(outDir: string): void {
  if (!existsSync(join(outDir, CONFIG_FILE))) throw new Error(`--resume: ${join(outDir, CONFIG_FILE)} does not exist (no run to resume in ${outDir})`);
}

/** config.json's vocabularySize, written by `train` (compress rebuilds the model without loading the dataset). */
export function savedVocabularySize(runDir: string): number {
  const path = join(runDir, CONFIG_FILE);
  const v = readConfigFile(path).vocabularySize;
  if (!Number.isInteger(v) || (v as number) < 1) throw new DataFileError(path, `vocabularySize: expected a positive integer, got ${JSON.stringify(v)}`);
  return v as number;
}

interface CheckpointedModel {
  namedParameters(): Map<string, tf.Variable>;
  dispose(): void;
}

/** A freshly built model with the parameters of the run's last checkpoint, and that checkpoint's epoch. */
export function loadFromRunCheckpoint<M extends CheckpointedModel>(runDir: string, build: () => M): { model: M; epoch: number } {
  const path = join(runDir, CHECKPOINT_FILE);
  if (!existsSync(path)) throw new DataFileError(path, 'missing: the run has no checkpoint yet (no epoch finished)');
  const checkpoint = loadCheckpoint(path);
  const model = build();
  try {
    restoreParameters(model.namedParameters(), checkpoint.parameters, path);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return { model, epoch: checkpoint.epoch };
}
