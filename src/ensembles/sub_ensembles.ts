// Smaller ensembles drawn from a cell's own members (spec §5's pool trick): the runs x k members of one width are cut
// into disjoint groups of n = 1, 2, 4, ..., k, and each group is scored as an ensemble. This gives the PL paper's
// curve CNLL_n at a fixed member width for free, next to the split curve CNLL(k | B) the sweep trains for.
import { classScores } from './class_scores.js';
import { evaluateEnsemble } from './evaluate_ensemble.js';
import { disjointGroups, meanAndSpread, type MeanAndSpread } from './run_statistics.js';
import type { MemberDataset } from './member_dataset.js';
import type { MemberResult } from './train_member.js';

export interface SubEnsembleSummary {
  /** Ensemble size n. */
  members: number;
  /** Disjoint groups of n scored. */
  groups: number;
  accuracy: MeanAndSpread;
  nll: MeanAndSpread;
  cnll: MeanAndSpread;
}

/** 1, 2, 4, ... up to k, and k itself. */
export function subEnsembleSizes(k: number): number[] {
  const sizes: number[] = [];
  for (let n = 1; n < k; n *= 2) sizes.push(n);
  sizes.push(k);
  return sizes;
}

export interface SubEnsembleOptions {
  /** Most groups scored per size (default 12): n = 1 of a 16-member, 3-run cell would otherwise score 48. */
  maxGroups?: number;
}

/** Scores disjoint groups of each size in subEnsembleSizes(k) over the pooled members (all of one width). */
export function subEnsembleMetrics(members: readonly MemberResult[], k: number, dataset: MemberDataset, options: SubEnsembleOptions = {}): SubEnsembleSummary[] {
  const maxGroups = options.maxGroups ?? 12;
  const test = members.map((m) => classScores(m.testLogits, dataset.classes));
  return subEnsembleSizes(k).map((n) => {
    const groups = disjointGroups(members.length, n).slice(0, maxGroups);
    const scored = groups.map((g) => evaluateEnsemble(g.map((i) => test[i]), dataset.test.labels));
    return {
      members: n, groups: groups.length,
      accuracy: meanAndSpread(scored.map((s) => s.accuracy)), nll: meanAndSpread(scored.map((s) => s.nll)), cnll: meanAndSpread(scored.map((s) => s.cnll)),
    };
  });
}
