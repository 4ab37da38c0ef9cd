// The files of a memory-split sweep directory: sweep.json (the settings every cell was trained with) and one JSON
// record per (budget, k) cell in cells/, each written atomically, so a killed sweep leaves only whole records.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../data/write_file_atomic.js';
import { DataFileError } from '../data/data_file_error.js';
import type { MeanAndSpread } from './run_statistics.js';
import type { MemberFamilySpec } from './member_family.js';
import type { SubEnsembleSummary } from './sub_ensembles.js';

export const SWEEP_FILE = 'sweep.json';
export const CELLS_DIR = 'cells';

/** Settings that must be equal for two cells to be comparable (a resumed sweep checks them). */
export interface SweepSettings {
  family: MemberFamilySpec;
  /** Human description of the data (dataset, train size, validation rule). */
  data: string;
  epochs: number;
  runs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
}

/** One repeated run of a cell: the ensemble of k fresh members. */
export interface SplitRunMetrics {
  accuracy: number;
  nll: number;
  /** Spec §3 CNLL: temperature after averaging, 2-fold x 5 cross-validation on the test set. */
  cnll: number;
  /** Test NLL at the temperature fitted on the validation split (spec §6.5's alternative). */
  validationCalibratedNll: number;
  temperature: number;
}

export const RUN_METRICS = ['accuracy', 'nll', 'cnll', 'validationCalibratedNll', 'temperature'] as const;

export interface SplitCellRecord {
  budget: number;
  k: number;
  width: number;
  memberParameters: number;
  totalParameters: number;
  /** (total - budget) / budget. */
  relativeError: number;
  /** Member seeds per run. */
  seeds: number[][];
  runs: SplitRunMetrics[];
  /** Mean and spread over runs of each metric. */
  metrics: Record<keyof SplitRunMetrics, MeanAndSpread>;
  /** Disjoint groups of n = 1, 2, 4, ..., k of this cell's members scored as ensembles (absent in older records). */
  subEnsembles?: SubEnsembleSummary[];
  /** Mean final training loss of the members. */
  trainLoss: number;
  /** Summed training seconds of all members (worker time, not wall time). */
  memberSeconds: number;
  wallSeconds: number;
  settings: SweepSettings;
}

export function cellFileName(budget: number, k: number): string {
  return `budget-${budget}-k-${k}.json`;
}

export function cellPath(dir: string, budget: number, k: number): string {
  return join(dir, CELLS_DIR, cellFileName(budget, k));
}

export function writeCellRecord(dir: string, record: SplitCellRecord): void {
  mkdirSync(join(dir, CELLS_DIR), { recursive: true });
  writeFileAtomic(cellPath(dir, record.budget, record.k), `${JSON.stringify(record, null, 2)}\n`);
}

function parseJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new DataFileError(path, `not valid JSON (${(e as Error).message})`);
  }
}

/** The cell's record if it exists (null otherwise). */
export function readCellRecord(dir: string, budget: number, k: number): SplitCellRecord | null {
  const path = cellPath(dir, budget, k);
  return existsSync(path) ? checkCell(parseJson(path), path) : null;
}

function checkCell(value: unknown, path: string): SplitCellRecord {
  const r = value as Partial<SplitCellRecord>;
  for (const field of ['budget', 'k', 'width', 'totalParameters', 'relativeError'] as const) {
    if (typeof r[field] !== 'number') throw new DataFileError(path, `field ${field} must be a number`);
  }
  if (!r.metrics || typeof r.metrics.cnll?.mean !== 'number' || typeof r.metrics.accuracy?.mean !== 'number') {
    throw new DataFileError(path, 'field metrics must hold cnll and accuracy as { mean, std, ... }');
  }
  if (!Array.isArray(r.runs)) throw new DataFileError(path, 'field runs must be an array');
  if (r.subEnsembles !== undefined && (!Array.isArray(r.subEnsembles)
    || r.subEnsembles.some((s) => typeof s?.members !== 'number' || typeof s?.cnll?.mean !== 'number'))) {
    throw new DataFileError(path, 'field subEnsembles must be an array of { members, groups, accuracy, nll, cnll }');
  }
  return r as SplitCellRecord;
}

/** Every cell record of a sweep directory, sorted by budget then k. */
export function readSweepCells(dir: string): SplitCellRecord[] {
  const cells = join(dir, CELLS_DIR);
  if (!existsSync(cells)) throw new DataFileError(cells, 'missing: not a sweep directory (run parsimony split sweep --out DIR first)');
  return readdirSync(cells).filter((f) => /^budget-.*\.json$/.test(f))
    .map((f) => checkCell(parseJson(join(cells, f)), join(cells, f)))
    .sort((a, b) => a.budget - b.budget || a.k - b.k);
}

export function readSweepSettings(dir: string): SweepSettings | null {
  const path = join(dir, SWEEP_FILE);
  return existsSync(path) ? (parseJson(path) as SweepSettings) : null;
}

export function writeSweepSettings(dir: string, settings: SweepSettings): void {
  mkdirSync(dir, { recursive: true });
  writeFileAtomic(join(dir, SWEEP_FILE), `${JSON.stringify(settings, null, 2)}\n`);
}
