// Transpose on the native backend (float32 and int32, rank <= 6); also used by the reductions to bring
// non-adjacent reduced axes together. A permutation that only moves size-1 axes returns a view without copying
// (tfjs's gather gradient transposes the whole embedding gradient by the identity every step).
import { tf } from '../tf.js';
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { cpuFallback } from './util.js';
import { requireAddon } from '../addon.js';
import { isWordDType, newWordOutput, wordsOf } from './storage.js';

const MAX_NATIVE_RANK = 6;

/** Writes x (4-byte words, shape `shape`) permuted by `perm` into out. */
export function transposeWords(x: Float32Array, shape: readonly number[], perm: readonly number[], out: Float32Array): void {
  requireAddon().transpose(x, out, Int32Array.from(shape), Int32Array.from(perm));
}

/** True when perm moves only size-1 axes, i.e. the output has the input's memory layout. */
function keepsLayout(shape: readonly number[], perm: readonly number[]): boolean {
  let previous = -1;
  for (const axis of perm) {
    if (shape[axis] === 1) continue;
    if (axis < previous) return false;
    previous = axis;
  }
  return true;
}

export const transposeConfig: KernelConfig = {
  kernelName: tf.Transpose,
  backendName: 'native',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x } = inputs as { x: TensorInfo };
    const { perm } = attrs as unknown as { perm: number[] };
    const be = backend as MathBackendCPU;
    const shape = perm.map((axis) => x.shape[axis]);
    if (keepsLayout(x.shape, perm)) {
      // a relabelled view, as the cpu Reshape kernel returns: the output shares the input's storage
      be.incRef(x.dataId);
      return { dataId: x.dataId, shape, dtype: x.dtype };
    }
    if (!isWordDType(x.dtype) || x.shape.length > MAX_NATIVE_RANK) return cpuFallback(tf.Transpose, inputs, be, attrs as NamedAttrMap);
    const out = newWordOutput(be, shape, x.dtype);
    transposeWords(wordsOf(be, x), x.shape, perm, out.words);
    return out.info as TensorInfo;
  },
};
