// The group-lasso penalty of spec rnn-sparsification §5 (pruning branch), lambda * sum_g sqrt(|g|) * ||W_g||_2 over
// the groups of a layout (group_lasso_layout.ts), as a differentiable tf scalar; the group norms on the host; and
// the proximal (group soft-threshold) step. Pass the weights a forward pass uses (theta * mask for a
// MaskedParameter), so pruned weights neither count nor get a gradient.
import { tf } from '../engine/tf.js';
import {
  checkTensorShapes, GROUP_KINDS, groupSize, type ClassifierTensorSet, type GroupKind, type GroupLassoLayout,
} from './group_lasso_layout.js';

/** Inside the square root of every group norm, so the gradient is finite (zero) at W_g = 0. */
export const GROUP_NORM_EPSILON = 1e-10;

export type ClassifierWeights = ClassifierTensorSet<tf.Tensor2D>;

/** Per-kind values, present only for the kinds the layout uses. */
export type PerGroupKind<T> = Partial<Record<GroupKind, T>>;

/**
 * The sum of squares of each group, per kind used by the layout: vocabulary [V], inputs [D], hidden [H],
 * gates [G*H]. New tensors; call inside a tidy or dispose them.
 */
export function groupSquaredSums(weights: ClassifierWeights, layout: GroupLassoLayout): PerGroupKind<tf.Tensor1D> {
  checkTensorShapes(layout, weights, 'group-lasso weights');
  const out: PerGroupKind<tf.Tensor1D> = {};
  const rowSums = (w: tf.Tensor2D): tf.Tensor1D => tf.sum(tf.square(w), 1) as tf.Tensor1D;
  const colSums = (w: tf.Tensor2D): tf.Tensor1D => tf.sum(tf.square(w), 0) as tf.Tensor1D;
  if (layout.groups.vocabulary) out.vocabulary = rowSums(weights.embedding);
  if (layout.groups.inputs) out.inputs = rowSums(weights.inputWeights);
  if (layout.groups.hidden) out.hidden = tf.add(rowSums(weights.hiddenWeights), rowSums(weights.outputWeights)) as tf.Tensor1D;
  if (layout.groups.gates) out.gates = tf.add(colSums(weights.inputWeights), colSums(weights.hiddenWeights)) as tf.Tensor1D;
  return out;
}

/**
 * lambda * sum over the layout's groups of sqrt(group size) * sqrt(||W_g||^2 + epsilon): a scalar, differentiable
 * in the weights. 0 when the layout has no groups (the 'sparsevd' preset: magnitude pruning only). The epsilon adds
 * lambda * sqrt(epsilon * size) per group to the value, a constant that changes no gradient.
 */
export function groupLassoPenalty(weights: ClassifierWeights, layout: GroupLassoLayout, lambda: number,
  epsilon = GROUP_NORM_EPSILON): tf.Scalar {
  if (!(lambda >= 0) || !Number.isFinite(lambda)) throw new RangeError(`group-lasso penalty: lambda must be finite and >= 0, got ${lambda}`);
  if (!(epsilon > 0)) throw new RangeError(`group-lasso penalty: epsilon must be > 0, got ${epsilon}`);
  return tf.tidy(() => {
    const sums = groupSquaredSums(weights, layout);
    const parts: tf.Scalar[] = [];
    for (const kind of GROUP_KINDS) {
      const s = sums[kind];
      if (!s) continue;
      parts.push(tf.mul(tf.sum(tf.sqrt(tf.add(s, epsilon))), Math.sqrt(groupSize(layout.shape, kind))));
    }
    if (parts.length === 0) return tf.scalar(0);
    return tf.mul(tf.addN(parts), lambda) as tf.Scalar;
  });
}

/** ||W_g||_2 of every group, per kind used by the layout (no epsilon), on the host. */
export function groupNorms(weights: ClassifierWeights, layout: GroupLassoLayout): PerGroupKind<Float32Array> {
  const sums = tf.tidy(() => groupSquaredSums(weights, layout));
  const out: PerGroupKind<Float32Array> = {};
  for (const kind of GROUP_KINDS) {
    const s = sums[kind];
    if (!s) continue;
    out[kind] = Float32Array.from(s.dataSync(), Math.sqrt);
    s.dispose();
  }
  return out;
}

/**
 * One proximal step of the group lasso after a gradient step of size lr: every group is scaled by
 * max(0, 1 - threshold * sqrt(|g|) / ||W_g||) with threshold = lr * lambda, which zeroes the groups whose norm is
 * below threshold * sqrt(|g|) exactly. The kinds are applied one after the other (vocabulary, inputs, hidden,
 * gates), each on the result of the previous: groups of different kinds overlap (a W_x element is in an input row
 * and a gate column), and this sequential step is the usual approximation of the overlapping prox, which has no
 * closed form. Returns new tensors (the caller assigns them to the parameters and disposes them).
 */
export function proximalGroupStep(weights: ClassifierWeights, layout: GroupLassoLayout, threshold: number): ClassifierWeights {
  if (!(threshold >= 0) || !Number.isFinite(threshold)) throw new RangeError(`group-lasso prox: threshold must be finite and >= 0, got ${threshold}`);
  checkTensorShapes(layout, weights, 'group-lasso prox');
  const [embedding, inputWeights, hiddenWeights, outputWeights] = tf.tidy(() => {
    let w: ClassifierWeights = { ...weights };
    for (const kind of GROUP_KINDS) {
      if (!layout.groups[kind]) continue;
      const sums = groupSquaredSums(w, layout)[kind] as tf.Tensor1D;
      const norm = tf.sqrt(sums);
      const cut = threshold * Math.sqrt(groupSize(layout.shape, kind));
      // norm 0 gives 1 - cut/0 = -inf (or NaN when cut is 0 too): both are shrink factors of a zero group
      const factor = tf.where(tf.greater(norm, cut), tf.sub(1, tf.div(cut, norm)), tf.zerosLike(norm)) as tf.Tensor1D;
      w = scaleGroups(w, kind, factor);
    }
    // clones: a kind-free layout would otherwise hand back the caller's own tensors
    return [w.embedding, w.inputWeights, w.hiddenWeights, w.outputWeights].map((t) => tf.clone(t)) as tf.Tensor2D[];
  });
  return { embedding, inputWeights, hiddenWeights, outputWeights };
}

/** Multiplies every weight of group i of `kind` by factor[i]. */
function scaleGroups(w: ClassifierWeights, kind: GroupKind, factor: tf.Tensor1D): ClassifierWeights {
  const rows = (t: tf.Tensor2D): tf.Tensor2D => tf.mul(t, tf.expandDims(factor, 1));
  const cols = (t: tf.Tensor2D): tf.Tensor2D => tf.mul(t, tf.expandDims(factor, 0));
  switch (kind) {
    case 'vocabulary': return { ...w, embedding: rows(w.embedding) };
    case 'inputs': return { ...w, inputWeights: rows(w.inputWeights) };
    case 'hidden': return { ...w, hiddenWeights: rows(w.hiddenWeights), outputWeights: rows(w.outputWeights) };
    case 'gates': return { ...w, inputWeights: cols(w.inputWeights), hiddenWeights: cols(w.hiddenWeights) };
  }
}
