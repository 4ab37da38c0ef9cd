// Direct access to native-backend storage for the fused optimizer updates, which write variables in place.
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { tf } from '../tf.js';
import { isNativeActive } from '../backend.js';
import { f32 } from '../kernels/util.js';

/** The native backend when it is the active one (fused updates apply), else null (plain tf ops). */
export function activeNativeBackend(): MathBackendCPU | null {
  return isNativeActive() ? (tf.backend() as MathBackendCPU) : null;
}

/** Whether every tensor is float32 and already stored on this backend (not still on the one it was made on). */
export function allStoredOn(backend: MathBackendCPU, tensors: readonly tf.Tensor[]): boolean {
  return tensors.every((t) => t.dtype === 'float32' && !t.isDisposed && backend.data.has(t.dataId));
}

/**
 * A variable's storage, safe to overwrite in place. A variable does not always own its buffer: tf.variable(x)
 * shares x's, assign(y) shares y's, and reshape/clone of the variable share it too (the backend's refCount then
 * exceeds 1). In that case the variable first gets a private copy, so other tensors keep their values.
 */
export function writableValues(backend: MathBackendCPU, v: tf.Variable): Float32Array {
  const values = backend.data.get(v.dataId).values;
  if (values instanceof Float32Array && backend.refCount(v.dataId) <= 1) return values;
  const own = tf.tensor(Float32Array.from(f32(backend, v)), v.shape, 'float32');
  v.assign(own);
  own.dispose();
  return backend.data.get(v.dataId).values as Float32Array;
}
