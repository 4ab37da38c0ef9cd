// Helpers shared by the native kernels: zero-copy access to backend storage and fallback to cpu kernels.
import { getKernel, type KernelFunc, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { requireAddon, type NativeAddon } from '../addon.js';

/** The Float32Array behind a float32 tensor (no copy). */
export function f32(backend: MathBackendCPU, t: TensorInfo): Float32Array {
  const values = backend.data.get(t.dataId).values;
  if (!(values instanceof Float32Array)) throw new TypeError(`native kernel: expected float32 storage, got ${t.dtype}`);
  return values;
}

/** The Int32Array behind an int32 tensor (no copy). */
export function i32(backend: MathBackendCPU, t: TensorInfo): Int32Array {
  const values = backend.data.get(t.dataId).values;
  if (!(values instanceof Int32Array)) throw new TypeError(`native kernel: expected int32 storage, got ${t.dtype}`);
  return values;
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** A new float32 output owned by the backend, with its storage for the native call to fill. */
export function newOutput(backend: MathBackendCPU, shape: number[]): { info: TensorInfo; values: Float32Array } {
  const values = new Float32Array(sizeOf(shape));
  return { info: backend.makeTensorInfo(shape, 'float32', values), values };
}

/** Runs the stock cpu kernel (for dtypes/attributes the native path does not cover). */
export function cpuFallback(kernelName: string, inputs: NamedTensorInfoMap, backend: MathBackendCPU, attrs?: NamedAttrMap): TensorInfo | TensorInfo[] {
  const kernel = getKernel(kernelName, 'cpu');
  if (!kernel) throw new Error(`no cpu kernel for ${kernelName}`);
  return (kernel.kernelFunc as KernelFunc)({ inputs, backend, attrs });
}

export function addon(): NativeAddon {
  return requireAddon();
}
