// The group-lasso method of a text classifier at training time (spec rnn-sparsification §5, pruning branch): the
// penalty over the layout's groups while the pruning schedule says so, and the schedule's pruning events (groups
// whose norm falls below a threshold, then magnitude pruning of the weights to the scheduled sparsity), written into
// the model's MaskedParameters. The trainer reaches it through Module.beforeStep / afterStep (the classifier holds
// it as a field); the masks are model parameters, so checkpoints save them and a resume restores them.
import { tf } from '../engine/tf.js';
import { MaskedParameter } from '../nn/masked_parameter.js';
import {
  CLASSIFIER_TENSORS, GROUP_KINDS, groupSize, type ClassifierTensorSet, type GroupKind, type GroupLassoLayout,
} from './group_lasso_layout.js';
import { groupLassoPenalty, groupNorms, type ClassifierWeights, type PerGroupKind } from './group_lasso.js';
import { groupPruning } from './group_lasso_pruning.js';
import { magnitudeMasks } from './group_lasso_magnitude.js';
import type { PruningSchedule } from './pruning_schedule.js';

export interface GroupLassoOptions {
  /**
   * Penalty weight: the model's regulariser is lambda * sum_g sqrt(|g|) ||W_g||_2, which the objective divides by the
   * number of training examples N like the KL and the L0 penalty (so lambda is in units of the summed loss).
   */
  lambda: number;
  /**
   * A group is pruned when its root-mean-square weight ||W_g||_2 / sqrt(|g|) is below this (one threshold for groups
   * of every size, matching the sqrt(|g|) weighting of the penalty).
   */
  threshold: number;
}

/**
 * [TBD in the spec] §5 leaves lambda and the threshold open. These are starting points, not tuned values: with
 * lambda / N around 1e-4 per example on the small classifiers the penalty visibly shrinks groups within an epoch or
 * two without swamping the cross-entropy, and 1e-3 RMS is well below the typical initial weight (~0.05-0.2).
 */
export const DEFAULT_GROUP_LASSO_OPTIONS: Readonly<GroupLassoOptions> = Object.freeze({ lambda: 0.5, threshold: 1e-3 });

/** What one pruning event did. */
export interface PruningEvent {
  step: number;
  /**
   * Groups below the threshold at this event, per kind: those it prunes and those pruned before (a pruned group's
   * norm is 0), by the norm test alone (the groups a pruned neuron leaves dead follow in the masks, not here).
   */
  groupsBelowThreshold: PerGroupKind<number>;
  /** The magnitude sparsity the event asked for. */
  targetSparsity: number;
}

export function resolveGroupLassoOptions(options: Partial<GroupLassoOptions> = {}): GroupLassoOptions {
  const o = { ...DEFAULT_GROUP_LASSO_OPTIONS, ...options };
  if (!(o.lambda >= 0) || !Number.isFinite(o.lambda)) throw new RangeError(`group lasso: lambda must be finite and >= 0, got ${o.lambda}`);
  if (!(o.threshold >= 0) || !Number.isFinite(o.threshold)) throw new RangeError(`group lasso: threshold must be finite and >= 0, got ${o.threshold}`);
  return o;
}

export class GroupLassoRegularizer {
  readonly options: GroupLassoOptions;
  /** The step the trainer is at (beforeStep); 0 before training. */
  private step = 0;
  /** The events run so far by this object (not restored on resume: the masks are). */
  readonly events: PruningEvent[] = [];

  /**
   * `tensors`: the model's four tensors; every tensor a group of the layout spans, or that the layout
   * magnitude-prunes, must be a MaskedParameter. `schedule` null: the penalty is always on and nothing is pruned
   * except by prune() (a model loaded for evaluation needs no schedule).
   */
  constructor(readonly layout: GroupLassoLayout, readonly tensors: ClassifierTensorSet<MaskedParameter | tf.Variable>,
    options: Partial<GroupLassoOptions> = {}, readonly schedule: PruningSchedule | null = null) {
    this.options = resolveGroupLassoOptions(options);
    for (const name of CLASSIFIER_TENSORS) {
      if (needsMask(layout, name) && !(tensors[name] instanceof MaskedParameter)) {
        throw new Error(`GroupLassoRegularizer: ${name} is pruned by the layout (groups or magnitude) but is not a MaskedParameter`);
      }
    }
  }

  /** Module.beforeStep hook: the schedule's phase of this step decides the penalty. */
  beforeStep(step: number): void {
    this.step = step;
  }

  /** Module.afterStep hook: runs the schedule's pruning event of this step, if any. */
  afterStep(step?: number): void {
    if (step === undefined || !this.schedule) return;
    const s = this.schedule.at(step);
    if (s.prune) this.events.push({ step, ...this.prune(s.targetSparsity) });
  }

  /** Whether the penalty is part of the objective at the current step (always, without a schedule). */
  penaltyActive(): boolean {
    return this.schedule ? this.schedule.at(this.step).penalty : true;
  }

  /** lambda * sum_g sqrt(|g|) ||W_g|| of the weights a forward pass uses, or 0 when the schedule turns it off. */
  penalty(): tf.Scalar {
    if (!this.penaltyActive() || this.options.lambda === 0) return tf.scalar(0);
    return tf.tidy(() => groupLassoPenalty(this.weights(), this.layout, this.options.lambda));
  }

  /**
   * One pruning event: every group whose RMS weight is below the threshold is removed with the weights it leaves
   * dead, then each magnitude-pruned tensor is cut to `targetSparsity` (already pruned entries count and stay
   * pruned). Masks only shrink.
   */
  prune(targetSparsity: number): Omit<PruningEvent, 'step'> {
    const norms = this.hostNorms();
    const thresholds: PerGroupKind<number> = {};
    for (const kind of GROUP_KINDS) if (this.layout.groups[kind]) thresholds[kind] = this.options.threshold * Math.sqrt(groupSize(this.layout.shape, kind));
    const { kept, masks } = groupPruning(norms, thresholds, this.layout);
    const groupsBelowThreshold: PerGroupKind<number> = {};
    for (const kind of GROUP_KINDS) {
      const k = kept[kind as GroupKind];
      if (k) groupsBelowThreshold[kind] = k.length - k.reduce((n, v) => n + v, 0);
    }
    for (const name of CLASSIFIER_TENSORS) {
      const t = this.tensors[name];
      if (t instanceof MaskedParameter) t.applyMask(masks[name]);
    }
    const values = {} as ClassifierTensorSet<Float32Array>, current: Partial<ClassifierTensorSet<Uint8Array>> = {};
    for (const name of CLASSIFIER_TENSORS) {
      const t = this.tensors[name];
      values[name] = Float32Array.from((t instanceof MaskedParameter ? t.theta : t).dataSync());
      if (t instanceof MaskedParameter) current[name] = t.hostKeptMask();
    }
    const magnitude = magnitudeMasks(values, this.layout, targetSparsity, current);
    for (const name of CLASSIFIER_TENSORS) {
      const m = magnitude[name];
      if (m) (this.tensors[name] as MaskedParameter).applyMask(m);
    }
    return { groupsBelowThreshold, targetSparsity };
  }

  /** The weights of a forward pass (theta * mask, or the plain parameter): new tensors, inside the caller's tidy. */
  private weights(): ClassifierWeights {
    return this.mapTensors((t) => t.evalWeight() as tf.Tensor2D);
  }

  /** groupNorms of the current weights; the products it makes are freed (the plain parameters are not). */
  private hostNorms(): PerGroupKind<Float32Array> {
    const owned: tf.Tensor[] = [];
    const w = this.mapTensors((t) => {
      const p = t.evalWeight() as tf.Tensor2D;
      owned.push(p);
      return p;
    });
    try {
      return groupNorms(w, this.layout);
    } finally {
      tf.dispose(owned);
    }
  }

  private mapTensors(masked: (t: MaskedParameter) => tf.Tensor2D): ClassifierWeights {
    const w = (t: MaskedParameter | tf.Variable): tf.Tensor2D => (t instanceof MaskedParameter ? masked(t) : t as tf.Tensor2D);
    const { embedding, inputWeights, hiddenWeights, outputWeights } = this.tensors;
    return { embedding: w(embedding), inputWeights: w(inputWeights), hiddenWeights: w(hiddenWeights), outputWeights: w(outputWeights) };
  }
}

/** Whether the layout's groups or its magnitude pruning touch tensor `name` (so it needs a mask). */
export function needsMask(layout: GroupLassoLayout, name: keyof ClassifierTensorSet<unknown>): boolean {
  const g = layout.groups;
  switch (name) {
    case 'embedding': return layout.magnitude.embedding || g.vocabulary || g.inputs;
    case 'inputWeights': return layout.magnitude.inputWeights || g.inputs || g.gates || g.hidden;
    case 'hiddenWeights': return layout.magnitude.hiddenWeights || g.hidden || g.gates;
    case 'outputWeights': return layout.magnitude.outputWeights || g.hidden;
  }
}
