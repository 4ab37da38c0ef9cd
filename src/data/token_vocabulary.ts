// Frequency-ranked token vocabularies (words or characters).

export interface TokenVocabulary {
  /** tokens[i] has id i; most frequent first. */
  tokens: string[];
  ids: Map<string, number>;
}

export function countTokens(tokens: Iterable<string>, counts: Map<string, number> = new Map()): Map<string, number> {
  for (const t of tokens) counts.set(t, (counts.get(t) ?? 0) + 1);
  return counts;
}

/** Tokens by descending count; ties keep first-seen order (as Python's Counter.most_common). */
export function vocabularyFromCounts(counts: Map<string, number>, maxSize = Infinity, keep: (token: string) => boolean = () => true): TokenVocabulary {
  const tokens = [...counts.entries()].filter(([t]) => keep(t)).sort((a, b) => b[1] - a[1]).slice(0, maxSize).map(([t]) => t);
  return vocabularyOf(tokens);
}

export function vocabularyOf(tokens: string[]): TokenVocabulary {
  return { tokens, ids: new Map(tokens.map((t, i) => [t, i])) };
}

/** Ids of `tokens`; an unknown token maps to `unknownId` or, without one, `onUnknown` decides (throw or skip with undefined). */
export function encodeTokens(tokens: readonly string[], vocab: TokenVocabulary, onUnknown: (token: string, index: number) => number | undefined): Int32Array {
  const out = new Int32Array(tokens.length);
  let n = 0;
  for (let i = 0; i < tokens.length; i++) {
    const id = vocab.ids.get(tokens[i]) ?? onUnknown(tokens[i], i);
    if (id !== undefined) out[n++] = id;
  }
  return out.subarray(0, n);
}
