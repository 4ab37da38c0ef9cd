// `parsimony report`: reads a run directory and writes report.md with its SVG plots beside it, each file atomically.
import { mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import { choosePrimaryMetric, type PrimaryMetric } from './best_epoch.js';
import { gateHeatmap, gateHeatmapSpec } from './gate_heatmap.js';
import { reportMarkdown, type ReportImage } from './markdown.js';
import { compressionSpec, keptStructureSpec, learningCurvesSpec } from './plots.js';
import { renderSvg } from './render_svg.js';
import { writeFileAtomic } from '../data/write_file_atomic.js';
import { readRunFiles } from './run_files.js';

export const REPORT_FILE = 'report.md';

export interface RunReportOptions {
  runDir: string;
  /** Output directory; default `<runDir>/report`. */
  outDir?: string;
  /** Metric that decides the best-validation epoch; default from config.json or the metric names. */
  primaryMetric?: PrimaryMetric;
}

export interface RunReport {
  /** Path of the markdown file. */
  markdown: string;
  /** Paths of the SVG files. */
  images: string[];
  /** Problems in the run files that did not stop the report (also listed in the markdown). */
  warnings: string[];
}

export async function writeRunReport(options: RunReportOptions): Promise<RunReport> {
  const run = readRunFiles(options.runDir);
  const outDir = options.outDir ?? join(options.runDir, 'report');
  mkdirSync(outDir, { recursive: true });

  const charts: [ReportImage, TopLevelSpec][] = [
    [{ title: 'Learning curves', file: 'learning_curves.svg' }, learningCurvesSpec(run.epochs)],
    [{ title: 'Compression ratio and sparsity', file: 'compression.svg' }, compressionSpec(run.epochs)],
    [{ title: 'Kept structure', file: 'kept_structure.svg' }, keptStructureSpec(run.epochs)],
  ];
  const gateStates = run.structure?.gateStates;
  if (gateStates !== undefined && Object.keys(gateStates).length > 0) {
    charts.push([{ title: 'Gate heatmap', file: 'gate_heatmap.svg' }, gateHeatmapSpec(gateHeatmap(gateStates))]);
  }
  const images: string[] = [];
  for (const [image, spec] of charts) {
    const path = join(outDir, image.file);
    writeFileAtomic(path, await renderSvg(spec));
    images.push(path);
  }

  const markdown = join(outDir, REPORT_FILE);
  writeFileAtomic(markdown, reportMarkdown({
    run,
    title: basename(resolve(options.runDir)),
    primaryMetric: options.primaryMetric ?? choosePrimaryMetric(run.epochs, run.config),
    images: charts.map(([image]) => image),
  }));
  return { markdown, images, warnings: run.warnings };
}
