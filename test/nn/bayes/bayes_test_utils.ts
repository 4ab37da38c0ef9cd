// Shared helpers for the Bayesian-layer tests.
import assert from 'node:assert/strict';
import type { tf } from '../../../src/engine/tf.js';

/** Host copy of a tensor's values; disposes the tensor. */
export function values(t: tf.Tensor): number[] {
  const v = Array.from(t.dataSync());
  t.dispose();
  return v;
}

export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= tol, `${what}[${i}]: ${actual[i]}, expected ${expected[i]}`);
  }
}

/** Checks a normal sample's mean and variance against theory, 5 standard errors wide. */
export function assertNormalMoments(sample: number[], mean: number, variance: number, what: string): void {
  const n = sample.length;
  const m = sample.reduce((s, x) => s + x, 0) / n;
  const v = sample.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1);
  assert.ok(Math.abs(m - mean) < 5 * Math.sqrt(variance / n), `${what}: mean ${m}, expected ${mean}`);
  // For a normal sample, Var(sample variance) = 2 sigma^4 / (n - 1).
  assert.ok(Math.abs(v - variance) < 5 * variance * Math.sqrt(2 / (n - 1)), `${what}: variance ${v}, expected ${variance}`);
}

/** Clipped log alpha on the host, straight from the spec's definition. */
export function hostLogAlpha(theta: number, logSigma: number): number {
  return Math.min(8, Math.max(-8, 2 * logSigma - Math.log(theta * theta)));
}
