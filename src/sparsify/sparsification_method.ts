// How a preset's prunable tensors and groups are sparsified (issue 6, spec §5): the preset says WHICH tensors and
// groups are prunable; the method says HOW. 'sparsevd' is the Bayesian machinery of §2-§3 (the default, unchanged);
// 'l0' gates them with hard-concrete variables (Louizos et al. 2018). 'group-lasso' is planned, not available yet.

export const SPARSIFICATION_METHODS = ['sparsevd', 'l0'] as const;
export type SparsificationMethod = (typeof SPARSIFICATION_METHODS)[number];

/** Methods that are announced but not built yet: asking for one gives a clear error rather than "unknown". */
const PLANNED_METHODS = ['group-lasso'] as const;

export function isSparsificationMethod(name: unknown): name is SparsificationMethod {
  return (SPARSIFICATION_METHODS as readonly unknown[]).includes(name);
}

/** `name` as a method; a planned or unknown one throws, naming `field` (e.g. "method" or "--method"). */
export function resolveSparsificationMethod(name: unknown, field = 'method'): SparsificationMethod {
  if (isSparsificationMethod(name)) return name;
  if ((PLANNED_METHODS as readonly unknown[]).includes(name)) {
    throw new Error(`${field}: "${String(name)}" is not available yet (planned); available methods: ${SPARSIFICATION_METHODS.join(', ')}`);
  }
  throw new Error(`${field}: expected one of ${SPARSIFICATION_METHODS.join(', ')}, got ${JSON.stringify(name)}`);
}
