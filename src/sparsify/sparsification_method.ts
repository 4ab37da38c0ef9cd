// How a preset's prunable tensors and groups are sparsified (issue 6, spec §5): the preset says WHICH tensors and
// groups are prunable; the method says HOW. 'sparsevd' is the Bayesian machinery of §2-§3 (the default, unchanged);
// 'l0' gates them with hard-concrete variables (Louizos et al. 2018); 'group-lasso' trains point estimates with a
// group-lasso penalty over the same groups and prunes them on a schedule (threshold on group norms plus magnitude
// pruning of the weights; text classifier only, see src/sparsify/group_lasso_regularizer.ts).

export const SPARSIFICATION_METHODS = ['sparsevd', 'l0', 'group-lasso'] as const;
export type SparsificationMethod = (typeof SPARSIFICATION_METHODS)[number];

export function isSparsificationMethod(name: unknown): name is SparsificationMethod {
  return (SPARSIFICATION_METHODS as readonly unknown[]).includes(name);
}

/** `name` as a method; an unknown one throws, naming `field` (e.g. "method" or "--method"). */
export function resolveSparsificationMethod(name: unknown, field = 'method'): SparsificationMethod {
  if (isSparsificationMethod(name)) return name;
  throw new Error(`${field}: expected one of ${SPARSIFICATION_METHODS.join(', ')}, got ${JSON.stringify(name)}`);
}
