// One thread knob for the GEMM library and our own OpenMP loops (they share one OpenMP runtime, so
// they never run two thread teams at once).
import { availableParallelism } from 'node:os';
import { loadAddon } from './addon.js';

/** Sets the number of compute threads (default: all cores). Returns the value in force. */
export function setNumThreads(threads: number = defaultThreads()): number {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`setNumThreads: expected a positive integer, got ${threads}`);
  loadAddon()?.setNumThreads(threads);
  return threads;
}

export function getNumThreads(): number {
  return loadAddon()?.numThreads() ?? 1;
}

export function defaultThreads(): number {
  const env = process.env.PARSIMONY_THREADS;
  if (env !== undefined) {
    const n = Number(env);
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`PARSIMONY_THREADS=${env}: expected a positive integer`);
    return n;
  }
  return availableParallelism();
}
