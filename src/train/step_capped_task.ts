// A TrainingTask that runs at most `maxSteps` training batches per epoch (smoke runs of a full-size task); everything
// else, the objective's N for the KL included, is the wrapped task's.
import type { tf } from '../engine/tf.js';
import type { CompressionReport } from '../sparsify/compression.js';
import type { KeptStructure, SplitMetrics, TaskBatch, TrainingTask } from './task.js';

export class StepCappedTask<B extends TaskBatch, T extends TrainingTask<B> = TrainingTask<B>> implements TrainingTask<B> {
  readonly objectiveParts?: (batch: B) => { nll: tf.Scalar; klPerExample: tf.Scalar };

  constructor(readonly inner: T, readonly maxSteps: number) {
    if (!Number.isInteger(maxSteps) || maxSteps < 1) throw new RangeError(`StepCappedTask: maxSteps must be a positive integer, got ${maxSteps}`);
    const parts = inner.objectiveParts;
    if (parts) this.objectiveParts = (batch) => parts.call(inner, batch);
  }

  get description(): string { return this.inner.description; }
  get model(): T['model'] { return this.inner.model; }
  get trainSize(): number { return this.inner.trainSize; }
  get primaryMetric(): { name: string; higherIsBetter: boolean } { return this.inner.primaryMetric; }

  stepsPerEpoch(): number {
    return Math.min(this.inner.stepsPerEpoch(), this.maxSteps);
  }

  /** The wrapped task's batches, stopped after maxSteps (its generator is closed, so no later batch is built). */
  *trainBatches(epoch: number, random: () => number): Iterable<B> {
    let steps = 0;
    for (const batch of this.inner.trainBatches(epoch, random)) {
      yield batch;
      if (++steps >= this.maxSteps) return;
    }
  }

  objective(batch: B): tf.Scalar { return this.inner.objective(batch); }
  evaluate(split: 'validation' | 'test'): SplitMetrics { return this.inner.evaluate(split); }
  compression(): CompressionReport { return this.inner.compression(); }
  keptStructure(): KeptStructure { return this.inner.keptStructure(); }
}
