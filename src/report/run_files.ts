// Reads and validates a training run directory (metrics.jsonl, structure.json, config.json) for the report.
// Every error names the file, the line (metrics.jsonl) and the field, and says what was expected.
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { DataFileError } from '../data/data_file_error.js';
import type { CompressionReport, GateCounts, KeptCount, LstmTensorCounts } from '../sparsify/compression.js';
import type { EpochRecord } from '../train/metrics_record.js';
import type { KeptStructure, SplitMetrics } from '../train/task.js';
import { CONFIG_FILE, METRICS_FILE, STRUCTURE_FILE } from '../train/run_files.js';


export interface RunFiles {
  dir: string;
  /** One record per epoch, ascending; a later line for the same epoch (a resumed run) replaces an earlier one. */
  epochs: EpochRecord[];
  /** config.json as written; undefined when the file is absent. */
  config?: Record<string, unknown>;
  /** structure.json with its arrays typed as in KeptStructure; undefined when the file is absent. */
  structure?: KeptStructure;
  /** What was read but not used, e.g. a last metrics line cut short by a crash. */
  warnings: string[];
}

/** Reads a run directory. metrics.jsonl is required; config.json and structure.json are optional. */
export function readRunFiles(dir: string): RunFiles {
  const metricsPath = join(dir, METRICS_FILE);
  if (!existsSync(metricsPath)) throw new DataFileError(metricsPath, `missing: a run directory needs ${METRICS_FILE}`);
  const warnings: string[] = [];
  const epochs = parseMetricsJsonl(readFileSync(metricsPath, 'utf8'), metricsPath, warnings);
  const configPath = join(dir, CONFIG_FILE);
  const structurePath = join(dir, STRUCTURE_FILE);
  return {
    dir,
    epochs,
    config: existsSync(configPath) ? parseConfig(readFileSync(configPath, 'utf8'), configPath) : undefined,
    structure: existsSync(structurePath) ? parseStructure(readFileSync(structurePath, 'utf8'), structurePath) : undefined,
    warnings,
  };
}

/**
 * Parses metrics.jsonl text: one EpochRecord per non-blank line. A last line without its newline that is not valid
 * JSON was cut short by a crash (or is being appended right now): it is skipped with a warning; any other bad line
 * is an error.
 */
export function parseMetricsJsonl(text: string, file: string, warnings: string[] = []): EpochRecord[] {
  const byEpoch = new Map<number, EpochRecord>();
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      if (i === lines.length - 1) {
        warnings.push(`${file}:${i + 1}: skipped an incomplete last line (no newline, not valid JSON)`);
        return;
      }
      throw new DataFileError(file, `not valid JSON (${(e as Error).message})`, i + 1);
    }
    const record = epochRecord(new FieldReader(file, i + 1), value);
    byEpoch.set(record.epoch, record);
  });
  if (byEpoch.size === 0) throw new DataFileError(file, 'no epoch records (the file is empty)');
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

export function parseConfig(text: string, file: string): Record<string, unknown> {
  const value = parseJson(text, file);
  if (!isObject(value)) throw new DataFileError(file, `expected a JSON object, got ${describe(value)}`);
  return value;
}

/** Parses structure.json: KeptStructure with its typed arrays stored as plain JSON arrays (NaN as null). */
export function parseStructure(text: string, file: string): KeptStructure {
  const value = parseJson(text, file);
  const r = new FieldReader(file);
  const o = r.object(value, '');
  const out: KeptStructure = {};
  if (o.keptWords !== undefined && o.keptWords !== null) {
    out.keptWords = r.array(o.keptWords, 'keptWords').map((w, i) => {
      if (typeof w !== 'string') r.fail(`keptWords[${i}]`, 'a string', w);
      return w as string;
    });
  }
  if (o.gateStates !== undefined && o.gateStates !== null) {
    const states = gateRows(r, o.gateStates, 'gateStates', (v, f) => {
      if (v !== -1 && v !== 0 && v !== 1) r.fail(f, '-1 (removed), 0 (constant) or 1 (computed)', v);
      return v as number;
    });
    out.gateStates = Object.fromEntries(Object.entries(states).map(([k, row]) => [k, Int8Array.from(row)]));
  }
  if (o.constantGateValues !== undefined && o.constantGateValues !== null) {
    const values = gateRows(r, o.constantGateValues, 'constantGateValues', (v, f) => r.number(v, f, NaN));
    out.constantGateValues = Object.fromEntries(Object.entries(values).map(([k, row]) => [k, Float32Array.from(row)]));
  }
  return out;
}

function gateRows(r: FieldReader, value: unknown, field: string, item: (v: unknown, field: string) => number): Record<string, number[]> {
  const rows: Record<string, number[]> = {};
  let length: number | undefined;
  for (const [gate, row] of Object.entries(r.object(value, field))) {
    const f = `${field}.${gate}`;
    rows[gate] = r.array(row, f).map((v, j) => item(v, `${f}[${j}]`));
    if (length !== undefined && rows[gate].length !== length) {
      r.fail(f, `${length} entries like the other gate types`, `${rows[gate].length} entries`);
    }
    length = rows[gate].length;
  }
  return rows;
}

function epochRecord(r: FieldReader, value: unknown): EpochRecord {
  const o = r.object(value, '');
  const epoch = r.number(o.epoch, 'epoch');
  if (!Number.isInteger(epoch) || epoch < 0) r.fail('epoch', 'a non-negative integer', o.epoch);
  return {
    epoch,
    trainSeconds: r.number(o.trainSeconds, 'trainSeconds', NaN),
    trainObjective: r.number(o.trainObjective, 'trainObjective', NaN),
    trainNll: r.number(o.trainNll, 'trainNll', NaN),
    klPerExample: r.number(o.klPerExample, 'klPerExample', NaN),
    validation: splitMetrics(r, o.validation, 'validation'),
    test: splitMetrics(r, o.test, 'test'),
    compression: compressionReport(r, o.compression, 'compression'),
  };
}

function splitMetrics(r: FieldReader, value: unknown, field: string): SplitMetrics {
  const out: SplitMetrics = {};
  for (const [name, v] of Object.entries(r.object(value, field))) out[name] = r.number(v, `${field}.${name}`, NaN);
  return out;
}

function compressionReport(r: FieldReader, value: unknown, field: string): CompressionReport {
  const o = r.object(value, field);
  const f = (name: string) => `${field}.${name}`;
  // JSON has no Infinity: the trainer writes the all-pruned ratio as "Infinity" or (JSON.stringify's) null.
  const compressionRatio = r.number(o.compressionRatio, f('compressionRatio'), Infinity);
  if (!(compressionRatio >= 1)) r.fail(f('compressionRatio'), 'a ratio >= 1 (prunable / nonzero)', o.compressionRatio);
  const pt = r.object(o.perTensor, f('perTensor'));
  const perTensor: LstmTensorCounts = {
    inputWeights: keptCount(r, pt.inputWeights, f('perTensor.inputWeights')),
    hiddenWeights: keptCount(r, pt.hiddenWeights, f('perTensor.hiddenWeights')),
    outputWeights: keptCount(r, pt.outputWeights, f('perTensor.outputWeights')),
  };
  if (pt.embedding !== undefined && pt.embedding !== null) perTensor.embedding = keptCount(r, pt.embedding, f('perTensor.embedding'));
  return {
    compressionRatio,
    sparsityPercent: r.number(o.sparsityPercent, f('sparsityPercent')),
    prunableWeights: r.count(o.prunableWeights, f('prunableWeights')),
    nonzeroWeights: r.count(o.nonzeroWeights, f('nonzeroWeights')),
    perTensor,
    keptWords: keptCount(r, o.keptWords, f('keptWords')),
    keptInputs: keptCount(r, o.keptInputs, f('keptInputs')),
    keptHidden: keptCount(r, o.keptHidden, f('keptHidden')),
    keptGates: gateCounts(r, o.keptGates, f('keptGates')),
    constantGates: gateCounts(r, o.constantGates, f('constantGates')),
  };
}

function keptCount(r: FieldReader, value: unknown, field: string): KeptCount {
  const o = r.object(value, field);
  const kept = r.count(o.kept, `${field}.kept`);
  const total = r.count(o.total, `${field}.total`);
  if (kept > total) r.fail(`${field}.kept`, `at most total (${total})`, kept);
  return { kept, total };
}

/** Gate counts; byGate keys are whatever gate types the model has (i, f, g, o for LSTM; r, z, n for GRU). */
function gateCounts(r: FieldReader, value: unknown, field: string): GateCounts {
  const base = keptCount(r, value, field);
  const byGate: Record<string, number> = {};
  for (const [gate, v] of Object.entries(r.object(r.object(value, field).byGate, `${field}.byGate`))) {
    byGate[gate] = r.count(v, `${field}.byGate.${gate}`);
  }
  return { ...base, byGate };
}

/** Typed field access that throws DataFileError naming file, line and field path. */
class FieldReader {
  constructor(readonly file: string, readonly line?: number) {}

  fail(field: string, expected: string, got: unknown): never {
    const where = field === '' ? 'the record' : `field "${field}"`;
    throw new DataFileError(this.file, `${where}: expected ${expected}, got ${describe(got)}`, this.line);
  }

  object(value: unknown, field: string): Record<string, unknown> {
    if (!isObject(value)) this.fail(field, 'an object', value);
    return value as Record<string, unknown>;
  }

  array(value: unknown, field: string): unknown[] {
    if (!Array.isArray(value)) this.fail(field, 'an array', value);
    return value as unknown[];
  }

  /** A number, or the strings "Infinity" / "-Infinity" / "NaN"; null reads as `nullMeans` when given. */
  number(value: unknown, field: string, nullMeans?: number): number {
    if (typeof value === 'number') return value;
    if (value === 'Infinity') return Infinity;
    if (value === '-Infinity') return -Infinity;
    if (value === 'NaN') return NaN;
    if (value === null && nullMeans !== undefined) return nullMeans;
    return this.fail(field, nullMeans === undefined ? 'a number' : 'a number or null', value);
  }

  count(value: unknown, field: string): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) this.fail(field, 'a non-negative integer', value);
    return value as number;
  }
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DataFileError(file, `not valid JSON (${(e as Error).message})`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing (field missing)';
  const s = JSON.stringify(value);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
