// The `native` tfjs backend: the cpu backend's storage and kernels, with hot kernels routed to the addon.
import { tf } from './tf.js';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { addonLoadError, loadAddon } from './addon.js';
import { nativeKernelConfigs } from './kernels/index.js';
import { defaultThreads, setNumThreads } from './threads.js';
import { Float32BufferPool } from './ops/buffer_pool.js';
import type { DataType, backend_util } from '@tensorflow/tfjs-core';

export const NATIVE_BACKEND = 'native';

// Below 64 KiB a fresh array is cheap; above, first-touch page faults dominate memory-bound kernels
// (a fresh 45 MB logits array costs ~10 ms before any arithmetic).
const RECYCLE_MIN_LENGTH = 1 << 14;

type DataId = object;

/**
 * Storage and fallbacks are the cpu backend's; kernels registered for 'native' override the hot ones.
 *
 * Large outputs of native kernels are recycled: when the last tensor over such an array is disposed, the
 * array goes to a pool and the next output of the same length reuses it (training steps repeat shapes).
 * An array is only recycled while nothing else can see it: one that was read out (dataSync/data/
 * arraySync/buffer) or that another tensor views (a contiguous Slice returns a subarray) is never reused.
 */
export class NativeBackend extends MathBackendCPU {
  private readonly outputPool = new Float32BufferPool(1 << 30, 16);
  /** Arrays handed out by newFloat32, keyed by their buffer. */
  private readonly recyclable = new WeakMap<ArrayBufferLike, Float32Array>();
  /** Recyclable arrays currently stored under a dataId. */
  private readonly stored = new WeakSet<Float32Array>();
  /** Buffers that may be referenced outside this backend's storage: never recycled. */
  private readonly escaped = new WeakSet<ArrayBufferLike>();

  constructor() {
    super();
    // The cpu backend's one-time "install tfjs-node" hint does not apply: this backend is the native one.
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }

  /** An array of n floats for a kernel output; contents are arbitrary (the kernel must write every element). */
  newFloat32(n: number): Float32Array {
    if (n < RECYCLE_MIN_LENGTH) return new Float32Array(n);
    const array = this.outputPool.take(n);
    this.recyclable.set(array.buffer, array);
    return array;
  }

  private track(values: backend_util.BackendValues | undefined): void {
    if (!ArrayBuffer.isView(values)) return;
    const owner = this.recyclable.get(values.buffer);
    if (!owner) return;
    // a view of a recyclable array, or the same array stored under a second dataId: it has escaped
    if (owner !== values || this.stored.has(owner)) this.escaped.add(values.buffer);
    else this.stored.add(owner);
  }

  override write(values: backend_util.BackendValues, shape: number[], dtype: DataType): DataId {
    this.track(values);
    return super.write(values, shape, dtype);
  }

  override move(dataId: DataId, values: backend_util.BackendValues, shape: number[], dtype: DataType, refCount: number): void {
    this.track(values);
    super.move(dataId, values, shape, dtype, refCount);
  }

  override readSync(dataId: DataId): backend_util.BackendValues {
    const values = super.readSync(dataId);
    if (ArrayBuffer.isView(values)) this.escaped.add(values.buffer);
    return values;
  }

  override disposeData(dataId: DataId, force = false): boolean {
    const values = this.data.has(dataId) ? this.data.get(dataId).values : undefined;
    const released = super.disposeData(dataId, force);
    if (released && values instanceof Float32Array && this.recyclable.get(values.buffer) === values) {
      this.stored.delete(values);
      if (!this.escaped.has(values.buffer)) this.outputPool.give(values);
    }
    return released;
  }

  /** Frees the recycled arrays (they are otherwise kept, up to 1 GiB, for reuse). */
  releasePooledMemory(): void {
    this.outputPool.clear();
  }
}

let registered = false;
let warned = false;

/**
 * Registers the `native` backend (once). Returns false, after one warning, when the addon is unavailable;
 * tfjs then keeps using its `cpu` backend.
 */
export function registerNativeBackend(): boolean {
  if (registered) return true;
  if (!loadAddon()) {
    if (!warned) {
      warned = true;
      console.warn(`[parsimony] native addon unavailable (${addonLoadError()}); using the tfjs cpu backend, which is much slower.`);
    }
    return false;
  }
  const overridden = new Set(nativeKernelConfigs.map((k) => k.kernelName));
  for (const config of tf.getKernelsForBackend('cpu')) {
    if (!overridden.has(config.kernelName)) tf.registerKernel({ ...config, backendName: NATIVE_BACKEND });
  }
  for (const config of nativeKernelConfigs) tf.registerKernel(config);
  tf.registerBackend(NATIVE_BACKEND, () => new NativeBackend(), 3);
  setNumThreads(defaultThreads());
  registered = true;
  return true;
}

/** Registers and activates the fastest available backend; returns its name ('native' or 'cpu'). */
export async function useBestBackend(): Promise<string> {
  const name = registerNativeBackend() ? NATIVE_BACKEND : 'cpu';
  await tf.setBackend(name);
  await tf.ready();
  return name;
}

/** True when the active backend is the native one (fused ops then take their native path). */
export function isNativeActive(): boolean {
  return tf.getBackend() === NATIVE_BACKEND;
}
