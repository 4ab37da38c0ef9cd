// The per-ensemble record of spec §3: accuracy, NLL and CNLL (setup 1) of the mean of members' softmax probabilities.
import { accuracy, averageProbabilities, negativeLogLikelihood, type ClassScores } from './class_scores.js';
import { calibratedNllAfterAveraging, type CalibratedNllOptions } from './temperature_scaling.js';

export interface EnsembleMetrics {
  accuracy: number;
  nll: number;
  /** Calibrated NLL: temperature after averaging, 2-fold x repeats cross-validation on these rows. */
  cnll: number;
  /** Mean of the fitted temperatures over the folds. */
  temperature: number;
}

export function evaluateEnsemble(memberLogits: readonly ClassScores[], labels: ArrayLike<number>, options: CalibratedNllOptions = {}): EnsembleMetrics {
  const p = averageProbabilities(memberLogits);
  const calibrated = calibratedNllAfterAveraging(p, labels, options);
  return {
    accuracy: accuracy(p, labels),
    nll: negativeLogLikelihood(p, labels),
    cnll: calibrated.cnll,
    temperature: calibrated.folds.reduce((s, f) => s + f.temperature, 0) / calibrated.folds.length,
  };
}
