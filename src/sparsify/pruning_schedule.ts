// The training schedule of the group-lasso / magnitude-pruning method: a warm-up with the penalty on and nothing
// pruned, gradual pruning on Zhu & Gupta's (2017) cubic schedule, then fine-tuning with the penalty off and the
// masks frozen. Pure: it answers for a step number; the trainer keeps the step count.
//
// Steps count from 0. Pruning happens at t = t0 + i*dt for i = 0..n (t0 = warmupSteps, dt = frequency,
// n = pruningEvents - 1), at the target sparsity
//   s_t = s_f + (s_i - s_f) * (1 - (t - t0) / (n*dt))^3,
// so the first event prunes to s_i and the last to s_f. Fine-tuning is every step after the last event.

export interface PruningScheduleConfig {
  /** t0: steps of warm-up before the first pruning event (penalty on, nothing pruned). */
  warmupSteps: number;
  /** How many pruning events, n + 1 >= 1 (the first at s_i, the last at s_f). */
  pruningEvents: number;
  /** dt: steps between two pruning events. */
  frequency: number;
  /** s_i: the target sparsity of the first event, in [0, 1]. */
  initialSparsity: number;
  /** s_f: the target sparsity of the last event, in [0, 1]. */
  finalSparsity: number;
  /** Steps of fine-tuning after the last event (penalty off, masks frozen). */
  fineTuneSteps: number;
  /** Whether the group-lasso penalty stays on while pruning (default true; it is always on in warm-up). */
  penaltyWhilePruning?: boolean;
}

export type PruningPhase = 'warmup' | 'pruning' | 'fine-tune';

/** What the trainer does at one step. */
export interface PruningStep {
  phase: PruningPhase;
  /** Recompute the masks at this step (magnitude to targetSparsity, groups below the threshold). */
  prune: boolean;
  /** The weight sparsity the masks should have after this step: 0 in warm-up, s_f in fine-tuning. */
  targetSparsity: number;
  /** Whether the group-lasso penalty is in the loss at this step. */
  penalty: boolean;
  /** Whether the masks may change (false only in fine-tuning). */
  masksFrozen: boolean;
}

/** The JSON a checkpoint stores: the config, tagged with what kind of schedule it is. */
export interface PruningScheduleState extends Required<PruningScheduleConfig> {
  kind: 'zhu-gupta-cubic';
}

export class PruningSchedule {
  readonly config: Readonly<Required<PruningScheduleConfig>>;

  constructor(config: PruningScheduleConfig) {
    this.config = Object.freeze({ penaltyWhilePruning: true, ...validate(config, 'pruning schedule') });
  }

  /** The step of the last pruning event, t0 + n*dt. */
  get lastPruningStep(): number {
    return this.config.warmupSteps + (this.config.pruningEvents - 1) * this.config.frequency;
  }

  /** Warm-up + pruning + fine-tuning steps. */
  get totalSteps(): number {
    return this.lastPruningStep + 1 + this.config.fineTuneSteps;
  }

  /** The cubic target s_t at step t (clamped: s_i before t0, s_f after the last event). */
  sparsityAt(step: number): number {
    const { warmupSteps: t0, pruningEvents, frequency: dt, initialSparsity: si, finalSparsity: sf } = this.config;
    const span = (pruningEvents - 1) * dt;
    if (span === 0) return step < t0 ? si : sf;
    const progress = Math.min(1, Math.max(0, (step - t0) / span));
    return sf + (si - sf) * (1 - progress) ** 3;
  }

  /** What to do at `step` (0-based). Steps past totalSteps are fine-tuning too. */
  at(step: number): PruningStep {
    if (!Number.isInteger(step) || step < 0) throw new RangeError(`pruning schedule: step must be a non-negative integer, got ${step}`);
    const { warmupSteps: t0, frequency: dt, finalSparsity, penaltyWhilePruning } = this.config;
    if (step < t0) return { phase: 'warmup', prune: false, targetSparsity: 0, penalty: true, masksFrozen: false };
    if (step > this.lastPruningStep) return { phase: 'fine-tune', prune: false, targetSparsity: finalSparsity, penalty: false, masksFrozen: true };
    const prune = (step - t0) % dt === 0;
    // Between events the masks hold the last event's target.
    const lastEvent = step - ((step - t0) % dt);
    return { phase: 'pruning', prune, targetSparsity: this.sparsityAt(lastEvent), penalty: penaltyWhilePruning, masksFrozen: false };
  }

  toJSON(): PruningScheduleState {
    return { kind: 'zhu-gupta-cubic', ...this.config };
  }

  /** Rebuilds a schedule from toJSON()'s output; `source` (a file name) leads the error messages. */
  static fromJSON(json: unknown, source = 'pruning schedule'): PruningSchedule {
    if (typeof json !== 'object' || json === null) throw new Error(`${source}: expected an object, got ${JSON.stringify(json)}`);
    const o = json as Record<string, unknown>;
    if (o.kind !== 'zhu-gupta-cubic') throw new Error(`${source}: field "kind" is ${JSON.stringify(o.kind)}, expected "zhu-gupta-cubic"`);
    if (o.penaltyWhilePruning !== undefined && typeof o.penaltyWhilePruning !== 'boolean') {
      throw new Error(`${source}: field "penaltyWhilePruning" must be a boolean, got ${JSON.stringify(o.penaltyWhilePruning)}`);
    }
    return new PruningSchedule(validate(o as unknown as PruningScheduleConfig, source));
  }
}

function validate(c: PruningScheduleConfig, source: string): PruningScheduleConfig {
  const integer = (key: 'warmupSteps' | 'pruningEvents' | 'frequency' | 'fineTuneSteps', min: number): number => {
    const v = c[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) throw new Error(`${source}: field "${key}" must be an integer >= ${min}, got ${JSON.stringify(v)}`);
    return v;
  };
  const fraction = (key: 'initialSparsity' | 'finalSparsity'): number => {
    const v = c[key];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new Error(`${source}: field "${key}" must be a number in [0, 1], got ${JSON.stringify(v)}`);
    return v;
  };
  const out: PruningScheduleConfig = {
    warmupSteps: integer('warmupSteps', 0),
    pruningEvents: integer('pruningEvents', 1),
    frequency: integer('frequency', 1),
    initialSparsity: fraction('initialSparsity'),
    finalSparsity: fraction('finalSparsity'),
    fineTuneSteps: integer('fineTuneSteps', 0),
  };
  if (out.initialSparsity > out.finalSparsity) {
    throw new Error(`${source}: initialSparsity ${out.initialSparsity} exceeds finalSparsity ${out.finalSparsity} (pruning only grows)`);
  }
  if (c.penaltyWhilePruning !== undefined) out.penaltyWhilePruning = c.penaltyWhilePruning;
  return out;
}
