// The best-validation epoch: which metric decides it and in which direction, then the epoch itself.
import type { EpochRecord } from '../train/metrics_record.js';

export interface PrimaryMetric {
  name: string;
  higherIsBetter: boolean;
}

const HIGHER_IS_BETTER = new Set(['accuracy', 'acc', 'f1', 'auc', 'precision', 'recall']);
const LOWER_IS_BETTER = new Set(['nll', 'loss', 'perplexity', 'ppl', 'bpc', 'error', 'errorrate', 'cer', 'wer']);

/** Direction of a metric known by name, e.g. accuracy (higher) or perplexity (lower); undefined when unknown. */
export function knownDirection(name: string): boolean | undefined {
  const key = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (HIGHER_IS_BETTER.has(key)) return true;
  if (LOWER_IS_BETTER.has(key)) return false;
  return undefined;
}

/**
 * The metric that decides "best": config.json's `primaryMetric` ({ name, higherIsBetter } or a name), else the first
 * validation metric whose direction is known by name. Undefined when none applies.
 */
export function choosePrimaryMetric(epochs: EpochRecord[], config?: Record<string, unknown>): PrimaryMetric | undefined {
  const declared = config?.primaryMetric;
  if (typeof declared === 'object' && declared !== null) {
    const { name, higherIsBetter } = declared as Record<string, unknown>;
    if (typeof name === 'string' && typeof higherIsBetter === 'boolean') return { name, higherIsBetter };
  }
  if (typeof declared === 'string') {
    const higherIsBetter = knownDirection(declared);
    if (higherIsBetter !== undefined) return { name: declared, higherIsBetter };
  }
  const names = epochs.length > 0 ? Object.keys(epochs[epochs.length - 1].validation) : [];
  for (const name of names) {
    const higherIsBetter = knownDirection(name);
    if (higherIsBetter !== undefined) return { name, higherIsBetter };
  }
  return undefined;
}

/** The epoch with the best finite validation value of `metric` (the earliest on ties); undefined when none has one. */
export function bestValidationEpoch(epochs: EpochRecord[], metric: PrimaryMetric): EpochRecord | undefined {
  let best: EpochRecord | undefined;
  for (const e of epochs) {
    const v = e.validation[metric.name];
    if (v === undefined || !Number.isFinite(v)) continue;
    const b = best?.validation[metric.name];
    if (b === undefined || (metric.higherIsBetter ? v > b : v < b)) best = e;
  }
  return best;
}
