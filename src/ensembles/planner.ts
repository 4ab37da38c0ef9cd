// Memory-split planner: for a budget B (trainable parameters) and k members, the integer width w whose total
// k * P(w) is closest to B (spec §1.1-1.2), with the realised total and its relative error.
import type { ArchitectureFamily } from './family.js';

export interface MemorySplitPlan {
  family: string;
  budget: number;
  /** k: the number of members. */
  members: number;
  /** The chosen integer width. */
  width: number;
  /** The real width solving k P(w) = B (NaN when B / k is below the family's fixed parameters). */
  exactWidth: number;
  memberParameters: number;
  totalParameters: number;
  /** (total - budget) / budget: signed, so + means over budget. */
  relativeError: number;
  /** True when even the family's minimum width exceeds B / k best: the plan is that minimum, error as it falls. */
  atMinimumWidth: boolean;
}

/** The real w >= 0 with a w^2 + b w + c = target (the stable root form), or NaN if there is none. */
export function solveWidth(family: ArchitectureFamily, target: number): number {
  const { a, b, c } = family.counts;
  const rest = target - c;
  if (rest < 0) return Number.NaN;
  if (a === 0) return rest / b;
  return (2 * rest) / (b + Math.sqrt(b * b + 4 * a * rest));
}

/**
 * The width whose k x params is closest to the budget. Candidates are floor and ceil of the exact root (P is
 * increasing in w), raised to the family's minimum width; ties (equal absolute error) go to the smaller width,
 * which stays under the budget. The spec's code rounds the root instead; the two agree on its grids.
 */
export function planMemorySplit(family: ArchitectureFamily, budget: number, k: number): MemorySplitPlan {
  if (!(Number.isFinite(budget) && budget > 0)) throw new Error(`planMemorySplit: budget must be a positive number of parameters, got ${budget}`);
  if (!Number.isInteger(k) || k < 1) throw new Error(`planMemorySplit: k (members) must be an integer >= 1, got ${k}`);
  const exactWidth = solveWidth(family, budget / k);
  const base = Number.isNaN(exactWidth) ? family.minWidth : Math.floor(exactWidth);
  const candidates = [...new Set([base, base + 1].map((w) => Math.max(family.minWidth, w)))];
  let width = candidates[0], bestError = Infinity;
  for (const w of candidates) {
    const error = Math.abs(k * family.parameterCount(w) - budget);
    if (error < bestError) { width = w; bestError = error; }
  }
  const memberParameters = family.parameterCount(width);
  const totalParameters = k * memberParameters;
  return {
    family: family.name, budget, members: k, width, exactWidth, memberParameters, totalParameters,
    relativeError: (totalParameters - budget) / budget,
    atMinimumWidth: width === family.minWidth && !(exactWidth >= family.minWidth),
  };
}

/** One plan per k (e.g. k = 1, 2, 4, ..., 64 for one budget). */
export function memorySplitTable(family: ArchitectureFamily, budget: number, ks: readonly number[]): MemorySplitPlan[] {
  return ks.map((k) => planMemorySplit(family, budget, k));
}

/** A markdown table of plans: k | width | member params | total | error %. */
export function formatMemorySplitTable(plans: readonly MemorySplitPlan[]): string {
  const lines = ['| k | width | member params | total params | error |', '|---:|---:|---:|---:|---:|'];
  for (const p of plans) {
    const flag = p.atMinimumWidth ? ' (min width)' : '';
    lines.push(`| ${p.members} | ${p.width}${flag} | ${p.memberParameters.toLocaleString('en-US')} | ${p.totalParameters.toLocaleString('en-US')} | ${(100 * p.relativeError).toFixed(2)} % |`);
  }
  return lines.join('\n');
}
