// Prints the markdown table of the sparsification-method comparison (issue 6): one row per run directory (the last
// epoch of each), with the method and preset from config.json, test accuracy, compression and sparsity, kept
// words / inputs / hidden neurons, and constant gates per gate type (i, f, g, o or r, z, n).
//   npx tsx experiments/methods_table.ts runs/methods-spam/sparsevd-w+n runs/methods-spam/l0-w+n ...
import { readRunFiles } from '../src/report/run_files.js';

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error('usage: npx tsx experiments/methods_table.ts RUN_DIR...');
  process.exit(2);
}

const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;
const kept = (k: { kept: number; total: number }): string => `${k.kept} / ${k.total}`;

console.log('| method | preset | epochs | test accuracy | compression | sparsity | words | inputs | hidden | constant gates (per type) |');
console.log('|---|---|---:|---:|---:|---:|---:|---:|---:|---|');
for (const dir of dirs) {
  const run = readRunFiles(dir);
  const last = run.epochs[run.epochs.length - 1];
  if (!last) throw new Error(`${dir}: metrics.jsonl has no epoch yet`);
  const method = String(run.config?.method ?? 'sparsevd'), preset = String(run.config?.preset ?? '?');
  const c = last.compression;
  const byGate = Object.entries(c.constantGates.byGate).map(([g, n]) => `${g} ${n}`).join(', ');
  console.log(`| ${method} | ${preset} | ${last.epoch} | ${pct(last.test.accuracy)} | ${c.compressionRatio.toFixed(1)}x | `
    + `${c.sparsityPercent.toFixed(1)} % | ${kept(c.keptWords)} | ${kept(c.keptInputs)} | ${kept(c.keptHidden)} | `
    + `${c.constantGates.kept} / ${c.constantGates.total} (${byGate}) |`);
}
