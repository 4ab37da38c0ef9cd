// Test helpers: run the same computation on the native and cpu backends and compare.
import { tf } from '../src/engine/tf.js';
import { registerNativeBackend } from '../src/engine/backend.js';

export const nativeAvailable = registerNativeBackend();

/** Seeded pseudo-random data (the library's mulberry32) so failures reproduce. */
export { mulberry32 as rng } from '../src/train/trainer.js';

export function randomArray(n: number, rand: () => number, lo = -1, hi = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = lo + (hi - lo) * rand();
  return out;
}

export type HostTensor = { shape: number[]; values: Float32Array | Int32Array; dtype?: 'float32' | 'int32' };

/** Runs fn on `backend` with fresh tensors built from host data; returns each output's values and shape. */
export async function runOn(backend: string, inputs: HostTensor[], fn: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[]): Promise<{ shape: number[]; values: Float32Array }[]> {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const xs = inputs.map((h) => tf.tensor(h.values, h.shape, h.dtype ?? (h.values instanceof Int32Array ? 'int32' : 'float32')));
    const out = fn(...xs);
    const outs = Array.isArray(out) ? out : [out];
    return outs.map((t) => ({ shape: t.shape.slice(), values: Float32Array.from(t.dataSync() as ArrayLike<number>) }));
  });
}

/** allclose-style: the worst |a-b| / (atol + rtol*|b|); <= 1 means every element is within tolerance. */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>, rtol = 1e-5, atol = 1e-6): number {
  if (a.length !== b.length) throw new Error(`length mismatch ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (Number.isNaN(a[i]) !== Number.isNaN(b[i])) return Infinity;
    if (Number.isNaN(a[i])) continue;
    if (a[i] === b[i]) continue; // also covers equal infinities
    worst = Math.max(worst, d / (atol + rtol * Math.abs(b[i])));
  }
  return worst;
}

/** Compares native against cpu for fn on the given inputs; throws with a readable message on mismatch. */
export async function expectBackendsAgree(name: string, inputs: HostTensor[], fn: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[], rtol = 1e-5, atol = 1e-6): Promise<void> {
  const cpu = await runOn('cpu', inputs, fn);
  const nat = await runOn('native', inputs, fn);
  if (cpu.length !== nat.length) throw new Error(`${name}: ${nat.length} outputs vs ${cpu.length}`);
  for (let i = 0; i < cpu.length; i++) {
    if (cpu[i].shape.join() !== nat[i].shape.join()) throw new Error(`${name}: output ${i} shape [${nat[i].shape}] vs cpu [${cpu[i].shape}]`);
    const err = maxRelError(nat[i].values, cpu[i].values, rtol, atol);
    if (!(err <= 1)) throw new Error(`${name}: output ${i} differs from cpu by ${err}x the tolerance (rtol ${rtol}, atol ${atol})`);
  }
}
