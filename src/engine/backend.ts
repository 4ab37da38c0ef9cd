// The `native` tfjs backend: the cpu backend's storage and kernels, with hot kernels routed to the addon.
import { tf } from './tf.js';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { addonLoadError, loadAddon } from './addon.js';
import { nativeKernelConfigs } from './kernels/index.js';
import { defaultThreads, setNumThreads } from './threads.js';

export const NATIVE_BACKEND = 'native';

/** Storage and fallbacks are the cpu backend's; kernels registered for 'native' override the hot ones. */
export class NativeBackend extends MathBackendCPU {
  constructor() {
    super();
    // The cpu backend's one-time "install tfjs-node" hint does not apply: this backend is the native one.
    (this as unknown as { firstUse: boolean }).firstUse = false;
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
