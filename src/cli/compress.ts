// `parsimony compress`: the §7 compression report of a run's last checkpoint (compression, sparsity, kept words /
// inputs / hidden / gates, constant gates per type) and, for the text classifiers, the compact model file
// (src/sparsify/compact_*.ts; there is no compact export of the language models).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { useBestBackend } from '../engine/backend.js';
import type { CompressionReport, GateCounts, KeptCount } from '../sparsify/compression.js';
import { compactTextClassifier } from '../sparsify/compact_build.js';
import { saveCompactModel } from '../sparsify/compact_serialization.js';
import { describeRun, loadTrainedClassifier, readRunConfig } from './classifier_run.js';
import { describeLanguageModelRun, isLanguageModelTask, loadTrainedLanguageModel, readLanguageModelRunConfig } from './language_model_run.js';
import { readSavedRunFile, savedVocabularySize } from './run_config.js';

export const COMPACT_MODEL_FILE = 'model.compact.json';

export interface CompressCommandOptions {
  run: string;
  /** Write <run>/model.compact.json (default true). */
  writeCompact?: boolean;
  json?: boolean;
  log?: (line: string) => void;
}

/** Why a language-model run gets no compact model file (printed by compress). */
export const NO_COMPACT_LANGUAGE_MODEL = 'not written: the compact model export exists for the text classifiers only, not for language models';

export async function runCompress(o: CompressCommandOptions): Promise<{ report: CompressionReport; compactFile?: string }> {
  return isLanguageModelTask(readSavedRunFile(o.run).saved.task) ? compressLanguageModel(o) : compressClassifier(o);
}

async function compressClassifier(o: CompressCommandOptions): Promise<{ report: CompressionReport; compactFile?: string }> {
  const log = o.log ?? ((line: string) => console.log(line));
  const config = readRunConfig(o.run);
  await useBestBackend();
  const { model, epoch } = loadTrainedClassifier(o.run, config, savedVocabularySize(o.run));
  try {
    const report = model.compression();
    let compactFile: string | undefined;
    if (o.writeCompact ?? true) {
      compactFile = join(o.run, COMPACT_MODEL_FILE);
      saveCompactModel(compactFile, compactTextClassifier(model));
    }
    if (o.json) log(JSON.stringify({ run: o.run, epoch, report, compactFile }, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)));
    else {
      for (const line of formatCompressionReport(report, `${describeRun(config)}, epoch ${epoch}`)) log(line);
      if (compactFile) log(`compact model: ${compactFile} (${(statSync(compactFile).size / 1024).toFixed(1)} KiB)`);
    }
    return { report, compactFile };
  } finally {
    model.dispose();
  }
}

/** The §7 report of a language-model run (a one-hot LM's kept inputs are its kept vocabulary); no compact file. */
async function compressLanguageModel(o: CompressCommandOptions): Promise<{ report: CompressionReport }> {
  const log = o.log ?? ((line: string) => console.log(line));
  const config = readLanguageModelRunConfig(o.run);
  await useBestBackend();
  const { model, epoch } = loadTrainedLanguageModel(o.run, config, savedVocabularySize(o.run));
  try {
    const report = model.compression();
    if (o.json) log(JSON.stringify({ run: o.run, epoch, report, compactModel: NO_COMPACT_LANGUAGE_MODEL }, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)));
    else {
      for (const line of formatCompressionReport(report, `${describeLanguageModelRun(config)}, epoch ${epoch}`, 'language-model')) log(line);
      log(`compact model: ${NO_COMPACT_LANGUAGE_MODEL}`);
    }
    return { report };
  } finally {
    model.dispose();
  }
}

/**
 * The report as aligned lines for a terminal. A language model has no embedding: its kept inputs are the kept
 * vocabulary (one-hot inputs), printed instead of kept words / inputs.
 */
export function formatCompressionReport(r: CompressionReport, title: string, kind: 'classifier' | 'language-model' = 'classifier'): string[] {
  const count = (c: KeptCount): string => `${c.kept} / ${c.total}`;
  const byGate = (g: GateCounts): string => Object.entries(g.byGate).map(([k, n]) => `${k} ${n}`).join(', ');
  const ratio = Number.isFinite(r.compressionRatio) ? `${r.compressionRatio.toFixed(2)}x` : 'infinite (every weight pruned)';
  const lines = [
    title,
    `  compression       ${ratio}`,
    `  sparsity          ${r.sparsityPercent.toFixed(3)}% (${r.nonzeroWeights} of ${r.prunableWeights} prunable weights kept)`,
    ...(kind === 'classifier'
      ? [`  kept words        ${count(r.keptWords)}`, `  kept inputs       ${count(r.keptInputs)}`]
      : [`  kept inputs       ${count(r.keptInputs)} (vocabulary)`]),
    `  kept hidden       ${count(r.keptHidden)}`,
    `  kept gates        ${count(r.keptGates)} (${byGate(r.keptGates)})`,
    `  constant gates    ${r.constantGates.kept} (${byGate(r.constantGates)})`,
  ];
  for (const [name, c] of Object.entries(r.perTensor) as [string, KeptCount][]) lines.push(`  ${name.padEnd(17)} ${count(c)} nonzero`);
  return lines;
}

export function registerCompressCommand(program: Command): void {
  program.command('compress')
    .description(`compression report of a run's last checkpoint; writes <run>/${COMPACT_MODEL_FILE} for a classifier run`)
    .requiredOption('--run <dir>', 'run directory written by parsimony train')
    .option('--no-compact', `only print the report (do not write ${COMPACT_MODEL_FILE})`)
    .option('--json', 'print one JSON object')
    .action(async (o: { run: string; compact: boolean; json?: boolean }) => {
      await runCompress({ run: o.run, writeCompact: o.compact, json: o.json });
    });
}
