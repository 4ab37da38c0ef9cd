// The hard-concrete distribution of L0 regularisation (Louizos et al. 2018; spec §5): a stretched binary concrete
// clipped to [0, 1], so a gate is exactly 0 or 1 with positive probability and differentiable in log alpha elsewhere.
import { tf } from '../../engine/tf.js';
import { randomUniform } from '../../engine/ops/random.js';
import { seedStream } from '../init.js';
import type { NoiseSource } from './noise.js';

/** Spec §5 (the official code's constants): temperature beta, stretch interval (gamma, zeta), uniform margin eps. */
export const HARD_CONCRETE_BETA = 2 / 3;
export const HARD_CONCRETE_GAMMA = -0.1;
export const HARD_CONCRETE_ZETA = 1.1;
export const HARD_CONCRETE_EPS = 1e-6;

/** log alpha is clamped to [ln 0.01, ln 100] after every optimizer step (spec §5). */
export const L0_LOG_ALPHA_MIN = Math.log(0.01);
export const L0_LOG_ALPHA_MAX = Math.log(100);

/** Init log alpha ~ N(log(1 - p0) - log p0, 0.01^2) with p0 = 0.5, i.e. mean 0 (spec §5). */
export const L0_LOG_ALPHA_INIT_STD = 0.01;

export function initialLogAlpha(shape: number[], seed: number): tf.Tensor {
  return tf.randomNormal(shape, 0, L0_LOG_ALPHA_INIT_STD, 'float32', seed);
}

/** u ~ U(eps, 1 - eps), the noise of a hard-concrete sample; seeded and reseedable like normalNoise. */
export function hardConcreteNoise(seed?: number): NoiseSource {
  let next = seed === undefined ? undefined : seedStream(seed);
  const draw = (shape: number[]): tf.Tensor => randomUniform(shape, HARD_CONCRETE_EPS, 1 - HARD_CONCRETE_EPS, next?.());
  return Object.assign(draw, {
    reseed(s: number | undefined): void {
      next = s === undefined ? undefined : seedStream(s);
    },
  });
}

/** z = clip(sigmoid((ln u - ln(1 - u) + log alpha) / beta) (zeta - gamma) + gamma, 0, 1); logAlpha broadcasts over u. */
export function hardConcreteSample(logAlpha: tf.Tensor, u: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const logit = tf.sub(tf.log(u), tf.log1p(tf.neg(u)));
    const s = tf.sigmoid(tf.div(tf.add(logit, logAlpha), HARD_CONCRETE_BETA));
    return stretchAndClip(s);
  });
}

/** The deterministic test-time gate clip(sigmoid(log alpha) (zeta - gamma) + gamma, 0, 1); 0 means pruned. */
export function hardConcreteTestGate(logAlpha: tf.Tensor): tf.Tensor {
  return tf.tidy(() => stretchAndClip(tf.sigmoid(logAlpha)));
}

/** P(z != 0) = sigmoid(log alpha - beta ln(-gamma / zeta)): the expected L0 norm of each gate. */
export function hardConcreteProbNonzero(logAlpha: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sigmoid(tf.sub(logAlpha, HARD_CONCRETE_BETA * Math.log(-HARD_CONCRETE_GAMMA / HARD_CONCRETE_ZETA))));
}

/** Clamps a log alpha parameter in place to [ln 0.01, ln 100] (after an optimizer step). */
export function clampLogAlpha(logAlpha: tf.Variable): void {
  const clamped = tf.clipByValue(logAlpha, L0_LOG_ALPHA_MIN, L0_LOG_ALPHA_MAX);
  logAlpha.assign(clamped);
  clamped.dispose();
}

function stretchAndClip(s: tf.Tensor): tf.Tensor {
  return tf.clipByValue(tf.add(tf.mul(s, HARD_CONCRETE_ZETA - HARD_CONCRETE_GAMMA), HARD_CONCRETE_GAMMA), 0, 1);
}
