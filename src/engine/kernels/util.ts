// Helpers shared by the native kernels: zero-copy access to backend storage and fallback to cpu kernels.
import { getKernel, type KernelFunc, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

// The cpu backend's Cast to a wider dtype keeps the original array (a float32 tensor may be stored as an
// Int32Array or Uint8Array, an int32 one as a Uint8Array), so values are converted when the storage type
// differs from the dtype, and shared (zero-copy) otherwise.
function storage(backend: MathBackendCPU, t: TensorInfo): ArrayLike<number> {
  const values = backend.data.get(t.dataId).values;
  if (!ArrayBuffer.isView(values)) throw new TypeError(`native kernel: ${t.dtype} tensor without numeric storage`);
  return values as unknown as ArrayLike<number>;
}

/** The values of a float32 tensor as a Float32Array (no copy unless stored in another type). */
export function f32(backend: MathBackendCPU, t: TensorInfo): Float32Array {
  const values = storage(backend, t);
  return values instanceof Float32Array ? values : Float32Array.from(values);
}

/** The values of an int32 tensor as an Int32Array (no copy unless stored in another type). */
export function i32(backend: MathBackendCPU, t: TensorInfo): Int32Array {
  const values = storage(backend, t);
  return values instanceof Int32Array ? values : Int32Array.from(values);
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/**
 * Storage for a float32 output of n elements: recycled by the native backend (contents arbitrary, so the
 * kernel must write every element), fresh zeros on a plain cpu backend.
 */
export function outputArray(backend: MathBackendCPU, n: number): Float32Array {
  const recycler = backend as MathBackendCPU & { newFloat32?: (n: number) => Float32Array };
  return recycler.newFloat32 ? recycler.newFloat32(n) : new Float32Array(n);
}

/** A new float32 output owned by the backend, with its storage for the native call to fill (every element). */
export function newOutput(backend: MathBackendCPU, shape: number[]): { info: TensorInfo; values: Float32Array } {
  const values = outputArray(backend, sizeOf(shape));
  return { info: backend.makeTensorInfo(shape, 'float32', values), values };
}

/** Runs the stock cpu kernel (for dtypes/attributes the native path does not cover). */
export function cpuFallback(kernelName: string, inputs: NamedTensorInfoMap, backend: MathBackendCPU, attrs?: NamedAttrMap): TensorInfo | TensorInfo[] {
  const kernel = getKernel(kernelName, 'cpu');
  if (!kernel) throw new Error(`no cpu kernel for ${kernelName}`);
  return (kernel.kernelFunc as KernelFunc)({ inputs, backend, attrs });
}
