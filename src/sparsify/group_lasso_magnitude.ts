// Weight-level magnitude pruning (the "W" level of the group-lasso method, spec rnn-sparsification §5; Zhu & Gupta
// 2017): per tensor, keep the largest |w| so that exactly round(sparsity * n) weights are pruned.
import { CLASSIFIER_TENSORS, type ClassifierTensorSet, type GroupLassoLayout } from './group_lasso_layout.js';

/**
 * A 0/1 mask over `values` that prunes exactly round(sparsity * n) entries, the smallest |value| first. Ties are
 * broken by position (the lower index is pruned first), so the result is deterministic. Entries already pruned in
 * `current` stay pruned and go first (pruning only grows, as Zhu & Gupta's): when `current` already prunes more
 * than the target, the result is `current` itself.
 */
export function magnitudeMask(values: ArrayLike<number>, sparsity: number, current?: ArrayLike<number>): Uint8Array {
  const n = values.length;
  if (!(sparsity >= 0 && sparsity <= 1)) throw new RangeError(`magnitude pruning: sparsity must be in [0, 1], got ${sparsity}`);
  if (current && current.length !== n) throw new Error(`magnitude pruning: current mask has ${current.length} entries, values ${n}`);
  // Already-pruned entries rank below every magnitude (-1 < 0).
  const rank = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (Number.isNaN(v)) throw new Error(`magnitude pruning: value ${i} is NaN`);
    rank[i] = current && !current[i] ? -1 : Math.abs(v);
  }
  let alreadyPruned = 0;
  if (current) for (let i = 0; i < n; i++) if (!current[i]) alreadyPruned++;
  const target = Math.max(Math.round(sparsity * n), alreadyPruned);
  const mask = new Uint8Array(n).fill(1);
  if (target === 0) return mask;
  // The target-th smallest rank; everything below it is pruned, then the ties at it in index order.
  const cut = Float32Array.from(rank).sort()[target - 1];
  let pruned = 0;
  for (let i = 0; i < n; i++) {
    if (rank[i] < cut) {
      mask[i] = 0;
      pruned++;
    }
  }
  for (let i = 0; i < n && pruned < target; i++) {
    if (rank[i] === cut) {
      mask[i] = 0;
      pruned++;
    }
  }
  return mask;
}

/**
 * magnitudeMask for each tensor the layout magnitude-prunes (its weights are "L" in the preset), at the same
 * sparsity; `current` masks (e.g. the MaskedParameters' kept masks) stay pruned. Tensors the layout leaves whole
 * are absent from the result.
 */
export function magnitudeMasks(values: ClassifierTensorSet<ArrayLike<number>>, layout: GroupLassoLayout, sparsity: number,
  current?: Partial<ClassifierTensorSet<ArrayLike<number>>>): Partial<ClassifierTensorSet<Uint8Array>> {
  const out: Partial<ClassifierTensorSet<Uint8Array>> = {};
  for (const name of CLASSIFIER_TENSORS) if (layout.magnitude[name]) out[name] = magnitudeMask(values[name], sparsity, current?.[name]);
  return out;
}
