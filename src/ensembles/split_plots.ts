// Vega-Lite specs of the memory-split report: each metric vs k (log2 axis) with one line per budget and mean ± std
// error bars (spec §6.4 Figure 1), the optimal k vs budget (Figure 3), and CNLL vs ensemble size per member width with
// the fitted power law (the power-law panel).
import type { TopLevelSpec } from 'vega-lite';
import type { SplitAnalysis } from './split_analysis.js';
import { powerLawAt } from './power_law.js';
import type { SplitCellRecord } from './sweep_record.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';
const PANEL = { width: 420, height: 180 };

export const PLOTTED_METRICS = [
  { key: 'cnll', title: 'calibrated NLL (test, 2-fold CV)' },
  { key: 'nll', title: 'NLL (test)' },
  { key: 'accuracy', title: 'accuracy (test)' },
] as const;

function points(cells: readonly SplitCellRecord[], key: (typeof PLOTTED_METRICS)[number]['key']) {
  return cells.map((c) => ({
    k: c.k, budget: c.budget.toLocaleString('en-US'), budgetValue: c.budget,
    mean: c.metrics[key].mean, low: c.metrics[key].mean - c.metrics[key].std, high: c.metrics[key].mean + c.metrics[key].std,
  }));
}

export function metricVsKSpec(cells: readonly SplitCellRecord[]): TopLevelSpec {
  const color = { field: 'budget', type: 'nominal' as const, title: 'budget (params)', sort: { field: 'budgetValue' } };
  const ks = [...new Set(cells.map((c) => c.k))].sort((a, b) => a - b);
  const x = { field: 'k', type: 'quantitative' as const, title: 'members k', scale: { type: 'log' as const, base: 2 }, axis: { values: ks, format: 'd' } };
  return {
    $schema: SCHEMA,
    title: 'Ensemble quality vs number of members at fixed budgets (mean ± std over runs)',
    vconcat: PLOTTED_METRICS.map(({ key, title }) => ({
      ...PANEL,
      data: { values: points(cells, key) },
      layer: [
        { mark: { type: 'line', point: true }, encoding: { x, y: { field: 'mean', type: 'quantitative', title, scale: { zero: false } }, color } },
        { mark: { type: 'errorbar' }, encoding: { x, y: { field: 'low', type: 'quantitative', title }, y2: { field: 'high' }, color } },
      ],
    })),
  } as TopLevelSpec;
}

export function optimalKSpec(analysis: SplitAnalysis): TopLevelSpec {
  const values = analysis.budgets.flatMap((b) => [
    { budget: b.budget, k: b.cnll.bestK, by: 'lowest CNLL' },
    { budget: b.budget, k: b.accuracy.bestK, by: 'highest accuracy' },
  ]);
  const budgets = analysis.budgets.map((b) => b.budget);
  const ks = [...new Set(analysis.budgets.flatMap((b) => b.cells.map((c) => c.k)))].sort((a, b) => a - b);
  return {
    $schema: SCHEMA,
    title: { text: 'Optimal number of members k* vs parameter budget', subtitle: 'the two lines coincide where both metrics agree' },
    ...PANEL,
    data: { values },
    mark: { type: 'line', point: { filled: false, size: 80 } },
    encoding: {
      x: { field: 'budget', type: 'quantitative', title: 'budget (parameters)', scale: { type: 'log' }, axis: { values: budgets, format: '~s' } },
      y: { field: 'k', type: 'quantitative', title: 'k*', scale: { type: 'log', base: 2 }, axis: { values: ks, format: 'd' } },
      color: { field: 'by', type: 'nominal', title: 'k* by' },
      strokeDash: { field: 'by', type: 'nominal' },
      shape: { field: 'by', type: 'nominal' },
    },
  };
}

export function widthLawSpec(analysis: SplitAnalysis): TopLevelSpec {
  const laws = analysis.widthLaws.filter((w) => w.points.length >= 2);
  const label = (w: { width: number; memberParameters: number }) => `w=${w.width} (${w.memberParameters.toLocaleString('en-US')} params)`;
  const observed = laws.flatMap((w) => w.points.map((p) => ({ n: p.members, cnll: p.cnll, width: label(w), order: w.width })));
  const fitted = laws.flatMap((w) => {
    if (!w.all) return [];
    const top = w.points[w.points.length - 1].members;
    return Array.from({ length: 25 }, (_, i) => 2 ** (Math.log2(top) * i / 24)).map((n) => ({ n, cnll: powerLawAt(w.all!, n), width: label(w), order: w.width }));
  });
  const ns = [...new Set(observed.map((p) => p.n))].sort((a, b) => a - b);
  const x = { field: 'n', type: 'quantitative' as const, title: 'ensemble size n', scale: { type: 'log' as const, base: 2 }, axis: { values: ns, format: 'd' } };
  const y = { field: 'cnll', type: 'quantitative' as const, title: 'calibrated NLL (test)', scale: { zero: false } };
  const color = { field: 'width', type: 'nominal' as const, title: 'member width', sort: { field: 'order' } };
  return {
    $schema: SCHEMA,
    title: { text: 'CNLL vs ensemble size at a fixed member width', subtitle: 'points: disjoint groups of members; lines: c + b n^a fitted on all n' },
    ...PANEL, height: 260,
    layer: [
      { data: { values: fitted }, mark: { type: 'line', strokeDash: [4, 3] }, encoding: { x, y, color } },
      { data: { values: observed }, mark: { type: 'point', filled: true }, encoding: { x, y, color } },
    ],
  } as TopLevelSpec;
}
