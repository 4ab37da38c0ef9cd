// `parsimony split report`: a markdown report of a sweep directory (grid table, k* per budget, the memory-split
// advantage, power-law fits per budget, per k and per member width) with SVG plots, written atomically into <sweep>/report (or --out).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../data/write_file_atomic.js';
import { renderSvg } from '../report/render_svg.js';
import { analyzeSplitSweep, type SplitAdvantage, type SplitAnalysis } from './split_analysis.js';
import { metricVsKSpec, optimalKSpec, widthLawSpec } from './split_plots.js';
import { SMALL_ENSEMBLE_LIMIT } from './width_power_law.js';
import { readSweepCells, readSweepSettings } from './sweep_record.js';
import type { PowerLawFit } from './power_law.js';

const n = (x: number): string => x.toLocaleString('en-US');
const pm = (m: { mean: number; std: number }, scale = 1, digits = 4): string => `${(scale * m.mean).toFixed(digits)} ± ${(scale * m.std).toFixed(digits)}`;
const law = (f: PowerLawFit | null, x: string): string => (f ? `${f.c.toFixed(4)} + ${f.b.toPrecision(4)} ${x}^${f.a.toFixed(3)} (log R² ${f.logR2.toFixed(3)})` : '- (needs 3 points)');

function gainText(a: SplitAdvantage, scale: number, digits: number): string {
  if (a.gain === null || a.spread === null) return '- (no k = 1 cell)';
  if (a.bestK === 1) return 'k = 1 is best';
  return `${(scale * a.gain).toFixed(digits)} ± ${(scale * a.spread).toFixed(digits)}${a.significant ? ' (> 2 spreads)' : ' (within 2 spreads)'}`;
}

export function splitReportMarkdown(analysis: SplitAnalysis, settingsText: string): string {
  const lines = ['# Memory-split sweep', '', settingsText, '', '## Grid', '',
    '| budget | k | width | total params (error) | accuracy % | NLL | CNLL | CNLL (T on validation) | runs |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|'];
  for (const b of analysis.budgets) {
    for (const c of b.cells) {
      const m = c.metrics;
      lines.push(`| ${n(c.budget)} | ${c.k} | ${c.width} | ${n(c.totalParameters)} (${(100 * c.relativeError).toFixed(1)} %) | ${pm(m.accuracy, 100, 2)} | ${pm(m.nll)} | ${pm(m.cnll)} | ${pm(m.validationCalibratedNll)} | ${c.runs.length} |`);
    }
  }
  lines.push('', '## Optimal split and memory-split advantage', '',
    'Gain = best split minus k = 1 (CNLL: lower is better; accuracy in points), ± the spread sqrt(std_best² + std_1²) over runs.', '',
    'The last column compares the best split with the best single network of at most the budget (a smaller k = 1 cell '
    + 'may beat the budget\'s own when a wide net overfits with the shared recipe).', '',
    '| budget | k* (CNLL) | CNLL gain over k = 1 | k* (accuracy) | accuracy gain over k = 1 | CNLL gain over the best single net <= budget |',
    '|---:|---:|---:|---:|---:|---:|');
  for (const b of analysis.budgets) {
    const s = b.bestSingleUpToBudget;
    const single = s ? `${s.gain.toFixed(4)} (vs ${n(s.budget)}: ${s.cnll.toFixed(4)})` : '-';
    lines.push(`| ${n(b.budget)} | ${b.cnll.bestK} | ${gainText(b.cnll, 1, 4)} | ${b.accuracy.bestK} | ${gainText(b.accuracy, 100, 2)} | ${single} |`);
  }
  lines.push('', '## Power laws (least squares in log space, asymptote fitted)', '', '| budget | CNLL vs k |', '|---:|---|');
  for (const b of analysis.budgets) lines.push(`| ${n(b.budget)} | ${law(b.cnllVsK, 'k')} |`);
  lines.push('', '| k | CNLL vs total parameters P |', '|---:|---|');
  for (const { k, fit } of analysis.cnllVsBudget) lines.push(`| ${k} | ${law(fit, 'P')} |`);
  lines.push('', '## CNLL vs ensemble size at a fixed member width (the PL paper\'s law)', '',
    'Points: disjoint groups of n of the members of one width (every cell of that width pooled); fits c + b n^a on all n and on '
    + `n <= ${SMALL_ENSEMBLE_LIMIT} only, whose extrapolation to the largest n is checked against the observed CNLL.`, '',
    '| width | member params | n: CNLL (groups) | fit, all n | fit, n <= 4 | n <= 4 fit at largest n: predicted / observed |',
    '|---:|---:|---|---|---|---|');
  for (const w of analysis.widthLaws) {
    const pts = w.points.map((p) => `${p.members}: ${p.cnll.toFixed(4)} (${p.groups})`).join(', ');
    const ex = w.extrapolation ? `n = ${w.extrapolation.members}: ${w.extrapolation.predicted.toFixed(4)} / ${w.extrapolation.observed.toFixed(4)}` : '-';
    lines.push(`| ${w.width} | ${n(w.memberParameters)} | ${pts} | ${law(w.all, 'n')} | ${law(w.small, 'n')} | ${ex} |`);
  }
  lines.push('', `Optimal split predicted from the n <= ${SMALL_ENSEMBLE_LIMIT} laws (observed CNLL for k <= ${SMALL_ENSEMBLE_LIMIT}, the width's law beyond):`, '',
    '| budget | k* predicted | k* observed (CNLL) |', '|---:|---:|---:|');
  for (const p of analysis.predictedSplits) {
    lines.push(`| ${n(p.budget)} | ${p.predictedBestK ?? '- (a width has no n <= 4 law)'} | ${p.observedBestK} |`);
  }
  lines.push('', '## Plots', '', '![metric vs k](metric_vs_k.svg)', '', '![optimal k vs budget](optimal_k.svg)', '',
    '![CNLL vs ensemble size per width](width_laws.svg)', '');
  return lines.join('\n');
}

export interface SplitReportFiles {
  markdown: string;
  images: string[];
}

export async function writeSplitReport(sweepDir: string, outDir = join(sweepDir, 'report')): Promise<SplitReportFiles> {
  const cells = readSweepCells(sweepDir);
  const analysis = analyzeSplitSweep(cells);
  const s = readSweepSettings(sweepDir);
  const settingsText = s
    ? `Family \`${JSON.stringify(s.family)}\`; data: ${s.data}; ${s.epochs} epochs, batch ${s.batchSize}, Adam lr ${s.learningRate}, `
      + `${s.runs} independent run(s) per cell, seed ${s.seed}; the same hyperparameters at every width (not tuned per width).`
    : 'Settings: sweep.json missing.';
  mkdirSync(outDir, { recursive: true });
  const images = [join(outDir, 'metric_vs_k.svg'), join(outDir, 'optimal_k.svg'), join(outDir, 'width_laws.svg')];
  writeFileAtomic(images[0], await renderSvg(metricVsKSpec(cells)));
  writeFileAtomic(images[1], await renderSvg(optimalKSpec(analysis)));
  writeFileAtomic(images[2], await renderSvg(widthLawSpec(analysis)));
  const markdown = join(outDir, 'report.md');
  writeFileAtomic(markdown, splitReportMarkdown(analysis, settingsText));
  return { markdown, images };
}
