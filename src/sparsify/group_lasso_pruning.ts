// Group pruning for the group-lasso method (spec rnn-sparsification §5): every group whose norm falls below a
// threshold is removed, and the weights it leaves dead are removed with it (the §3.3 propagation, so that the masks
// the model trains with already say what compression() will count).
import {
  GROUP_KINDS, groupCount, type ClassifierTensorSet, type GroupKind, type GroupLassoLayout,
} from './group_lasso_layout.js';
import type { PerGroupKind } from './group_lasso.js';

/** One threshold for every kind, or one per kind (a kind left out prunes nothing). */
export type GroupThreshold = number | PerGroupKind<number>;

export interface GroupPruning {
  /**
   * Kept groups (1 kept, 0 pruned) per kind used by the layout, by the norm test alone; keyed as structure.ts's
   * LstmGroupMasks: vocabulary [V], inputs [D], hidden [H], gates [G*H].
   */
  kept: PerGroupKind<Uint8Array>;
  /** Per-tensor 0/1 masks (row-major) that zero the pruned groups and the weights they leave dead. */
  masks: ClassifierTensorSet<Uint8Array>;
}

/**
 * Prunes every group with norm < threshold (norms from groupNorms) and builds the weight masks:
 * - word v: row v of E;
 * - input d: row d of W_x and column d of E (dead: nothing reads it);
 * - hidden l: row l of W_h and of W_out, and the neuron's own gate columns k*H + l of W_x and W_h (dead: h_l is
 *   read by nothing, §3.3 propagation);
 * - gate (k, j): column k*H + j of W_x and W_h (the gate is then the constant act(b)).
 */
export function groupPruning(norms: PerGroupKind<ArrayLike<number>>, threshold: GroupThreshold, layout: GroupLassoLayout): GroupPruning {
  const { shape } = layout;
  const kept: PerGroupKind<Uint8Array> = {};
  for (const kind of GROUP_KINDS) {
    if (!layout.groups[kind]) continue;
    const n = norms[kind];
    const count = groupCount(shape, kind);
    if (!n || n.length !== count) throw new Error(`group pruning: norms.${kind} has ${n ? n.length : 'no'} entries, expected ${count}`);
    const t = thresholdOf(threshold, kind);
    const k = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      if (Number.isNaN(n[i])) throw new Error(`group pruning: norms.${kind}[${i}] is NaN`);
      k[i] = n[i] < t ? 0 : 1;
    }
    kept[kind] = k;
  }
  return { kept, masks: groupMasks(layout, kept) };
}

/** The per-tensor weight masks of given kept groups (see groupPruning). Kinds absent from `kept` keep everything. */
export function groupMasks(layout: GroupLassoLayout, kept: PerGroupKind<ArrayLike<number>>): ClassifierTensorSet<Uint8Array> {
  const { vocabSize: V, inputSize: D, hiddenSize: H, gates: G } = layout.shape;
  const GH = G * H, C = layout.shape.outputSize;
  const masks: ClassifierTensorSet<Uint8Array> = {
    embedding: new Uint8Array(V * D).fill(1),
    inputWeights: new Uint8Array(D * GH).fill(1),
    hiddenWeights: new Uint8Array(H * GH).fill(1),
    outputWeights: new Uint8Array(H * C).fill(1),
  };
  const zeroRow = (m: Uint8Array, cols: number, r: number): void => void m.fill(0, r * cols, (r + 1) * cols);
  const zeroCol = (m: Uint8Array, rows: number, cols: number, c: number): void => {
    for (let r = 0; r < rows; r++) m[r * cols + c] = 0;
  };
  const pruned = (kind: GroupKind, count: number, each: (i: number) => void): void => {
    const k = kept[kind];
    if (!k) return;
    if (k.length !== count) throw new Error(`group masks: kept.${kind} has ${k.length} entries, expected ${count}`);
    for (let i = 0; i < count; i++) if (!k[i]) each(i);
  };
  pruned('vocabulary', V, (v) => zeroRow(masks.embedding, D, v));
  pruned('inputs', D, (d) => {
    zeroRow(masks.inputWeights, GH, d);
    zeroCol(masks.embedding, V, D, d);
  });
  const zeroGateColumn = (col: number): void => {
    zeroCol(masks.inputWeights, D, GH, col);
    zeroCol(masks.hiddenWeights, H, GH, col);
  };
  pruned('hidden', H, (l) => {
    zeroRow(masks.hiddenWeights, GH, l);
    zeroRow(masks.outputWeights, C, l);
    for (let k = 0; k < G; k++) zeroGateColumn(k * H + l);
  });
  pruned('gates', GH, zeroGateColumn);
  return masks;
}

function thresholdOf(threshold: GroupThreshold, kind: GroupKind): number {
  const t = typeof threshold === 'number' ? threshold : threshold[kind];
  if (t === undefined) return -Infinity; // no threshold for this kind: prune none
  if (!Number.isFinite(t) || t < 0) throw new RangeError(`group pruning: threshold for ${kind} must be finite and >= 0, got ${t}`);
  return t;
}
