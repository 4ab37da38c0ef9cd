// The PL paper's law at a fixed member width (spec §4-5): CNLL_n = c + b n^a for ensembles of n members of one width,
// from the sub-ensembles every cell scores (cells of one width, e.g. (B, k) and (4B, 4k), pool their points). The law
// fitted on n <= 4 alone is extrapolated to the largest n observed, and predicts the split curve CNLL(k | B) and so
// k*(B) from a few members per width (spec §5.5: "predict n*(B) from fits made on n <= 4 only and compare").
import { powerLawAt, tryFitPowerLaw, type PowerLawFit } from './power_law.js';
import type { SplitCellRecord } from './sweep_record.js';

/** Largest ensemble size the "few members" fit may use. */
export const SMALL_ENSEMBLE_LIMIT = 4;

export interface WidthCurvePoint {
  members: number;
  /** CNLL mean over every scored group of this size at this width. */
  cnll: number;
  groups: number;
}

export interface WidthPowerLaw {
  width: number;
  memberParameters: number;
  points: WidthCurvePoint[];
  /** Fit on every point (null with fewer than 3 sizes). */
  all: PowerLawFit | null;
  /** Fit on n <= 4 only (null with fewer than 3 such sizes). */
  small: PowerLawFit | null;
  /** The n <= 4 fit at the largest observed n beside the observed CNLL there (null without a small fit or n > 4). */
  extrapolation: { members: number; predicted: number; observed: number } | null;
}

function tryFit(points: readonly WidthCurvePoint[]): PowerLawFit | null {
  return tryFitPowerLaw(points.map((p) => p.members), points.map((p) => p.cnll));
}

/** CNLL vs ensemble size per member width; cells without sub-ensembles (older records) add their own (k, CNLL). */
export function widthPowerLaws(cells: readonly SplitCellRecord[]): WidthPowerLaw[] {
  const byWidth = new Map<number, { memberParameters: number; sums: Map<number, { total: number; groups: number }> }>();
  for (const c of cells) {
    const entry = byWidth.get(c.width) ?? { memberParameters: c.memberParameters, sums: new Map() };
    byWidth.set(c.width, entry);
    const scored = c.subEnsembles ?? [{ members: c.k, groups: c.runs.length, cnll: c.metrics.cnll }];
    for (const s of scored) {
      const sum = entry.sums.get(s.members) ?? { total: 0, groups: 0 };
      sum.total += s.cnll.mean * s.groups;
      sum.groups += s.groups;
      entry.sums.set(s.members, sum);
    }
  }
  return [...byWidth.entries()].sort((a, b) => a[0] - b[0]).map(([width, { memberParameters, sums }]) => {
    const points = [...sums.entries()].sort((a, b) => a[0] - b[0])
      .map(([members, s]) => ({ members, cnll: s.total / s.groups, groups: s.groups }));
    const small = tryFit(points.filter((p) => p.members <= SMALL_ENSEMBLE_LIMIT));
    const last = points[points.length - 1];
    return {
      width, memberParameters, points, all: tryFit(points), small,
      extrapolation: small && last.members > SMALL_ENSEMBLE_LIMIT ? { members: last.members, predicted: powerLawAt(small, last.members), observed: last.cnll } : null,
    };
  });
}

export interface PredictedSplit {
  budget: number;
  /** k* from the n <= 4 laws (observed CNLL where k <= 4); null when some k's width has no such law. */
  predictedBestK: number | null;
  observedBestK: number;
}

/** k*(B) predicted from the n <= 4 width laws, beside the observed k* by CNLL. */
export function predictOptimalSplits(cells: readonly SplitCellRecord[], laws: readonly WidthPowerLaw[]): PredictedSplit[] {
  const lawOf = new Map(laws.map((l) => [l.width, l]));
  const budgets = [...new Set(cells.map((c) => c.budget))].sort((a, b) => a - b);
  return budgets.map((budget) => {
    const row = cells.filter((c) => c.budget === budget);
    const observed = row.reduce((best, c) => (c.metrics.cnll.mean < best.metrics.cnll.mean ? c : best));
    const predicted = row.map((c) => {
      if (c.k <= SMALL_ENSEMBLE_LIMIT) return { k: c.k, cnll: c.metrics.cnll.mean };
      const law = lawOf.get(c.width)?.small;
      return law ? { k: c.k, cnll: powerLawAt(law, c.k) } : null;
    });
    const complete = predicted.every((p) => p !== null) ? (predicted as { k: number; cnll: number }[]) : null;
    const best = complete?.reduce((b, p) => (p.cnll < b.cnll ? p : b)) ?? null;
    return { budget, predictedBestK: best ? best.k : null, observedBestK: observed.k };
  });
}
