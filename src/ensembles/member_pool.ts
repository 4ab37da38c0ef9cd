// Trains ensemble members in parallel worker threads sized to the machine: w workers of t compute threads each with
// w x t <= cores (spec §6.1: two 2-thread jobs on 2 cores made every op several times slower). Each worker sets its
// own thread count (OpenMP's team size is per thread), and reads the dataset from shared memory.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { loadAddon } from '../engine/addon.js';
import { Worker } from 'node:worker_threads';
import type { MemberFamilySpec } from './member_family.js';
import type { MemberDataset } from './member_dataset.js';
import { shareMemberDataset } from './member_dataset.js';
import { trainMember, type MemberResult, type MemberTrainingOptions } from './train_member.js';

export interface MemberJob {
  id: number;
  family: MemberFamilySpec;
  width: number;
  training: MemberTrainingOptions;
}

export interface MemberWorkerData {
  dataset: MemberDataset;
  threads: number;
}

export type WorkerReply = { id: number; result: MemberResult; error?: undefined } | { id: number; error: string; result?: undefined };

export interface PoolSize {
  workers: number;
  threadsPerWorker: number;
}

/**
 * As many workers as jobs allow, at most one per core, and the cores left shared out as compute threads: workers x
 * threadsPerWorker <= cores always. `maxWorkers` caps the workers (e.g. for memory).
 */
export function poolSize(jobs: number, cores: number = availableParallelism(), maxWorkers = Infinity): PoolSize {
  if (!Number.isInteger(cores) || cores < 1) throw new RangeError(`poolSize: cores must be a positive integer, got ${cores}`);
  const workers = Math.max(1, Math.min(jobs, cores, maxWorkers));
  return { workers, threadsPerWorker: Math.max(1, Math.floor(cores / workers)) };
}

/**
 * A new worker running member_worker: the compiled .js in dist; under tsx the .ts source, loaded by a small ESM
 * bootstrap that registers tsx's ESM loader in the worker first (workers do not inherit the test runner's loader).
 */
function startWorker(workerData: MemberWorkerData, native: boolean): Worker {
  const env = native ? process.env : { ...process.env, PARSIMONY_NATIVE: '0' };
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./member_worker.js', import.meta.url), { workerData, env });
  const api = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL('./member_worker.ts', import.meta.url).href;
  const bootstrap = `const { register } = await import(${JSON.stringify(api)}); register(); await import(${JSON.stringify(entry)});`;
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), { workerData, env });
}

export interface MemberPoolOptions {
  /** Cores to use (default: all). */
  cores?: number;
  /**
   * Most workers (default: one per core, within the jobs). Several workers running native kernels once crashed the
   * process with SIGSEGV when they exited: the last worker's dlclose unmapped the addon and libgomp under OpenMP
   * threads still running their code; the addon is now linked with -z nodelete (test/engine/addon_worker_unload.test.ts).
   */
  maxWorkers?: number;
  /** Use the native addon in the workers (default: when it loads here). */
  native?: boolean;
  /** Train in this thread, one member after another, without workers (default false). */
  inProcess?: boolean;
}

/** A fixed set of workers over one shared dataset; run() feeds them jobs, close() ends them. */
export class MemberPool {
  readonly size: PoolSize;
  private readonly workers: Worker[];
  private readonly dataset: MemberDataset;
  private readonly inProcess: boolean;

  constructor(dataset: MemberDataset, jobsHint: number, options: MemberPoolOptions = {}) {
    const native = options.native ?? loadAddon() !== null;
    this.size = poolSize(jobsHint, options.cores ?? availableParallelism(), options.maxWorkers);
    this.dataset = shareMemberDataset(dataset);
    const data: MemberWorkerData = { dataset: this.dataset, threads: this.size.threadsPerWorker };
    this.inProcess = options.inProcess ?? false;
    this.workers = this.inProcess ? [] : Array.from({ length: this.size.workers }, () => startWorker(data, native));
  }

  /** Runs every job; results come back in job order. onDone sees each as it finishes. Rejects on the first failure. */
  async run(jobs: readonly MemberJob[], onDone?: (job: MemberJob, result: MemberResult) => void): Promise<MemberResult[]> {
    const results = new Array<MemberResult>(jobs.length);
    if (this.inProcess) {
      for (const [i, job] of jobs.entries()) {
        results[i] = trainMember(this.dataset, job.family, job.width, job.training);
        onDone?.(job, results[i]);
        await new Promise<void>((resolve) => setImmediate(resolve)); // let the progress bar and signals run
      }
      return results;
    }
    let next = 0, failed: Error | undefined;
    const drive = (worker: Worker): Promise<void> => new Promise((resolve, reject) => {
      const give = (): void => {
        if (failed || next >= jobs.length) { cleanup(); resolve(); return; }
        worker.postMessage(jobs[next++]);
      };
      const onMessage = (reply: WorkerReply): void => {
        const index = jobs.findIndex((j) => j.id === reply.id);
        if (reply.error !== undefined) { failed = new Error(`member job ${reply.id} failed in a worker: ${reply.error}`); cleanup(); reject(failed); return; }
        results[index] = reply.result;
        onDone?.(jobs[index], reply.result);
        give();
      };
      const onError = (e: Error): void => { failed = e; cleanup(); reject(e); };
      const onExit = (code: number): void => { failed = new Error(`a member worker exited with code ${code}`); cleanup(); reject(failed); };
      const cleanup = (): void => { worker.off('message', onMessage); worker.off('error', onError); worker.off('exit', onExit); };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      give();
    });
    await Promise.all(this.workers.map(drive));
    return results;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
