// The expected-L0 penalty of Louizos et al. 2018 (spec §5): sum over gates of P(z != 0) times the cost of what the gate
// keeps, sum over its weights of (lambda + 0.5 * priorPrecision * w^2). Divided by N in the objective, as the KL.
import { tf } from '../../engine/tf.js';
import { hardConcreteProbNonzero } from './hard_concrete.js';

export interface L0Options {
  /** Cost of one kept weight (in nats, before the division by N). */
  lambda: number;
  /** Precision of the Gaussian weight prior: the 0.5 * priorPrecision * w^2 term (weight decay on kept weights). */
  priorPrecision: number;
}

/**
 * Neither value is in the spec. lambda = 0.1 is what Louizos et al. use for their MLP / LeNet runs with the same
 * penalty / N scaling; priorPrecision = 1 (a standard-normal prior) only stops drift, since the weights here are well
 * below 1. Both are untuned: set them per task (`--l0-lambda`).
 */
export const DEFAULT_L0_OPTIONS: L0Options = { lambda: 0.1, priorPrecision: 1 };

/** Validated options: the defaults where a field is absent; a non-finite or negative value throws. */
export function resolveL0Options(options: Partial<L0Options> = {}): L0Options {
  const out = { ...DEFAULT_L0_OPTIONS, ...options };
  for (const [key, v] of Object.entries(out)) {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new RangeError(`L0 options: ${key} must be a non-negative number, got ${v}`);
  }
  return out;
}

/** Weight-level gates, one per weight: sum_i P(z_i != 0) (lambda + 0.5 priorPrecision theta_i^2). */
export function l0WeightPenalty(logAlpha: tf.Tensor, theta: tf.Tensor, options: L0Options): tf.Scalar {
  return tf.tidy(() => {
    const cost = tf.add(options.lambda, tf.mul(0.5 * options.priorPrecision, tf.square(theta)));
    return tf.sum(tf.mul(hardConcreteProbNonzero(logAlpha), cost)) as tf.Scalar;
  });
}

/**
 * Group gates own no weights (they multiply a neuron, gate or word whose weights have their own gates, or are plain),
 * so their w^2 term is left to those weights and each group costs lambda per weight it scales:
 * lambda * weightsPerGroup * sum_g P(z_g != 0). Removing a group is then worth what removing its weights one by one is.
 */
export function l0GroupPenalty(logAlpha: tf.Tensor, weightsPerGroup: number, options: L0Options): tf.Scalar {
  return tf.tidy(() => tf.mul(options.lambda * weightsPerGroup, tf.sum(hardConcreteProbNonzero(logAlpha))) as tf.Scalar);
}
