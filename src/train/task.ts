// The contract between a sparsification task (a model + its data) and the trainer (src/train/trainer.ts): the
// trainer owns the loop, optimiser, checkpoints, resume and metrics; a task owns batching, objective and evaluation.
import type { tf } from '../engine/tf.js';
import type { Module } from '../nn/module.js';
import type { CompressionReport } from '../sparsify/compression.js';

/** One evaluation of a split: the task's quality metrics, e.g. { accuracy, nll } or { bpc } or { perplexity }. */
export type SplitMetrics = Record<string, number>;

/** What the report shows about the kept structure beyond the counts of CompressionReport. */
export interface KeptStructure {
  /** Kept vocabulary entries as text (words or characters), most frequent first, when the task has a vocabulary. */
  keptWords?: string[];
  /**
   * Per gate type (i, f, g, o for LSTM; r, z, n for GRU), one row of H entries: 1 the gate is computed, 0 it is a
   * constant act(b), -1 its neuron is removed. Drives the report's gate heatmap.
   */
  gateStates?: Record<string, Int8Array>;
  /** Constant value act(b) of each constant gate, same layout as gateStates (NaN where not constant). */
  constantGateValues?: Record<string, Float32Array>;
}

/** A disposable mini-batch; its contents are the task's business. */
export interface TaskBatch {
  dispose(): void;
}

export interface TrainingTask<B extends TaskBatch = TaskBatch> {
  /** e.g. "imdb sparsevd (LCLCCL), LSTM 128". */
  readonly description: string;
  readonly model: Module;
  /** N of the KL term (spec §2.3, in prediction units). */
  readonly trainSize: number;
  /** Quality metric that decides "best" epochs and its direction, e.g. { name: 'accuracy', higherIsBetter: true }. */
  readonly primaryMetric: { name: string; higherIsBetter: boolean };
  stepsPerEpoch(): number;
  /**
   * The mini-batches of one epoch, in order. `random` is the trainer's seeded U[0, 1) stream for this epoch, so that
   * a resumed run draws the same shuffles. Stateful tasks (the word LM) reset their carried state here.
   */
  trainBatches(epoch: number, random: () => number): Iterable<B>;
  /** Train-mode objective of one batch: mean NLL + KL / trainSize. */
  objective(batch: B): tf.Scalar;
  /**
   * Optional: the same objective as its two parts, so that the trainer records them exactly at no extra cost
   * (objective = nll + klPerExample). Without it the trainer estimates the KL part from a few steps per epoch.
   */
  objectiveParts?(batch: B): { nll: tf.Scalar; klPerExample: tf.Scalar };
  /** Eval-mode (masked means) metrics of a split. The trainer switches the model to eval mode around the call. */
  evaluate(split: 'validation' | 'test'): SplitMetrics;
  /** The §7 report of the current parameters. */
  compression(): CompressionReport;
  /** Kept words and gate states for the report. */
  keptStructure(): KeptStructure;
}
