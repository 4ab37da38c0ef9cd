// Prints the markdown rows of docs/results.md from finished runs: for each run directory, the authors' logged numbers
// at the matched epoch (experiments/reference_epochs.json, when that task/preset/epoch is there), our metrics at that
// epoch, the mean over a window of epochs ending there (epoch-to-epoch noise is large: rnn-practical-notes note 5),
// the best-validation epoch and the last epoch; then, per run, the nonzeros of each tensor beside the reference's.
//   npx tsx experiments/results_table.ts --epoch 20 --window 5 runs/imdb-sparsevd runs/imdb-w+g+n
//   npx tsx experiments/results_table.ts --epoch 1 --window 1 runs/char-ptb-sparsevd
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readRunFiles } from '../src/report/run_files.js';
import type { EpochRecord } from '../src/train/metrics_record.js';

interface ReferenceEpoch {
  epoch: number; validation: number; test: number; compression: number;
  nonzero: Record<string, number>; keptWords?: number; keptInputs: number; keptHidden: number; keptGates: number;
}
interface ReferenceRun { task: string; preset: string; config: string; source: string; epochs: ReferenceEpoch[] }

const args = process.argv.slice(2);
const take = (flag: string, fallback: string): string => {
  const i = args.indexOf(flag);
  if (i < 0) return fallback;
  const [, value] = args.splice(i, 2);
  return value;
};
const matchedEpoch = Number(take('--epoch', '20')), window = Number(take('--window', '5'));
const referenceFile = take('--reference', fileURLToPath(new URL('./reference_epochs.json', import.meta.url)));
const references = (JSON.parse(readFileSync(referenceFile, 'utf8')) as { runs: ReferenceRun[] }).runs;

const value = (r: EpochRecord, split: 'validation' | 'test'): number => {
  const m = r[split];
  return 'accuracy' in m ? 100 * m.accuracy : ('bpc' in m ? m.bpc : m.perplexity);
};
const format = (x: number, r: EpochRecord): string => ('accuracy' in r.validation ? x.toFixed(2) : x.toFixed(4));
const quality = (r: EpochRecord): number => {
  const m = r.validation;
  return 'accuracy' in m ? m.accuracy : -('bpc' in m ? m.bpc : m.perplexity);
};
const ratio = (x: number): string => x.toFixed(x < 10 ? 2 : 1);
const row = (name: string, label: string, r: EpochRecord): string => {
  const c = r.compression;
  return `| ${name} | ${label} | ${format(value(r, 'validation'), r)} | ${format(value(r, 'test'), r)} | ${ratio(c.compressionRatio)} | `
    + `${c.sparsityPercent.toFixed(3)}% | ${c.keptWords.kept} | ${c.keptInputs.kept} | ${c.keptHidden.kept}/${c.keptHidden.total} | `
    + `${c.keptGates.kept}/${c.keptGates.total} |`;
};
const referenceRow = (ref: ReferenceRun, e: ReferenceEpoch, hidden: number, gates: number): string =>
  `| **reference** ${ref.preset} (${ref.config}) | ${e.epoch} | ${e.validation} | ${e.test} | ${ratio(e.compression)} | `
  + `${(100 * (1 - 1 / e.compression)).toFixed(3)}% | ${e.keptWords ?? '—'} | ${e.keptInputs} | ${e.keptHidden}/${hidden} | ${e.keptGates}/${gates} |`;

console.log('| run | epoch | val | test | compression | sparsity | kept words | inputs | hidden | non-const gates |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
const tensorLines: string[] = [];
for (const dir of args) {
  const { epochs, config } = readRunFiles(dir);
  if (epochs.length === 0) { console.log(`| ${dir} | (no epochs yet) |||||||||`); continue; }
  const name = dir.replace(/^.*\//, '');
  const at = epochs.find((r) => r.epoch === matchedEpoch);
  const ref = references.find((r) => r.task === config?.task && r.preset === config?.preset);
  const refAt = ref?.epochs.find((e) => e.epoch === matchedEpoch);
  if (ref && refAt && at) console.log(referenceRow(ref, refAt, at.compression.keptHidden.total, at.compression.keptGates.total));
  if (at) console.log(row(name, String(matchedEpoch), at));
  const inWindow = epochs.filter((r) => r.epoch > matchedEpoch - window && r.epoch <= matchedEpoch);
  if (window > 1 && inWindow.length === window) {
    const mean = (f: (r: EpochRecord) => number) => inWindow.reduce((s, r) => s + f(r), 0) / inWindow.length;
    console.log(`| ${name} | mean ${matchedEpoch - window + 1}-${matchedEpoch} | ${format(mean((r) => value(r, 'validation')), at ?? epochs[0])} | `
      + `${format(mean((r) => value(r, 'test')), at ?? epochs[0])} | ${ratio(mean((r) => r.compression.compressionRatio))} | | | | | |`);
  }
  const best = epochs.reduce((a, b) => (quality(b) > quality(a) ? b : a));
  console.log(row(name, `best val (${best.epoch})`, best));
  const last = epochs[epochs.length - 1];
  if (last.epoch !== matchedEpoch) console.log(row(name, `last (${last.epoch})`, last));
  if (at && refAt) {
    const parts = Object.entries(refAt.nonzero).map(([tensor, refCount]) => {
      const ours = at.compression.perTensor[tensor];
      // totals can differ (our IMDB output layer is 128 x 2, the authors' 128 x 1), so our total is printed beside it
      return ours === undefined ? `${tensor} — / ${refCount}`
        : `${tensor} ${ours.kept} (of ${ours.total}) / ${refCount} (x${(ours.kept / refCount).toFixed(2)})`;
    });
    tensorLines.push(`- ${name}, epoch ${matchedEpoch}, nonzeros ours / reference: ${parts.join(', ')}`);
  }
}
if (tensorLines.length > 0) console.log(`\n${tensorLines.join('\n')}`);
