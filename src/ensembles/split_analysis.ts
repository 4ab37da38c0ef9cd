// Analysis of a memory-split sweep (spec §5, §6.4): per budget the optimal k by CNLL (lowest) and by accuracy
// (highest), the memory-split advantage of the best split over k = 1 with its spread, and power-law fits of CNLL vs k
// (per budget) and vs the realised total parameters (per k), and at a fixed member width vs ensemble size (per width).
import type { SplitCellRecord } from './sweep_record.js';
import { tryFitPowerLaw, type PowerLawFit } from './power_law.js';
import { predictOptimalSplits, widthPowerLaws, type PredictedSplit, type WidthPowerLaw } from './width_power_law.js';

export interface SplitAdvantage {
  /** Best k by the metric, and its mean. */
  bestK: number;
  best: number;
  /** k = 1's mean (null when the sweep has no k = 1 cell at this budget). */
  single: number | null;
  /** Improvement of the best split over k = 1 (positive = the split is better; 0 when k* = 1). */
  gain: number | null;
  /** sqrt(std_best^2 + std_single^2): the spread of that difference over runs (spec §5.4 asks gain > 2 spreads). */
  spread: number | null;
  /** gain > 2 spreads with k* > 1. */
  significant: boolean;
}

export interface BudgetAnalysis {
  budget: number;
  cells: SplitCellRecord[];
  cnll: SplitAdvantage;
  accuracy: SplitAdvantage;
  /** CNLL = c + b k^a over this budget's ks (null with fewer than 3 ks). */
  cnllVsK: PowerLawFit | null;
  /**
   * The best CNLL of a single network with at most this budget (any smaller budget's k = 1 cell), and how much the best
   * split beats it: with fixed hyper-parameters a single net can get worse as it grows, and a smaller one also fits.
   */
  bestSingleUpToBudget: { budget: number; cnll: number; gain: number } | null;
}

export interface SplitAnalysis {
  budgets: BudgetAnalysis[];
  /** Per k: CNLL = c + b P^a over the realised total parameters P (null with fewer than 3 budgets). */
  cnllVsBudget: { k: number; fit: PowerLawFit | null }[];
  /** Per member width: CNLL vs ensemble size n (the PL paper's law), fitted on all n and on n <= 4. */
  widthLaws: WidthPowerLaw[];
  /** Per budget: k* predicted from the n <= 4 width laws beside the observed k*. */
  predictedSplits: PredictedSplit[];
}

function advantage(cells: SplitCellRecord[], metric: 'cnll' | 'accuracy'): SplitAdvantage {
  const higherIsBetter = metric === 'accuracy';
  const better = (x: number, y: number): boolean => (higherIsBetter ? x > y : x < y);
  let best = cells[0];
  for (const c of cells) if (better(c.metrics[metric].mean, best.metrics[metric].mean)) best = c;
  const single = cells.find((c) => c.k === 1);
  const gain = single ? (higherIsBetter ? best.metrics[metric].mean - single.metrics[metric].mean : single.metrics[metric].mean - best.metrics[metric].mean) : null;
  const spread = single ? Math.hypot(best.metrics[metric].std, single.metrics[metric].std) : null;
  return {
    bestK: best.k, best: best.metrics[metric].mean, single: single ? single.metrics[metric].mean : null, gain, spread,
    significant: best.k > 1 && gain !== null && spread !== null && gain > 2 * spread,
  };
}

function bestSingle(singles: readonly SplitCellRecord[], budget: number, bestSplit: number): BudgetAnalysis['bestSingleUpToBudget'] {
  const fitting = singles.filter((c) => c.budget <= budget);
  if (fitting.length === 0) return null;
  const best = fitting.reduce((b, c) => (c.metrics.cnll.mean < b.metrics.cnll.mean ? c : b));
  return { budget: best.budget, cnll: best.metrics.cnll.mean, gain: best.metrics.cnll.mean - bestSplit };
}

export function analyzeSplitSweep(cells: readonly SplitCellRecord[]): SplitAnalysis {
  if (cells.length === 0) throw new Error('analyzeSplitSweep: the sweep has no finished cells');
  const budgets = [...new Set(cells.map((c) => c.budget))].sort((a, b) => a - b);
  const ks = [...new Set(cells.map((c) => c.k))].sort((a, b) => a - b);
  const widthLaws = widthPowerLaws(cells);
  const singles = cells.filter((c) => c.k === 1);
  return {
    widthLaws, predictedSplits: predictOptimalSplits(cells, widthLaws),
    budgets: budgets.map((budget) => {
      const row = cells.filter((c) => c.budget === budget).sort((a, b) => a.k - b.k);
      const cnll = advantage(row, 'cnll');
      return {
        budget, cells: row, cnll, accuracy: advantage(row, 'accuracy'),
        cnllVsK: tryFitPowerLaw(row.map((c) => c.k), row.map((c) => c.metrics.cnll.mean)),
        bestSingleUpToBudget: bestSingle(singles, budget, cnll.best),
      };
    }),
    cnllVsBudget: ks.map((k) => {
      const col = cells.filter((c) => c.k === k).sort((a, b) => a.totalParameters - b.totalParameters);
      return { k, fit: tryFitPowerLaw(col.map((c) => c.totalParameters), col.map((c) => c.metrics.cnll.mean)) };
    }),
  };
}
