// Prints the markdown rows of docs/results.md from finished runs: for each run directory, the metrics at a matched
// epoch, the mean over a window of epochs ending there (epoch-to-epoch noise is large: rnn-practical-notes note 5),
// the best-validation epoch and the last epoch.
//   npx tsx experiments/results_table.ts --epoch 20 --window 5 runs/imdb-sparsevd runs/imdb-w+g+n
import { readRunFiles } from '../src/report/run_files.js';
import type { EpochRecord } from '../src/train/metrics_record.js';

const args = process.argv.slice(2);
const take = (flag: string, fallback: number): number => {
  const i = args.indexOf(flag);
  if (i < 0) return fallback;
  const [, value] = args.splice(i, 2);
  return Number(value);
};
const matchedEpoch = take('--epoch', 20), window = take('--window', 5);
const metric = (r: EpochRecord, split: 'validation' | 'test'): string => {
  const m = r[split];
  if ('accuracy' in m) return (100 * m.accuracy).toFixed(2);
  if ('bpc' in m) return m.bpc.toFixed(4);
  if ('perplexity' in m) return m.perplexity.toFixed(2);
  return JSON.stringify(m);
};
const quality = (r: EpochRecord): number => {
  const m = r.validation;
  return 'accuracy' in m ? m.accuracy : -('bpc' in m ? m.bpc : m.perplexity);
};
const row = (name: string, label: string, r: EpochRecord): string => {
  const c = r.compression;
  return `| ${name} | ${label} | ${metric(r, 'validation')} | ${metric(r, 'test')} | ${c.compressionRatio.toFixed(1)} | `
    + `${c.sparsityPercent.toFixed(3)}% | ${c.keptWords.kept} | ${c.keptInputs.kept} | ${c.keptHidden.kept}/${c.keptHidden.total} | `
    + `${c.keptGates.kept}/${c.keptGates.total} |`;
};

console.log('| run | epoch | val | test | compression | sparsity | kept words | inputs | hidden | non-const gates |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const dir of args) {
  const { epochs } = readRunFiles(dir);
  if (epochs.length === 0) { console.log(`| ${dir} | (no epochs yet) |||||||||`); continue; }
  const name = dir.replace(/^.*\//, '');
  const at = epochs.find((r) => r.epoch === matchedEpoch);
  if (at) console.log(row(name, String(matchedEpoch), at));
  const inWindow = epochs.filter((r) => r.epoch > matchedEpoch - window && r.epoch <= matchedEpoch);
  if (inWindow.length === window) {
    const mean = (f: (r: EpochRecord) => number) => inWindow.reduce((s, r) => s + f(r), 0) / inWindow.length;
    const acc = (split: 'validation' | 'test') => mean((r) => { const m = r[split]; return 'accuracy' in m ? 100 * m.accuracy : ('bpc' in m ? m.bpc : m.perplexity); });
    console.log(`| ${name} | mean ${matchedEpoch - window + 1}-${matchedEpoch} | ${acc('validation').toFixed(2)} | ${acc('test').toFixed(2)} | `
      + `${mean((r) => r.compression.compressionRatio).toFixed(1)} | | | | | |`);
  }
  const best = epochs.reduce((a, b) => (quality(b) > quality(a) ? b : a));
  console.log(row(name, `best val (${best.epoch})`, best));
  const last = epochs[epochs.length - 1];
  if (last.epoch !== matchedEpoch) console.log(row(name, `last (${last.epoch})`, last));
}
