// The memory-split grid (spec §5): for every budget B and member count k, plan the width (planMemorySplit), train
// `runs` independent ensembles of k fresh members in the worker pool, and write the cell's record with each run's
// accuracy / NLL / CNLL and their mean and spread. Finished cells are skipped, so a killed sweep resumes where it
// stopped; a cell killed half way is trained again from scratch.
import { isDeepStrictEqual } from 'node:util';
import { deriveSeed } from '../train/trainer.js';
import { createProgress } from '../train/progress.js';
import { classScores } from './class_scores.js';
import { averageProbabilities } from './class_scores.js';
import { evaluateEnsemble } from './evaluate_ensemble.js';
import { logProbabilities, temperatureScaledNll } from './temperature_scaling.js';
import { summarizeRuns } from './run_statistics.js';
import { subEnsembleMetrics } from './sub_ensembles.js';
import { planMemorySplit, type MemorySplitPlan } from './planner.js';
import { memberFamily } from './member_family.js';
import { checkMemberDataset, type MemberDataset } from './member_dataset.js';
import { MemberPool, type MemberJob, type MemberPoolOptions } from './member_pool.js';
import type { MemberResult } from './train_member.js';
import {
  readCellRecord, readSweepSettings, writeCellRecord, writeSweepSettings,
  type SplitCellRecord, type SplitRunMetrics, type SweepSettings,
} from './sweep_record.js';

export interface SweepOptions {
  dataset: MemberDataset;
  settings: SweepSettings;
  budgets: readonly number[];
  ks: readonly number[];
  outDir: string;
  /** Cells whose realised total misses the budget by more than this are skipped (default 0.1; spec §1.3 aims at 5 %). */
  maxRelativeError?: number;
  /** Cores for the worker pool (default: all). */
  cores?: number;
  /** Worker-pool options beyond cores (e.g. inProcess, native). */
  pool?: Omit<MemberPoolOptions, 'cores'>;
  /** Progress stream (default stderr); null: silent. */
  progress?: NodeJS.WriteStream | null;
}

export interface SweepSummary {
  trained: SplitCellRecord[];
  /** Cells whose record already existed. */
  skipped: { budget: number; k: number }[];
  /** Cells left out because the width could not meet the budget. */
  unplannable: MemorySplitPlan[];
}

/** The seed of member i of run r in cell (budget, k): independent across cells, runs and members. */
export function memberSeed(base: number, budget: number, k: number, run: number, member: number): number {
  return deriveSeed(deriveSeed(base, Math.round(budget), k), run, member) >>> 1;
}

/** One run's metrics from its members' logits. */
export function ensembleRunMetrics(members: readonly MemberResult[], dataset: MemberDataset): SplitRunMetrics {
  const C = dataset.classes;
  const test = members.map((m) => classScores(m.testLogits, C)), validation = members.map((m) => classScores(m.validationLogits, C));
  const metrics = evaluateEnsemble(test, dataset.test.labels);
  const calibrated = temperatureScaledNll(logProbabilities(averageProbabilities(validation)), dataset.validation.labels,
    logProbabilities(averageProbabilities(test)), dataset.test.labels);
  return { ...metrics, validationCalibratedNll: calibrated.nll };
}

export async function runSweep(o: SweepOptions): Promise<SweepSummary> {
  checkMemberDataset(o.dataset);
  const family = memberFamily(o.settings.family);
  for (const b of o.budgets) if (!(Number.isFinite(b) && b > 0)) throw new Error(`sweep: budgets must be positive numbers, got ${b}`);
  for (const k of o.ks) if (!Number.isInteger(k) || k < 1) throw new Error(`sweep: ks must be positive integers, got ${k}`);
  const previous = readSweepSettings(o.outDir);
  if (previous && !isDeepStrictEqual(previous, o.settings)) {
    throw new Error(`${o.outDir} holds a sweep with other settings (${JSON.stringify(previous)}); resume it with the same `
      + `--arch, --epochs, --runs, --batch, --lr, --seed and data, or choose another --out`);
  }
  writeSweepSettings(o.outDir, o.settings);

  const maxError = o.maxRelativeError ?? 0.1;
  const summary: SweepSummary = { trained: [], skipped: [], unplannable: [] };
  const todo: MemorySplitPlan[] = [];
  for (const budget of o.budgets) {
    for (const k of o.ks) {
      const plan = planMemorySplit(family, budget, k);
      if (Math.abs(plan.relativeError) > maxError) summary.unplannable.push(plan);
      else if (readCellRecord(o.outDir, budget, k)) summary.skipped.push({ budget, k });
      else todo.push(plan);
    }
  }
  const stream = o.progress === undefined ? process.stderr : o.progress;
  for (const p of summary.unplannable) {
    stream?.write(`split sweep: skipping B=${p.budget} k=${p.members}: width ${p.width} gives ${p.totalParameters} parameters (${(100 * p.relativeError).toFixed(1)} %)\n`);
  }
  if (summary.skipped.length > 0) stream?.write(`split sweep: ${summary.skipped.length} finished cell(s) in ${o.outDir} skipped\n`);
  if (todo.length === 0) return summary;

  const { settings } = o;
  const pool = new MemberPool(o.dataset, Math.max(...todo.map((p) => p.members * settings.runs)), { ...o.pool, cores: o.cores });
  stream?.write(`split sweep: ${todo.length} cell(s) to train on ${pool.size.workers} worker(s) x ${pool.size.threadsPerWorker} thread(s)\n`);
  try {
    for (const [index, plan] of todo.entries()) {
      const t0 = performance.now();
      const { budget, members: k, width } = plan;
      const seeds = Array.from({ length: settings.runs }, (_, r) => Array.from({ length: k }, (_, i) => memberSeed(settings.seed, budget, k, r, i)));
      const jobs: MemberJob[] = seeds.flat().map((seed, id) => ({
        id, family: settings.family, width,
        training: { epochs: settings.epochs, batchSize: settings.batchSize, learningRate: settings.learningRate, seed },
      }));
      const label = `cell ${index + 1}/${todo.length} B=${budget} k=${k} w=${width}`;
      const progress = stream ? createProgress(label, jobs.length, stream, index + 1) : null;
      const results = await pool.run(jobs, (_, r) => progress?.tick({ 'member loss': r.finalTrainLoss }));
      const runs = seeds.map((_, r) => ensembleRunMetrics(results.slice(r * k, (r + 1) * k), o.dataset));
      const record: SplitCellRecord = {
        budget, k, width, memberParameters: plan.memberParameters, totalParameters: plan.totalParameters, relativeError: plan.relativeError,
        seeds, runs, metrics: summarizeRuns(runs), subEnsembles: subEnsembleMetrics(results, k, o.dataset),
        trainLoss: results.reduce((s, r) => s + r.finalTrainLoss, 0) / results.length,
        memberSeconds: results.reduce((s, r) => s + r.seconds, 0), wallSeconds: (performance.now() - t0) / 1e3,
        settings,
      };
      writeCellRecord(o.outDir, record);
      summary.trained.push(record);
      const m = record.metrics;
      progress?.endEpoch(`acc ${(100 * m.accuracy.mean).toFixed(2)} ± ${(100 * m.accuracy.std).toFixed(2)} | CNLL ${m.cnll.mean.toFixed(4)} ± ${m.cnll.std.toFixed(4)} | ${record.wallSeconds.toFixed(1)} s`);
    }
  } finally {
    await pool.close();
  }
  return summary;
}
