// A synthetic training run directory, as the trainer writes it, for the report tests.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompressionReport } from '../../src/sparsify/compression.js';
import type { EpochRecord } from '../../src/train/metrics_record.js';
import { toJson } from '../../src/train/run_files.js';
import type { KeptStructure } from '../../src/train/task.js';

export const HIDDEN = 8;

/** Epoch e of a run that prunes more each epoch; the last epoch prunes everything when `allPrunedLast`. */
export function syntheticEpoch(epoch: number, epochs: number, allPrunedLast = false): EpochRecord {
  const prunable = 1000;
  const allPruned = allPrunedLast && epoch === epochs;
  const nonzero = allPruned ? 0 : Math.round(prunable / (1 + 3 * epoch));
  const keptHidden = allPruned ? 0 : Math.max(2, HIDDEN - epoch);
  const compression: CompressionReport = {
    compressionRatio: allPruned ? Infinity : prunable / nonzero,
    sparsityPercent: 100 * (1 - nonzero / prunable),
    prunableWeights: prunable,
    nonzeroWeights: nonzero,
    perTensor: {
      embedding: { kept: Math.round(nonzero / 2), total: 500 },
      inputWeights: { kept: Math.round(nonzero / 4), total: 250 },
      hiddenWeights: { kept: nonzero - Math.round(nonzero / 2) - Math.round(nonzero / 4), total: 200 },
      outputWeights: { kept: 0, total: 50 },
    },
    keptWords: { kept: allPruned ? 0 : 254 - epoch, total: 300 },
    keptInputs: { kept: allPruned ? 0 : 10 - epoch, total: 10 },
    keptHidden: { kept: keptHidden, total: HIDDEN },
    keptGates: { kept: 3 * keptHidden, total: 4 * HIDDEN, byGate: { i: keptHidden, f: keptHidden, g: keptHidden, o: 0 } },
    constantGates: { kept: keptHidden, total: 4 * HIDDEN, byGate: { i: 0, f: 0, g: 0, o: keptHidden } },
  };
  return {
    epoch,
    trainSeconds: 1.5,
    trainObjective: 1 / epoch + 0.2,
    trainNll: 1 / epoch,
    klPerExample: 0.2,
    validation: { accuracy: 0.5 + 0.1 * Math.min(epoch, 3) - (epoch === epochs ? 0.05 : 0), nll: 1 / epoch },
    test: { accuracy: 0.48 + 0.1 * Math.min(epoch, 3), nll: 1.1 / epoch },
    compression,
  };
}

export interface SyntheticRunOptions {
  epochs?: number;
  allPrunedLast?: boolean;
  /** How Infinity and NaN are spelled: strings, as the trainer's toJson writes them, or null (JSON.stringify's choice). */
  infinityAs?: 'string' | 'null';
  config?: Record<string, unknown>;
  structure?: boolean;
}

/** Creates a run directory in the OS temp dir and returns its path. */
export function writeSyntheticRun(options: SyntheticRunOptions = {}): string {
  const { epochs = 4, allPrunedLast = false, infinityAs = 'string', structure = true } = options;
  const dir = mkdtempSync(join(tmpdir(), 'parsimony-run-'));
  const record = (epoch: number) => syntheticEpoch(epoch, epochs, allPrunedLast);
  const lines = Array.from({ length: epochs }, (_, i) => (infinityAs === 'string' ? toJson(record(i + 1)) : JSON.stringify(record(i + 1))));
  writeFileSync(join(dir, 'metrics.jsonl'), lines.join('\n') + '\n');
  writeFileSync(join(dir, 'config.json'), JSON.stringify(options.config ?? {
    task: 'imdb', preset: 'LCLCCL', hidden: HIDDEN, learningRate: 0.0005, optimizer: { name: 'adam', beta1: 0.9 },
  }));
  if (structure) {
    // Units 0, 3, 5 removed; unit 6 has a constant f gate; the o gate is constant on every kept unit.
    const removed = new Set([0, 3, 5]);
    const states = (state: (j: number) => number) => Int8Array.from({ length: HIDDEN }, (_, j) => (removed.has(j) ? -1 : state(j)));
    const values = (value: (j: number) => number) => Float32Array.from({ length: HIDDEN }, (_, j) => (removed.has(j) ? NaN : value(j)));
    const kept: KeptStructure = {
      keptWords: Array.from({ length: 250 }, (_, k) => (k === 3 ? 'two words' : `w${k}`)),
      gateStates: { i: states(() => 1), f: states((j) => (j === 6 ? 0 : 1)), g: states(() => 1), o: states(() => 0) },
      constantGateValues: { i: values(() => NaN), f: values((j) => (j === 6 ? 0.25 : NaN)), g: values(() => NaN), o: values(() => 0.5) },
    };
    // The trainer's toJson spells NaN "NaN"; plain JSON.stringify (after Array.from) writes null.
    const plain = (_key: string, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v);
    writeFileSync(join(dir, 'structure.json'), infinityAs === 'string' ? toJson(kept) : JSON.stringify(kept, plain));
  }
  return dir;
}
