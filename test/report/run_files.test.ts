import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseMetricsJsonl, parseStructure, readRunFiles } from '../../src/report/run_files.js';
import { HIDDEN, syntheticEpoch, writeSyntheticRun } from './synthetic_run.js';

test('a run directory reads back as written, Infinity spelled "Infinity" or null', () => {
  for (const infinityAs of ['string', 'null'] as const) {
    const dir = writeSyntheticRun({ epochs: 4, allPrunedLast: true, infinityAs });
    try {
      const text = readFileSync(join(dir, 'metrics.jsonl'), 'utf8');
      assert.ok(text.includes(infinityAs === 'string' ? '"compressionRatio":"Infinity"' : '"compressionRatio":null'));
      const run = readRunFiles(dir);
      assert.deepEqual(run.epochs.map((e) => e.epoch), [1, 2, 3, 4]);
      assert.deepEqual(run.epochs[1], syntheticEpoch(2, 4, true));
      assert.equal(run.epochs[3].compression.compressionRatio, Infinity);
      assert.equal(run.config?.preset, 'LCLCCL');
      const states = run.structure?.gateStates;
      assert.ok(states?.f instanceof Int8Array && states.f.length === HIDDEN);
      assert.deepEqual([...states.f], [-1, 1, 1, -1, 1, -1, 0, 1]);
      const values = run.structure?.constantGateValues;
      assert.ok(values?.o instanceof Float32Array);
      assert.ok(Number.isNaN(values.o[0]) && values.o[1] === 0.5, 'null in JSON reads back as NaN');
      assert.equal(run.structure?.keptWords?.length, 250);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('config.json and structure.json are optional; a missing metrics.jsonl is named', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parsimony-run-'));
  try {
    assert.throws(() => readRunFiles(dir), /metrics\.jsonl: missing/);
    writeFileSync(join(dir, 'metrics.jsonl'), JSON.stringify(syntheticEpoch(1, 1)) + '\n');
    const run = readRunFiles(dir);
    assert.equal(run.config, undefined);
    assert.equal(run.structure, undefined);
    assert.equal(run.epochs.length, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a bad metrics line gives an error naming the file, the line and the field', () => {
  const good = (e: number) => JSON.stringify(syntheticEpoch(e, 5));
  assert.throws(() => parseMetricsJsonl([good(1), '{"epoch": 2, "trainSec', good(3)].join('\n'), 'run/metrics.jsonl'),
    /^DataFileError: run\/metrics\.jsonl:2: not valid JSON/);
  assert.throws(() => parseMetricsJsonl([good(1), good(2), '{"epoch": 3, "trainSec\n'].join('\n'), 'run/metrics.jsonl'),
    /^DataFileError: run\/metrics\.jsonl:3: not valid JSON/, 'a complete (newline-terminated) bad last line is an error');

  const missing = syntheticEpoch(2, 5) as unknown as { compression: { keptHidden: Record<string, unknown> } };
  delete missing.compression.keptHidden.total;
  assert.throws(() => parseMetricsJsonl(`${good(1)}\n\n${JSON.stringify(missing)}\n`, 'm.jsonl'),
    (e: Error) => e.message === 'm.jsonl:3: field "compression.keptHidden.total": expected a non-negative integer, got nothing (field missing)');

  const wrongType = { ...syntheticEpoch(1, 5), validation: { accuracy: 'high' } };
  assert.throws(() => parseMetricsJsonl(JSON.stringify(wrongType), 'm.jsonl'),
    /m\.jsonl:1: field "validation\.accuracy": expected a number or null, got "high"/);

  const tooMany = syntheticEpoch(1, 5);
  tooMany.compression.keptGates.kept = 99;
  assert.throws(() => parseMetricsJsonl(JSON.stringify(tooMany), 'm.jsonl'), /keptGates\.kept": expected at most total \(32\), got 99/);

  assert.throws(() => parseMetricsJsonl('[1, 2]\n', 'm.jsonl'), /m\.jsonl:1: the record: expected an object, got \[1,2\]/);
  assert.throws(() => parseMetricsJsonl('\n\n', 'm.jsonl'), /m\.jsonl: no epoch records/);
});

test('compression ratio: "Infinity" and null mean Infinity, other strings and ratios below 1 are rejected', () => {
  const line = (ratio: unknown) => JSON.stringify({ ...syntheticEpoch(1, 1), compression: { ...syntheticEpoch(1, 1).compression, compressionRatio: ratio } });
  assert.equal(parseMetricsJsonl(line('Infinity'), 'm')[0].compression.compressionRatio, Infinity);
  assert.equal(parseMetricsJsonl(line(null), 'm')[0].compression.compressionRatio, Infinity);
  assert.equal(parseMetricsJsonl(line(12.5), 'm')[0].compression.compressionRatio, 12.5);
  assert.throws(() => parseMetricsJsonl(line('inf'), 'm'), /compressionRatio": expected a number or null, got "inf"/);
  assert.throws(() => parseMetricsJsonl(line(0.5), 'm'), /compressionRatio": expected a ratio >= 1/);
});

test('a last line cut short by a crash (no newline) is skipped with a warning', () => {
  const warnings: string[] = [];
  const text = `${JSON.stringify(syntheticEpoch(1, 2))}\n{"epoch": 2, "trainSec`;
  assert.deepEqual(parseMetricsJsonl(text, 'm.jsonl', warnings).map((e) => e.epoch), [1]);
  assert.deepEqual(warnings, ['m.jsonl:2: skipped an incomplete last line (no newline, not valid JSON)']);
});

test('a repeated epoch (a resumed run) keeps its last record; epochs come out sorted', () => {
  const a = syntheticEpoch(2, 3);
  const b = { ...syntheticEpoch(2, 3), trainSeconds: 9 };
  const epochs = parseMetricsJsonl([a, syntheticEpoch(1, 3), b].map((e) => JSON.stringify(e)).join('\n'), 'm');
  assert.deepEqual(epochs.map((e) => [e.epoch, e.trainSeconds]), [[1, 1.5], [2, 9]]);
});

test('structure.json errors name the field', () => {
  assert.throws(() => parseStructure('{"gateStates": {"i": [1, 0, 2]}}', 's.json'), /s\.json: field "gateStates\.i\[2\]": expected -1 \(removed\), 0 \(constant\) or 1 \(computed\), got 2/);
  assert.throws(() => parseStructure('{"gateStates": {"i": [1, 0], "f": [1]}}', 's.json'), /field "gateStates\.f": expected 2 entries/);
  assert.throws(() => parseStructure('{"keptWords": ["a", 3]}', 's.json'), /field "keptWords\[1\]": expected a string, got 3/);
  assert.throws(() => parseStructure('{', 's.json'), /s\.json: not valid JSON/);
  assert.deepEqual(parseStructure('{}', 's.json'), {});
});
