// Mean and spread over repeated runs, and the disjoint member groups of spec §3 (a pool of N nets of one width is
// cut into floor(N / n) ensembles of n).
export interface MeanAndSpread {
  mean: number;
  /** Sample standard deviation (n - 1 denominator); 0 for a single value. */
  std: number;
  count: number;
  min: number;
  max: number;
}

export function meanAndSpread(values: readonly number[]): MeanAndSpread {
  if (values.length === 0) throw new Error('meanAndSpread: no values');
  const n = values.length;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const ss = values.reduce((s, v) => s + (v - mean) ** 2, 0);
  return { mean, std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, count: n, min: Math.min(...values), max: Math.max(...values) };
}

/** Member indices of the disjoint ensembles of size n in a pool of N: [0..n-1], [n..2n-1], ... (floor(N / n) groups). */
export function disjointGroups(poolSize: number, n: number): number[][] {
  if (!Number.isInteger(n) || n < 1) throw new Error(`disjointGroups: ensemble size must be an integer >= 1, got ${n}`);
  if (!Number.isInteger(poolSize) || poolSize < n) throw new Error(`disjointGroups: pool of ${poolSize} cannot hold an ensemble of ${n}`);
  return Array.from({ length: Math.floor(poolSize / n) }, (_, g) => Array.from({ length: n }, (_, i) => g * n + i));
}

/** Mean and spread of every numeric field shared by the records (e.g. accuracy, nll, cnll over groups or seeds). */
export function summarizeRuns<K extends string>(records: readonly Readonly<Record<K, number>>[]): Record<K, MeanAndSpread> {
  if (records.length === 0) throw new Error('summarizeRuns: no records');
  const out = {} as Record<K, MeanAndSpread>;
  for (const key of Object.keys(records[0]) as K[]) out[key] = meanAndSpread(records.map((r) => r[key]));
  return out;
}
