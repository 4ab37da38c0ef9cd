// Sum, Mean and Max of float32 tensors over any axes. Reduced axes that are adjacent (ignoring size-1 axes) are
// reduced in place as the middle axis of [outer, reduce, inner]; other axis sets are first transposed natively to
// the innermost positions, as the cpu kernels do. int32 and empty reductions run the cpu kernels.
import { tf } from '../tf.js';
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { transposeWords } from './transpose.js';
import { cpuFallback, f32, newOutput, sizeOf } from './util.js';
import { requireAddon } from '../addon.js';

// Must match ReduceOp in native/src/reduce.cc.
const REDUCE_OPS: Record<string, number> = { [tf.Sum]: 0, [tf.Mean]: 1, [tf.Max]: 2 };

export interface ReductionLayout {
  outer: number;
  reduceSize: number;
  inner: number;
}

/** [outer, reduce, inner] when the reduced axes form one block once size-1 axes are dropped; else null. */
export function reductionLayout(shape: readonly number[], axes: readonly number[]): ReductionLayout | null {
  const reduced = new Set(axes);
  const sizes = { outer: 1, reduceSize: 1, inner: 1 };
  let part: keyof typeof sizes = 'outer';
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    if (reduced.has(d)) {
      if (part === 'inner') return null;  // a second block of reduced axes
      part = 'reduceSize';
    } else if (part === 'reduceSize') {
      part = 'inner';
    }
    sizes[part] *= shape[d];
  }
  return sizes;
}

function nativeReduce(kernelName: string, be: MathBackendCPU, x: TensorInfo, axis: number | number[] | null | undefined, keepDims: boolean): TensorInfo | null {
  if (x.dtype !== 'float32') return null;
  const axes = tf.util.parseAxisParam(axis ?? x.shape.map((_, i) => i), x.shape);  // no axis: all of them
  const [outShape, reduceShape] = tf.backend_util.computeOutAndReduceShapes(x.shape, axes);
  const reduceSize = sizeOf(reduceShape);
  if (reduceSize === 0) return null;  // empty reductions: leave tfjs's conventions to the cpu kernel
  const out = newOutput(be, keepDims ? tf.backend_util.expandShapeToKeepDim(outShape, axes) : outShape);
  if (out.values.length === 0) return out.info;
  const op = REDUCE_OPS[kernelName];
  const layout = reductionLayout(x.shape, axes);
  if (layout) {
    requireAddon().reduce(op, f32(be, x), out.values, layout.outer, layout.reduceSize, layout.inner);
  } else {
    // not one block, so not already innermost: getAxesPermutation returns a permutation
    const perm = tf.backend_util.getAxesPermutation(axes, x.shape.length)!;
    const permuted = new Float32Array(sizeOf(x.shape));
    transposeWords(f32(be, x), x.shape, perm, permuted);
    requireAddon().reduce(op, permuted, out.values, out.values.length, reduceSize, 1);
  }
  return out.info;
}

function reduceConfig(kernelName: string): KernelConfig {
  return {
    kernelName,
    backendName: 'native',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const be = backend as MathBackendCPU;
      // Max names its axes reductionIndices; Sum and Mean call them axis
      const { axis, reductionIndices, keepDims } = attrs as unknown as { axis?: number | number[] | null; reductionIndices?: number | number[] | null; keepDims: boolean };
      return nativeReduce(kernelName, be, (inputs as { x: TensorInfo }).x, kernelName === tf.Max ? reductionIndices : axis, keepDims)
        ?? cpuFallback(kernelName, inputs, be, attrs as NamedAttrMap);
    },
  };
}

export const reduceKernelConfigs: KernelConfig[] = Object.keys(REDUCE_OPS).map(reduceConfig);
