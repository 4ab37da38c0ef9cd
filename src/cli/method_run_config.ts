// The sparsification-method settings every kind of run shares (classifiers and language models): `method` (--method)
// and `l0Lambda` (--l0-lambda), their config.json field kinds and defaults, validation, the L0 options they give a
// model, and the description suffix. --resume keeps them through run_config's resumedConfig like any other field.
import { DEFAULT_L0_OPTIONS, type L0Options } from '../nn/bayes/l0_penalty.js';
import { resolveSparsificationMethod, type SparsificationMethod } from '../sparsify/sparsification_method.js';
import type { FieldKind } from './run_config.js';

export interface MethodRunConfig {
  /**
   * How the preset's prunable parts are sparsified: 'sparsevd' (default), 'l0' (hard-concrete gates, spec §5) or,
   * for classifiers only, 'group-lasso' (its own settings: group_lasso_run.ts).
   */
  method: SparsificationMethod;
  /** L0 cost per kept weight (method 'l0' only); null = DEFAULT_L0_OPTIONS.lambda. */
  l0Lambda: number | null;
}

export const METHOD_FIELDS: Record<keyof MethodRunConfig, FieldKind> = { method: 'string', l0Lambda: 'positiveOrNull' };

export const METHOD_DEFAULTS: MethodRunConfig = { method: 'sparsevd', l0Lambda: null };

/** Throws unless `full.method` is an available method and l0Lambda is set for method l0 only; `source` names the origin. */
export function checkMethodFields(full: Record<string, unknown>, source: string): void {
  resolveSparsificationMethod(full.method, `method (from ${source} or --method)`);
  if (full.method !== 'l0' && full.l0Lambda !== null) throw new Error(`l0Lambda (--l0-lambda) applies to method l0 only, not to ${String(full.method)}`);
}

/** The L0 options of a run: its lambda, the other settings at their defaults. */
export function l0OptionsOf(config: MethodRunConfig): Partial<L0Options> {
  return { lambda: config.l0Lambda ?? DEFAULT_L0_OPTIONS.lambda };
}

/** '' for SparseVD; ' (l0)' or ' (l0, lambda 0.2)' otherwise: what a run description adds after the preset. */
export function describeMethod(config: MethodRunConfig): string {
  return config.method === 'sparsevd' ? '' : ` (${config.method}${config.l0Lambda === null ? '' : `, lambda ${config.l0Lambda}`})`;
}
