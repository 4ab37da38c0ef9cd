// GatherV2 (embedding lookup) and UnsortedSegmentSum (its gradient) on the native backend.
import { tf } from '../tf.js';
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { cpuFallback, f32, i32, newOutput, sizeOf } from './util.js';
import { requireAddon } from '../addon.js';
import { isWordDType, newWordOutput, wordsOf } from './storage.js';

/** Any axis with batchDims 0, float32 or int32 params and int32 indices; out-of-range indices throw as on cpu. */
function nativeGather(be: MathBackendCPU, x: TensorInfo, indices: TensorInfo, axis: number, batchDims: number): TensorInfo | null {
  if (batchDims !== 0 || !isWordDType(x.dtype) || indices.dtype !== 'int32' || x.shape.length === 0) return null;
  const ax = tf.util.parseAxisParam(axis, x.shape)[0];
  const outShape = [...x.shape.slice(0, ax), ...indices.shape, ...x.shape.slice(ax + 1)];
  const out = newWordOutput(be, outShape, x.dtype);
  requireAddon().gather(wordsOf(be, x), i32(be, indices), out.words, sizeOf(x.shape.slice(0, ax)), x.shape[ax], sizeOf(x.shape.slice(ax + 1)));
  return out.info;
}

export const gatherV2Config: KernelConfig = {
  kernelName: tf.GatherV2,
  backendName: 'native',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, indices } = inputs as { x: TensorInfo; indices: TensorInfo };
    const { axis, batchDims } = attrs as unknown as { axis: number; batchDims?: number };
    const be = backend as MathBackendCPU;
    return nativeGather(be, x, indices, axis, batchDims ?? 0) ?? cpuFallback(tf.GatherV2, inputs, be, attrs as NamedAttrMap);
  },
};

/** float32 data with one int32 segment id per row of its first axis; ids outside [0, numSegments) are dropped. */
function nativeSegmentSum(be: MathBackendCPU, x: TensorInfo, segmentIds: TensorInfo, numSegments: number): TensorInfo | null {
  if (x.dtype !== 'float32' || segmentIds.dtype !== 'int32' || x.shape.length === 0) return null;
  if (segmentIds.shape.length !== 1 || segmentIds.shape[0] !== x.shape[0]) return null;
  const out = newOutput(be, [numSegments, ...x.shape.slice(1)]);
  requireAddon().unsortedSegmentSum(f32(be, x), i32(be, segmentIds), out.values, numSegments, sizeOf(x.shape.slice(1)));
  return out.info;
}

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: 'native',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, segmentIds } = inputs as { x: TensorInfo; segmentIds: TensorInfo };
    const { numSegments } = attrs as unknown as { numSegments: number };
    const be = backend as MathBackendCPU;
    return nativeSegmentSum(be, x, segmentIds, numSegments) ?? cpuFallback(tf.UnsortedSegmentSum, inputs, be, attrs as NamedAttrMap);
  },
};

export const gatherKernelConfigs: KernelConfig[] = [gatherV2Config, unsortedSegmentSumConfig];
