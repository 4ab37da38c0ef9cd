// Global-norm gradient clipping (tf.clip_by_global_norm): every gradient is scaled by
// maxNorm / max(globalNorm, maxNorm), so the direction of the whole update is kept.
import { tf } from '../tf.js';
import { requireAddon } from '../addon.js';
import { activeNativeBackend, allStoredOn } from './storage.js';
import { f32 } from '../kernels/util.js';

/** The clipping factor, rounded to float32 like a tfjs scalar. Must match ClipScale in native/src/optim.cc. */
export function clipScale(globalNorm: number, maxNorm: number): number {
  return Math.fround(maxNorm / Math.max(globalNorm, maxNorm));
}

export function checkMaxNorm(maxNorm: number, what: string): void {
  if (!(maxNorm > 0 && Number.isFinite(maxNorm))) throw new RangeError(`${what}: expected a positive finite norm, got ${maxNorm}`);
}

/** sqrt(sum of all squared gradient entries): one native call (double accumulation) when on the native backend. */
export function globalNorm(grads: readonly tf.Tensor[]): number {
  const backend = activeNativeBackend();
  if (backend && allStoredOn(backend, grads)) {
    return requireAddon().clipByGlobalNorm(grads.map((g) => f32(backend, g)), null, 1);
  }
  if (grads.length === 0) return 0;
  const norm = tf.tidy(() => tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))));
  const value = norm.dataSync()[0];
  norm.dispose();
  return value;
}

export interface ClippedGradients<G> {
  /** New tensors (the caller disposes them, and still owns the inputs). */
  grads: G;
  /** The norm before clipping. */
  globalNorm: number;
}

/** Scales the gradients so that their global L2 norm is at most maxNorm; returns new tensors and the norm. */
export function clipByGlobalNorm(grads: tf.Tensor[], maxNorm: number): ClippedGradients<tf.Tensor[]>;
export function clipByGlobalNorm(grads: Record<string, tf.Tensor>, maxNorm: number): ClippedGradients<Record<string, tf.Tensor>>;
export function clipByGlobalNorm(grads: tf.Tensor[] | Record<string, tf.Tensor>, maxNorm: number): ClippedGradients<tf.Tensor[] | Record<string, tf.Tensor>> {
  checkMaxNorm(maxNorm, 'clipByGlobalNorm');
  const list = Array.isArray(grads) ? grads : Object.values(grads);
  const { clipped, norm } = clipList(list, maxNorm);
  if (Array.isArray(grads)) return { grads: clipped, globalNorm: norm };
  const keys = Object.keys(grads);
  return { grads: Object.fromEntries(keys.map((k, i) => [k, clipped[i]])), globalNorm: norm };
}

function clipList(grads: tf.Tensor[], maxNorm: number): { clipped: tf.Tensor[]; norm: number } {
  const backend = activeNativeBackend();
  if (backend && allStoredOn(backend, grads)) {
    const outs = grads.map((g) => new Float32Array(g.size));
    const norm = requireAddon().clipByGlobalNorm(grads.map((g) => f32(backend, g)), outs, maxNorm);
    return { clipped: outs.map((values, i) => tf.tensor(values, grads[i].shape, 'float32')), norm };
  }
  const norm = globalNorm(grads);
  const scale = clipScale(norm, maxNorm);
  return { clipped: grads.map((g) => tf.mul(g, scale)), norm };
}
