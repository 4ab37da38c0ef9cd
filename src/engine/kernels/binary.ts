// Add, Sub, Multiply, RealDiv and Maximum on float32, for every broadcast that views the output as [M, N] with
// each operand full, a scalar, a row [N] or a column [M] (same shape, scalar, bias rows, per-row scales...).
// Other broadcasts and dtypes (int32 must stay int32) run the cpu kernels.
import { tf } from '../tf.js';
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { cpuFallback, f32, newOutput, sizeOf } from './util.js';
import { requireAddon } from '../addon.js';

// Must match BinaryOp and Layout in native/src/elementwise.cc.
const BINARY_OPS: Record<string, number> = { [tf.Add]: 0, [tf.Sub]: 1, [tf.Multiply]: 2, [tf.RealDiv]: 3, [tf.Maximum]: 4 };
const OPERAND_LAYOUT = { full: 0, scalar: 1, row: 2, column: 3 } as const;

export interface BroadcastPlan {
  M: number;
  N: number;
  aLayout: number;
  bLayout: number;
}

// How an operand covers a run of output axes: 'same' (all its dims equal the output's), 'broadcast' (all 1 where
// the output is not), or null (a mix); axes of output size 1 fit either.
type Coverage = 'same' | 'broadcast' | 'either' | null;

function coverage(operand: number[], out: number[], from: number, to: number): Coverage {
  let kind: Coverage = 'either';
  for (let d = from; d < to; d++) {
    if (out[d] === 1) continue;
    const here = operand[d] === out[d] ? 'same' : 'broadcast';
    if (kind !== 'either' && kind !== here) return null;
    kind = here;
  }
  return kind;
}

function layoutOf(outer: Coverage, inner: Coverage): number {
  const outerSame = outer !== 'broadcast', innerSame = inner !== 'broadcast';
  // a side of size 1 ('either') adds nothing: the operand is then all there (full) or one value (scalar)
  if (outer === 'either' || inner === 'either') return outerSame && innerSame ? OPERAND_LAYOUT.full : OPERAND_LAYOUT.scalar;
  if (outerSame) return innerSame ? OPERAND_LAYOUT.full : OPERAND_LAYOUT.column;
  return innerSame ? OPERAND_LAYOUT.row : OPERAND_LAYOUT.scalar;
}

/**
 * Splits the output axes into [outer | inner] so that each operand is uniform on both sides; the first split
 * that works gives the longest rows. Null when no split does (e.g. [A, 1, C] + [A, B, 1]).
 */
export function planBroadcast(aShape: readonly number[], bShape: readonly number[], outShape: number[]): BroadcastPlan | null {
  const r = outShape.length;
  const pad = (s: readonly number[]) => [...new Array<number>(r - s.length).fill(1), ...s];
  const a = pad(aShape), b = pad(bShape);
  for (let k = 0; k <= r; k++) {
    const ao = coverage(a, outShape, 0, k), ai = coverage(a, outShape, k, r);
    const bo = coverage(b, outShape, 0, k), bi = coverage(b, outShape, k, r);
    if (!ao || !ai || !bo || !bi) continue;
    return { M: sizeOf(outShape.slice(0, k)), N: sizeOf(outShape.slice(k)), aLayout: layoutOf(ao, ai), bLayout: layoutOf(bo, bi) };
  }
  return null;
}

function nativeBinary(kernelName: string, be: MathBackendCPU, a: TensorInfo, b: TensorInfo): TensorInfo | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const outShape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const plan = planBroadcast(a.shape, b.shape, outShape);
  if (!plan) return null;
  const out = newOutput(be, outShape);
  if (out.values.length > 0) {
    requireAddon().binary(BINARY_OPS[kernelName], f32(be, a), plan.aLayout, f32(be, b), plan.bLayout, out.values, plan.M, plan.N);
  }
  return out.info;
}

function binaryConfig(kernelName: string): KernelConfig {
  return {
    kernelName,
    backendName: 'native',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const be = backend as MathBackendCPU;
      const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
      return nativeBinary(kernelName, be, a, b) ?? cpuFallback(kernelName, inputs, be, attrs as NamedAttrMap);
    },
  };
}

export const binaryKernelConfigs: KernelConfig[] = Object.keys(BINARY_OPS).map(binaryConfig);
