// The report's markdown: configuration, final epoch, best-validation epoch, per-epoch table, plots, kept words.
import type { KeptCount } from '../sparsify/compression.js';
import type { EpochRecord } from '../train/metrics_record.js';
import { bestValidationEpoch, type PrimaryMetric } from './best_epoch.js';
import { metricNames } from './plots.js';
import type { RunFiles } from './run_files.js';

export const KEPT_WORDS_SHOWN = 200;

export interface ReportImage {
  title: string;
  /** Path relative to the markdown file. */
  file: string;
}

export interface MarkdownInput {
  run: RunFiles;
  /** Title line, e.g. the run directory's name. */
  title: string;
  primaryMetric?: PrimaryMetric;
  images: ReportImage[];
}

export function reportMarkdown({ run, title, primaryMetric, images }: MarkdownInput): string {
  const { epochs, config, structure } = run;
  const last = epochs[epochs.length - 1];
  const out: string[] = [`# Run report: ${escapeInline(title)}`, ''];
  const task = config?.task;
  if (typeof task === 'string') out.push(`Task: ${escapeInline(task)}`, '');
  out.push(`${epochs.length} epoch record(s), epochs ${epochs[0].epoch} to ${last.epoch}; ` +
    `${fmt(epochs.reduce((s, e) => s + (Number.isFinite(e.trainSeconds) ? e.trainSeconds : 0), 0))} s of training steps.`, '');

  if (run.warnings.length > 0) out.push('Warnings:', '', ...run.warnings.map((w) => `- ${escapeInline(w)}`), '');
  out.push('## Configuration', '');
  if (config === undefined) out.push('No config.json in the run directory.', '');
  else out.push(...table(['key', 'value'], flatten(config).map(([k, v]) => [k, v])), '');

  out.push(`## Final epoch (${last.epoch})`, '', ...epochSummary(last, epochs), '');

  out.push('## Best validation epoch', '');
  if (primaryMetric === undefined) {
    out.push('No primary metric: set `primaryMetric` ({ "name", "higherIsBetter" }) in config.json or pass --metric.', '');
  } else {
    const best = bestValidationEpoch(epochs, primaryMetric);
    const direction = primaryMetric.higherIsBetter ? 'higher is better' : 'lower is better';
    if (best === undefined) out.push(`No epoch has a finite validation ${primaryMetric.name}.`, '');
    else {
      out.push(`By validation ${escapeInline(primaryMetric.name)} (${direction}): epoch ${best.epoch}` +
        (best === last ? ' (the final epoch).' : '.'), '', ...epochSummary(best, epochs), '');
    }
  }

  out.push('## Per epoch', '', ...perEpochTable(epochs), '');

  if (images.length > 0) {
    out.push('## Plots', '');
    for (const image of images) out.push(`![${escapeInline(image.title)}](${encodeURI(image.file)})`, '');
  }

  const words = structure?.keptWords;
  if (words !== undefined) {
    out.push('## Kept words', '');
    const shown = words.slice(0, KEPT_WORDS_SHOWN);
    out.push(`${words.length} kept word(s) of ${last.compression.keptWords.total}` +
      (words.length > shown.length ? `; the first ${shown.length}, most frequent first:` : ', most frequent first:'), '');
    if (shown.length > 0) out.push(...codeBlock(wrap(shown.map(showWord), 100)), '');
  }
  return out.join('\n');
}

/** Quality metrics (validation and test) and the compression / kept-structure counts of one epoch. */
function epochSummary(e: EpochRecord, epochs: EpochRecord[]): string[] {
  const metricRows = metricNames(epochs).map((name) => [name, fmt(e.validation[name]), fmt(e.test[name])]);
  const c = e.compression;
  const byGate = (counts: Record<string, number>) => Object.entries(counts).map(([g, n]) => `${g} ${n}`).join(', ');
  const structureRows = [
    ['compression ratio', ratio(c.compressionRatio)],
    ['sparsity', `${fmt(c.sparsityPercent)} %`],
    ['nonzero / prunable weights', `${c.nonzeroWeights} / ${c.prunableWeights}`],
    ['kept words', kept(c.keptWords)],
    ['kept inputs', kept(c.keptInputs)],
    ['kept hidden neurons', kept(c.keptHidden)],
    ['kept gates', `${kept(c.keptGates)} (${byGate(c.keptGates.byGate)})`],
    ['constant gates', `${c.constantGates.kept} (${byGate(c.constantGates.byGate)})`],
    ['train objective (NLL + KL / N)', `${fmt(e.trainObjective)} (${fmt(e.trainNll)} + ${fmt(e.klPerExample)})`],
  ];
  return [...table(['metric', 'validation', 'test'], metricRows), '', ...table(['quantity', 'value'], structureRows)];
}

function perEpochTable(epochs: EpochRecord[]): string[] {
  const names = metricNames(epochs);
  const header = ['epoch', 'train objective', ...names.flatMap((n) => [`val ${n}`, `test ${n}`]), 'compression', 'sparsity %', 'hidden', 'gates', 'seconds'];
  const rows = epochs.map((e) => [
    String(e.epoch), fmt(e.trainObjective), ...names.flatMap((n) => [fmt(e.validation[n]), fmt(e.test[n])]),
    ratio(e.compression.compressionRatio), fmt(e.compression.sparsityPercent),
    `${e.compression.keptHidden.kept}`, `${e.compression.keptGates.kept}`, fmt(e.trainSeconds),
  ]);
  return table(header, rows);
}

/** 4 significant digits, integers as they are; missing values as "–". */
export function fmt(x: number | undefined): string {
  if (x === undefined) return '–';
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '-∞';
  if (Number.isInteger(x)) return String(x);
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e6)) return x.toExponential(3);
  return String(Number(x.toPrecision(4)));
}

function ratio(x: number): string {
  return x === Infinity ? '∞ (every weight pruned)' : `${fmt(x)}×`;
}

function kept({ kept, total }: KeptCount): string {
  return total === 0 ? '0 / 0' : `${kept} / ${total} (${fmt((100 * kept) / total)} %)`;
}

/** Nested config objects become dotted keys; values are shown as JSON unless they are plain strings. */
function flatten(value: Record<string, unknown>, prefix = ''): [string, string][] {
  const rows: [string, string][] = [];
  for (const [k, v] of Object.entries(value)) {
    const key = prefix + k;
    if (typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length > 0) {
      rows.push(...flatten(v as Record<string, unknown>, `${key}.`));
    } else rows.push([key, clip(typeof v === 'string' ? v : JSON.stringify(v) ?? String(v), 200)]);
  }
  return rows;
}

function clip(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function table(header: string[], rows: string[][]): string[] {
  const line = (cells: string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)];
}

function escapeCell(s: string): string {
  return escapeInline(s).replace(/\|/g, '\\|');
}

/** One line, markdown-inert: newlines shown as spaces and emphasis / link characters escaped. */
function escapeInline(s: string): string {
  return s.replace(/\r?\n/g, ' ').replace(/([\\`*_[\]<>])/g, '\\$1');
}

/** Words that are blank, contain whitespace or are not printable are shown JSON-quoted, so characters stay visible. */
function showWord(w: string): string {
  return w === '' || /[\s"\p{C}]/u.test(w) ? JSON.stringify(w) : w;
}

/** Space-separated words in lines of at most `width` characters (a longer word gets a line of its own). */
function wrap(words: string[], width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    if (line !== '' && line.length + 1 + w.length > width) {
      lines.push(line);
      line = w;
    } else line = line === '' ? w : `${line} ${w}`;
  }
  if (line !== '') lines.push(line);
  return lines.join('\n');
}

function codeBlock(text: string): string[] {
  const longestTicks = Math.max(0, ...(text.match(/`+/g) ?? []).map((t) => t.length));
  const fence = '`'.repeat(Math.max(3, longestTicks + 1));
  return [fence, text, fence];
}
