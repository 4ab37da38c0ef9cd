// An architecture family: models of one shape whose size is set by one integer width (the planner's knob), with
// an exact closed-form parameter count P(w) = a w^2 + b w + c.
import type { tf } from '../engine/tf.js';
import type { Module } from '../nn/module.js';

/** P(w) = a w^2 + b w + c: a from hidden-to-hidden weights, b from first / last layers, biases and norms, c fixed. */
export interface QuadraticCount {
  readonly a: number;
  readonly b: number;
  readonly c: number;
}

/** A built member: a Module whose apply maps a batch of inputs to class logits [B, classes]. */
export type MemberModel = Module & { apply(x: tf.Tensor): tf.Tensor2D };

export interface ArchitectureFamily {
  /** e.g. "wrn-28 (C=100)". */
  readonly name: string;
  /** What the width counts, e.g. "hidden units", "stem channels". */
  readonly widthUnit: string;
  /** Smallest width the family builds. */
  readonly minWidth: number;
  readonly counts: QuadraticCount;
  /** Trainable parameters of one model of this width (exact). */
  parameterCount(width: number): number;
  build(width: number, seed?: number): MemberModel;
}

export function evaluateQuadratic(q: QuadraticCount, width: number): number {
  return q.a * width * width + q.b * width + q.c;
}

/**
 * The exact quadratic through three counts (spec §1.2: for a new family, count at three widths and solve). Throws
 * if a fourth width disagrees, i.e. if the count is not a quadratic in the width.
 */
export function quadraticFromCounts(count: (width: number) => number, widths: readonly [number, number, number, number] = [1, 2, 3, 5]): QuadraticCount {
  const [w1, w2, w3, check] = widths;
  const [p1, p2, p3] = [count(w1), count(w2), count(w3)];
  // Newton divided differences.
  const d12 = (p2 - p1) / (w2 - w1), d23 = (p3 - p2) / (w3 - w2);
  const a = (d23 - d12) / (w3 - w1);
  const b = d12 - a * (w1 + w2);
  const c = p1 - a * w1 * w1 - b * w1;
  const q = { a: Math.round(a * 1e6) / 1e6, b: Math.round(b * 1e6) / 1e6, c: Math.round(c * 1e6) / 1e6 };
  const expected = count(check);
  if (Math.abs(evaluateQuadratic(q, check) - expected) > 1e-6 * Math.max(1, expected)) {
    throw new Error(`quadraticFromCounts: the count at width ${check} is ${expected}, not ${evaluateQuadratic(q, check)}: not a quadratic in the width`);
  }
  return q;
}

/** Builds the family object around a closed form and a constructor, checking widths. */
export function defineFamily(spec: {
  name: string;
  widthUnit: string;
  minWidth?: number;
  counts: QuadraticCount;
  construct: (width: number, seed: number | undefined) => MemberModel;
}): ArchitectureFamily {
  const minWidth = spec.minWidth ?? 1;
  const check = (width: number): void => {
    if (!Number.isInteger(width) || width < minWidth) {
      throw new Error(`${spec.name}: width must be an integer >= ${minWidth}, got ${width}`);
    }
  };
  return {
    name: spec.name,
    widthUnit: spec.widthUnit,
    minWidth,
    counts: spec.counts,
    parameterCount(width: number): number {
      check(width);
      return evaluateQuadratic(spec.counts, width);
    },
    build(width: number, seed?: number): MemberModel {
      check(width);
      return spec.construct(width, seed);
    },
  };
}

/** Rejects a non-integer or too small hyper-parameter with the family and field named. */
export function requireInteger(family: string, field: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new Error(`${family}: ${field} must be an integer >= ${min}, got ${value}`);
}
