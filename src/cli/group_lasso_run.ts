// The group-lasso settings of a classifier run (`--method group-lasso`, spec rnn-sparsification §5): their
// config.json fields, validation, and the pruning schedule in steps that they describe for a run of known length.
//
// [TBD in the spec] §5 leaves lambda, the threshold and the schedule open; the defaults here are starting points, not
// tuned values: lambda 0.5 and an RMS threshold of 1e-3 (DEFAULT_GROUP_LASSO_OPTIONS), a final magnitude sparsity of
// 0.9, and a schedule of 25 % warm-up (penalty on, nothing pruned), 50 % gradual pruning (Zhu & Gupta's cubic
// sparsity ramp from 0, 10 pruning events) and 25 % fine-tuning (penalty off, masks frozen) of the run's steps.
import type { GroupLassoOptions } from '../sparsify/group_lasso_regularizer.js';
import { DEFAULT_GROUP_LASSO_OPTIONS } from '../sparsify/group_lasso_regularizer.js';
import { PruningSchedule } from '../sparsify/pruning_schedule.js';
import type { FieldKind } from './run_config.js';

export interface GroupLassoRunConfig {
  /** Penalty weight lambda (sum over the training set, like the KL); null = DEFAULT_GROUP_LASSO_OPTIONS.lambda. */
  glLambda: number | null;
  /** RMS weight below which a group is pruned; null = DEFAULT_GROUP_LASSO_OPTIONS.threshold. */
  glThreshold: number | null;
  /** Final magnitude sparsity of the weights, in [0, 1); null = DEFAULT_FINAL_SPARSITY. */
  glSparsity: number | null;
  /** Phase lengths: "N" epochs (decimals allowed) or "Nsteps"; null = its default share of the run. */
  glWarmup: string | null;
  glPruning: string | null;
  glFineTune: string | null;
  /** Pruning events spread over the pruning phase; null = DEFAULT_PRUNING_EVENTS. */
  glPruneEvents: number | null;
}

export const GROUP_LASSO_FIELDS: Record<keyof GroupLassoRunConfig, FieldKind> = {
  glLambda: 'positiveOrNull', glThreshold: 'positiveOrNull', glSparsity: 'fractionOrNull',
  glWarmup: 'stringOrNull', glPruning: 'stringOrNull', glFineTune: 'stringOrNull', glPruneEvents: 'intOrNull',
};

export const GROUP_LASSO_UNSET: GroupLassoRunConfig = {
  glLambda: null, glThreshold: null, glSparsity: null, glWarmup: null, glPruning: null, glFineTune: null, glPruneEvents: null,
};

/** The flag of each field, for error messages. */
export const GROUP_LASSO_FLAGS: Record<keyof GroupLassoRunConfig, string> = {
  glLambda: '--gl-lambda', glThreshold: '--gl-threshold', glSparsity: '--gl-sparsity', glWarmup: '--gl-warmup',
  glPruning: '--gl-pruning', glFineTune: '--gl-fine-tune', glPruneEvents: '--gl-prune-events',
};

export const DEFAULT_FINAL_SPARSITY = 0.9;
export const DEFAULT_PRUNING_EVENTS = 10;
/** Shares of the run's steps of the phases left unset (renormalised over those). */
const DEFAULT_SHARES = { warmup: 0.25, pruning: 0.5, fineTune: 0.25 } as const;

/**
 * Throws unless the group-lasso fields are all null for another method, and every phase length parses; `method`
 * is the run's method.
 */
export function checkGroupLassoFields(full: Record<string, unknown>, method: unknown): void {
  for (const key of Object.keys(GROUP_LASSO_FIELDS) as (keyof GroupLassoRunConfig)[]) {
    if (method !== 'group-lasso' && full[key] !== null) {
      throw new Error(`${key} (${GROUP_LASSO_FLAGS[key]}) applies to method group-lasso only, not to ${String(method)}`);
    }
  }
  for (const key of ['glWarmup', 'glPruning', 'glFineTune'] as const) {
    const v = full[key];
    if (typeof v === 'string') parsePhaseLength(v, `${key} (${GROUP_LASSO_FLAGS[key]})`);
  }
}

/** The model's lambda and threshold of a run. */
export function groupLassoOptionsOf(config: GroupLassoRunConfig): GroupLassoOptions {
  return {
    lambda: config.glLambda ?? DEFAULT_GROUP_LASSO_OPTIONS.lambda,
    threshold: config.glThreshold ?? DEFAULT_GROUP_LASSO_OPTIONS.threshold,
  };
}

export type PhaseLength = { unit: 'epochs' | 'steps'; value: number };

/** "2" or "0.5" -> epochs; "40steps" -> steps. `what` names the field in errors. */
export function parsePhaseLength(text: string, what: string): PhaseLength {
  const steps = /^(\d+)\s*steps?$/.exec(text.trim());
  if (steps) return { unit: 'steps', value: Number(steps[1]) };
  const epochs = Number(text);
  if (text.trim() !== '' && Number.isFinite(epochs) && epochs >= 0) return { unit: 'epochs', value: epochs };
  throw new Error(`${what}: expected a number of epochs (e.g. 2 or 0.5) or of steps (e.g. 40steps), got ${JSON.stringify(text)}`);
}

/**
 * The pruning schedule of a run of `epochs` x `stepsPerEpoch` steps: the phases given in epochs or steps, the
 * others sharing what is left by DEFAULT_SHARES; the pruning phase holds min(events, its steps) events at equal
 * spacing (the first at its first step), s_i = 0, s_f = glSparsity. Steps after the last event are fine-tuning,
 * whatever glFineTune says, so a run extended on --resume fine-tunes longer. Phases given may outlast the run (the
 * schedule then finishes in a resumed run with more --epochs; the caller warns).
 */
export function resolvePruningSchedule(config: GroupLassoRunConfig, epochs: number, stepsPerEpoch: number): PruningSchedule {
  const total = epochs * stepsPerEpoch;
  const phases = ['warmup', 'pruning', 'fineTune'] as const;
  const text = { warmup: config.glWarmup, pruning: config.glPruning, fineTune: config.glFineTune };
  const field = { warmup: 'glWarmup', pruning: 'glPruning', fineTune: 'glFineTune' } as const;
  const steps: Partial<Record<(typeof phases)[number], number>> = {};
  for (const p of phases) {
    const t = text[p];
    if (t === null) continue;
    const len = parsePhaseLength(t, `${field[p]} (${GROUP_LASSO_FLAGS[field[p]]})`);
    steps[p] = len.unit === 'steps' ? len.value : Math.round(len.value * stepsPerEpoch);
  }
  // Phases given may outlast the run (a run to be resumed with more --epochs): the unset ones then get 0 steps.
  const given = phases.reduce((n, p) => n + (steps[p] ?? 0), 0);
  const free = Math.max(0, total - given);
  const unset = phases.filter((p) => steps[p] === undefined);
  const shareSum = unset.reduce((n, p) => n + DEFAULT_SHARES[p], 0);
  let left = free;
  unset.forEach((p, i) => {
    const n = i === unset.length - 1 ? left : Math.floor(free * DEFAULT_SHARES[p] / shareSum);
    steps[p] = n;
    left -= n;
  });
  const warmupSteps = steps.warmup!, pruningSteps = steps.pruning!;
  if (pruningSteps < 1) {
    throw new Error(`group-lasso schedule: the pruning phase has ${pruningSteps} steps of the run's ${total} (${epochs} epochs of ${stepsPerEpoch} steps); it needs at least 1 (${GROUP_LASSO_FLAGS.glPruning})`);
  }
  const events = Math.min(config.glPruneEvents ?? DEFAULT_PRUNING_EVENTS, pruningSteps);
  const frequency = events > 1 ? Math.max(1, Math.floor((pruningSteps - 1) / (events - 1))) : 1;
  const lastPruningStep = warmupSteps + (events - 1) * frequency;
  return new PruningSchedule({
    warmupSteps, pruningEvents: events, frequency, initialSparsity: 0,
    finalSparsity: config.glSparsity ?? DEFAULT_FINAL_SPARSITY, fineTuneSteps: Math.max(0, total - lastPruningStep - 1),
  });
}

/** ' (group-lasso, lambda 0.5, threshold 0.001, sparsity 0.9)': what a run description adds after the preset. */
export function describeGroupLasso(config: GroupLassoRunConfig): string {
  const o = groupLassoOptionsOf(config);
  return ` (group-lasso, lambda ${o.lambda}, threshold ${o.threshold}, sparsity ${config.glSparsity ?? DEFAULT_FINAL_SPARSITY})`;
}
