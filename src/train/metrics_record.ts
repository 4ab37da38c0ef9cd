// One line of a run's metrics.jsonl (written by the trainer after every epoch, read by the report).
import type { CompressionReport } from '../sparsify/compression.js';
import type { SplitMetrics } from './task.js';

export interface EpochRecord {
  epoch: number;
  /** Wall-clock seconds of this epoch's training steps (evaluation excluded). */
  trainSeconds: number;
  /** Mean train objective (NLL + KL/N) over the epoch's steps, and its two parts. */
  trainObjective: number;
  trainNll: number;
  klPerExample: number;
  validation: SplitMetrics;
  test: SplitMetrics;
  compression: CompressionReport;
}
