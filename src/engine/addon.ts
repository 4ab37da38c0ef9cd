// Loads the N-API addon (native/, built by scripts/build-native.mjs). If it cannot load, Parsimony keeps
// working on the plain tfjs kernels and says so once.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from './tf.js';

/** Functions exported by native/src/*.cc. Arrays are used in place (zero-copy); shapes are passed as numbers. */
export interface NativeAddon {
  sgemm(transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number, A: Float32Array,
    lda: number, B: Float32Array, ldb: number, beta: number, C: Float32Array, ldc: number): void;
  /** out[i] = act(op(a[i]) op(b[i]) + bias); aBatchStride/bBatchStride 0 broadcast one matrix over the batch. */
  batchMatMul(a: Float32Array, b: Float32Array, out: Float32Array, batch: number, M: number, N: number, K: number,
    transA: boolean, transB: boolean, aBatchStride: number, bBatchStride: number, bias: Float32Array | null,
    activation: number, leakyreluAlpha?: number): void;
  gemmLibrary(): string;
  availableGemmLibraries(): string;
  selectGemmLibrary(name: string): boolean;
  setNumThreads(n: number): void;
  numThreads(): number;
  /** Switches per-shape GEMM accounting on/off; returns and clears what was recorded so far. */
  gemmProfile(enable: boolean): GemmShapeStats[];
  // Further entries are declared next to the code that uses them (see NativeAddonExtensions).
  [name: string]: unknown;
}

export interface GemmShapeStats {
  transA: boolean; transB: boolean; M: number; N: number; K: number; calls: number; seconds: number;
}

let cached: NativeAddon | null | undefined;
let loadError: string | undefined;

/** The addon, or null when it is not built or disabled with PARSIMONY_NATIVE=0. */
export function loadAddon(): NativeAddon | null {
  if (cached !== undefined) return cached;
  if (process.env.PARSIMONY_NATIVE === '0') {
    loadError = 'disabled by PARSIMONY_NATIVE=0';
    cached = null;
    return cached;
  }
  const path = join(packageRoot, 'build', 'Release', 'parsimony_native.node');
  try {
    const addon = createRequire(import.meta.url)(path) as NativeAddon;
    const gemm = process.env.PARSIMONY_GEMM;
    if (gemm && !addon.selectGemmLibrary(gemm)) {
      throw new Error(`PARSIMONY_GEMM=${gemm}: not built in (available: ${addon.availableGemmLibraries()})`);
    }
    cached = addon;
  } catch (err) {
    loadError = `${path}: ${(err as Error).message}`;
    cached = null;
  }
  return cached;
}

/** The addon; throws a clear error when it is unavailable (for code paths that only exist natively). */
export function requireAddon(): NativeAddon {
  const addon = loadAddon();
  if (!addon) throw new Error(`Parsimony native addon unavailable (${loadError}). Run \`npm run build:native\`.`);
  return addon;
}

export function addonLoadError(): string | undefined {
  loadAddon();
  return loadError;
}
