// Vega-Lite specs of the per-epoch report charts: learning curves, compression, kept structure.
// Non-finite values (a NaN loss, an Infinity compression ratio) are left out of the lines and counted in a subtitle.
import type { TopLevelSpec } from 'vega-lite';
import type { EpochRecord } from '../train/metrics_record.js';

const PANEL = { width: 480, height: 150 };

interface Point {
  epoch: number;
  series: string;
  value: number;
}

/** Train objective (and its NLL and KL parts) in one panel, then one panel per quality metric with validation and test. */
export function learningCurvesSpec(epochs: EpochRecord[]): TopLevelSpec {
  const train = collect(epochs, [
    ['train objective', (e) => e.trainObjective],
    ['train NLL', (e) => e.trainNll],
    ['KL / N', (e) => e.klPerExample],
  ]);
  const panels = [linePanel('train objective', 'objective', train)];
  for (const metric of metricNames(epochs)) {
    const points = collect(epochs, [
      ['validation', (e) => e.validation[metric]],
      ['test', (e) => e.test[metric]],
    ]);
    panels.push(linePanel(metric, metric, points));
  }
  return { $schema: SCHEMA, title: 'Learning curves', vconcat: panels, resolve: { scale: { color: 'independent' } } };
}

/** Compression ratio (log scale, left axis) and sparsity % (right axis) per epoch. */
export function compressionSpec(epochs: EpochRecord[]): TopLevelSpec {
  const ratio = collect(epochs, [['compression ratio', (e) => e.compression.compressionRatio]]);
  const allPruned = epochs.filter((e) => e.compression.compressionRatio === Infinity).length;
  const sparsity = collect(epochs, [['sparsity %', (e) => e.compression.sparsityPercent]]);
  const epochX = { field: 'epoch', type: 'quantitative' as const, axis: { tickMinStep: 1 } };
  return {
    $schema: SCHEMA,
    title: {
      text: 'Compression ratio and sparsity',
      subtitle: allPruned > 0 ? `${allPruned} epoch(s) with every weight pruned (ratio ∞) not drawn` : '',
    },
    ...PANEL,
    layer: [
      {
        data: { values: ratio },
        mark: { type: 'line', point: true, color: '#1f77b4' },
        encoding: {
          x: epochX,
          y: { field: 'value', type: 'quantitative', title: 'compression ratio (log)', scale: { type: 'log' },
            axis: { titleColor: '#1f77b4' } },
        },
      },
      {
        data: { values: sparsity },
        mark: { type: 'line', point: true, color: '#ff7f0e', strokeDash: [4, 2] },
        encoding: {
          x: epochX,
          y: { field: 'value', type: 'quantitative', title: 'sparsity %', scale: { domain: [0, 100] },
            axis: { orient: 'right', titleColor: '#ff7f0e' } },
        },
      },
    ],
    resolve: { scale: { y: 'independent' } },
  };
}

/** Kept hidden neurons, kept gates per type and constant gates per type, each against its total. */
export function keptStructureSpec(epochs: EpochRecord[]): TopLevelSpec {
  const last = epochs[epochs.length - 1].compression;
  const gates = Object.keys(last.keptGates.byGate);
  const hiddenTotal = last.keptHidden.total;
  const hidden = collect(epochs, [['kept hidden neurons', (e) => e.compression.keptHidden.kept]]);
  const kept = collect(epochs, gates.map((g) => [`gate ${g}`, (e: EpochRecord) => e.compression.keptGates.byGate[g]]));
  const constant = collect(epochs, gates.map((g) => [`gate ${g}`, (e: EpochRecord) => e.compression.constantGates.byGate[g]]));
  const domain: [number, number] = [0, Math.max(1, hiddenTotal)];
  return {
    $schema: SCHEMA,
    title: 'Kept structure',
    vconcat: [
      linePanel(`kept hidden neurons (of ${hiddenTotal})`, 'neurons', hidden, domain),
      linePanel(`kept gates by type (of ${hiddenTotal} each; ${last.keptGates.kept} of ${last.keptGates.total} at the end)`, 'gates', kept, domain),
      linePanel('constant gates by type (gate removed, neuron kept)', 'gates', constant, domain),
    ],
    resolve: { scale: { color: 'independent' } },
  };
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Quality metric names in first-seen order over validation and test of all epochs. */
export function metricNames(epochs: EpochRecord[]): string[] {
  const names = new Set<string>();
  for (const e of epochs) for (const name of [...Object.keys(e.validation), ...Object.keys(e.test)]) names.add(name);
  return [...names];
}

type Series = [string, (e: EpochRecord) => number | undefined];

function collect(epochs: EpochRecord[], series: Series[]): Point[] {
  const points: Point[] = [];
  for (const [name, get] of series) {
    for (const e of epochs) {
      const value = get(e);
      if (value !== undefined && Number.isFinite(value)) points.push({ epoch: e.epoch, series: name, value });
    }
  }
  return points;
}

function linePanel(title: string, yTitle: string, points: Point[], yDomain?: [number, number]) {
  const log = yDomain === undefined && spansDecades(points.map((p) => p.value));
  const scale = yDomain ? { domain: yDomain } : log ? { type: 'log' as const } : { zero: false };
  return {
    ...PANEL,
    title,
    data: { values: points },
    mark: { type: 'line' as const, point: true },
    encoding: {
      x: { field: 'epoch', type: 'quantitative' as const, axis: { tickMinStep: 1 } },
      y: { field: 'value', type: 'quantitative' as const, title: log ? `${yTitle} (log)` : yTitle, scale },
      // Legend and colours in the order the series were given (gate i, f, g, o; validation before test).
      color: { field: 'series', type: 'nominal' as const, title: null, scale: { domain: [...new Set(points.map((p) => p.series))] } },
    },
  };
}

/** Positive values over more than 1.5 decades (an early perplexity of 10^4, a KL that shrinks 100-fold) read better on a log axis. */
function spansDecades(values: number[]): boolean {
  if (values.length === 0 || values.some((v) => v <= 0)) return false;
  return Math.max(...values) / Math.min(...values) > 30;
}
