// Word-level views of backend storage for kernels that only move 4-byte values.
import type { DataType, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { f32, i32, outputArray, sizeOf } from './util.js';

// Kernels that only move 4-byte words (transpose, gather) run int32 tensors through the float32 native code, as a
// Float32Array over the same bytes (copies preserve every bit pattern).
export type WordDType = 'float32' | 'int32';

export function isWordDType(dtype: DataType): dtype is WordDType {
  return dtype === 'float32' || dtype === 'int32';
}

/** A Float32Array over the words of a float32 or int32 tensor. */
export function wordsOf(backend: MathBackendCPU, t: TensorInfo): Float32Array {
  if (t.dtype === 'float32') return f32(backend, t);
  if (t.dtype !== 'int32') throw new TypeError(`native kernel: expected float32 or int32, got ${t.dtype}`);
  const ints = i32(backend, t);
  return new Float32Array(ints.buffer, ints.byteOffset, ints.length);
}

/** A new backend-owned output of the given dtype, with a Float32Array over its words for a native call to fill. */
export function newWordOutput(backend: MathBackendCPU, shape: number[], dtype: WordDType): { info: TensorInfo; words: Float32Array } {
  const n = sizeOf(shape);
  if (dtype === 'float32') {
    const words = outputArray(backend, n);
    return { info: backend.makeTensorInfo(shape, dtype, words), words };
  }
  const values = new Int32Array(n);
  return { info: backend.makeTensorInfo(shape, dtype, values), words: new Float32Array(values.buffer) };
}
