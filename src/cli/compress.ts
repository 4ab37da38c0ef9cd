// `parsimony compress`: the §7 compression report of a run's last checkpoint (compression, sparsity, kept words /
// inputs / hidden / gates, constant gates per type) and the compact model file (src/sparsify/compact_*.ts).
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { useBestBackend } from '../engine/backend.js';
import type { CompressionReport, GateCounts, KeptCount } from '../sparsify/compression.js';
import { compactTextClassifier } from '../sparsify/compact_build.js';
import { saveCompactModel } from '../sparsify/compact_serialization.js';
import { describeRun, loadTrainedClassifier, readRunConfig, savedVocabularySize } from './classifier_run.js';

export const COMPACT_MODEL_FILE = 'model.compact.json';

export interface CompressCommandOptions {
  run: string;
  /** Write <run>/model.compact.json (default true). */
  writeCompact?: boolean;
  json?: boolean;
  log?: (line: string) => void;
}

export async function runCompress(o: CompressCommandOptions): Promise<{ report: CompressionReport; compactFile?: string }> {
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

/** The report as aligned lines for a terminal. */
export function formatCompressionReport(r: CompressionReport, title: string): string[] {
  const count = (c: KeptCount): string => `${c.kept} / ${c.total}`;
  const byGate = (g: GateCounts): string => Object.entries(g.byGate).map(([k, n]) => `${k} ${n}`).join(', ');
  const ratio = Number.isFinite(r.compressionRatio) ? `${r.compressionRatio.toFixed(2)}x` : 'infinite (every weight pruned)';
  const lines = [
    title,
    `  compression       ${ratio}`,
    `  sparsity          ${r.sparsityPercent.toFixed(3)}% (${r.nonzeroWeights} of ${r.prunableWeights} prunable weights kept)`,
    `  kept words        ${count(r.keptWords)}`,
    `  kept inputs       ${count(r.keptInputs)}`,
    `  kept hidden       ${count(r.keptHidden)}`,
    `  kept gates        ${count(r.keptGates)} (${byGate(r.keptGates)})`,
    `  constant gates    ${r.constantGates.kept} (${byGate(r.constantGates)})`,
  ];
  for (const [name, c] of Object.entries(r.perTensor) as [string, KeptCount][]) lines.push(`  ${name.padEnd(17)} ${count(c)} nonzero`);
  return lines;
}

export function registerCompressCommand(program: Command): void {
  program.command('compress')
    .description(`compression report of a run's last checkpoint; writes <run>/${COMPACT_MODEL_FILE}`)
    .requiredOption('--run <dir>', 'run directory written by parsimony train')
    .option('--no-compact', `only print the report (do not write ${COMPACT_MODEL_FILE})`)
    .option('--json', 'print one JSON object')
    .action(async (o: { run: string; compact: boolean; json?: boolean }) => {
      await runCompress({ run: o.run, writeCompact: o.compact, json: o.json });
    });
}
