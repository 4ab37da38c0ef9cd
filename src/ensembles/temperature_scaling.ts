// Temperature scaling and calibrated NLL (spec §3, Ashukha et al. 2020). One temperature T > 0 is fitted by
// minimising the NLL of softmax(z / T) with golden-section search on log T: NLL is convex in 1 / T, so it is
// unimodal in log T and the search finds the global minimum inside the bracket (the spec's code uses Nelder-Mead
// from T = 1; any exact 1-D minimiser gives the same T).
import { mulberry32 } from '../train/trainer.js';
import { averageProbabilities, checkLabels, NLL_PROBABILITY_CLIP, type ClassScores } from './class_scores.js';

export interface TemperatureSearch {
  /** Bracket of T (default 0.01 .. 100; a fit at an end means the optimum may lie outside). */
  minTemperature?: number;
  maxTemperature?: number;
  /** Stop when the log-T bracket is narrower than this (default 1e-6). */
  tolerance?: number;
}

export interface TemperatureFit {
  temperature: number;
  /** NLL at that temperature on the rows it was fitted on. */
  nll: number;
}

/** argmin of a unimodal f on [lo, hi] by golden-section search, to a bracket width of `tolerance`. */
export function goldenSectionMinimize(f: (x: number) => number, lo: number, hi: number, tolerance: number): { x: number; value: number } {
  const ratio = (Math.sqrt(5) - 1) / 2;
  let a = lo, b = hi;
  let x1 = b - ratio * (b - a), x2 = a + ratio * (b - a);
  let f1 = f(x1), f2 = f(x2);
  while (b - a > tolerance) {
    if (f1 <= f2) { b = x2; x2 = x1; f2 = f1; x1 = b - ratio * (b - a); f1 = f(x1); }
    else { a = x1; x1 = x2; f1 = f2; x2 = a + ratio * (b - a); f2 = f(x2); }
  }
  const x = (a + b) / 2;
  return { x, value: f(x) };
}

/** Mean NLL of softmax(logits / T) over `rows` (default all), by log-sum-exp. */
export function nllAtTemperature(logits: ClassScores, labels: ArrayLike<number>, temperature: number, rows?: ArrayLike<number>): number {
  const { classes, values } = logits;
  const count = rows ? rows.length : logits.rows;
  let sum = 0;
  for (let i = 0; i < count; i++) {
    const r = rows ? rows[i] : i, o = r * classes;
    let max = -Infinity;
    for (let j = 0; j < classes; j++) max = Math.max(max, values[o + j] / temperature);
    let s = 0;
    for (let j = 0; j < classes; j++) s += Math.exp(values[o + j] / temperature - max);
    sum += max + Math.log(s) - values[o + labels[r]] / temperature;
  }
  return sum / count;
}

function searchTemperature(objective: (t: number) => number, search: TemperatureSearch): TemperatureFit {
  const lo = search.minTemperature ?? 0.01, hi = search.maxTemperature ?? 100;
  if (!(lo > 0 && hi > lo)) throw new Error(`temperature search: need 0 < minTemperature < maxTemperature, got ${lo} .. ${hi}`);
  const best = goldenSectionMinimize((logT) => objective(Math.exp(logT)), Math.log(lo), Math.log(hi), search.tolerance ?? 1e-6);
  return { temperature: Math.exp(best.x), nll: best.value };
}

/** The temperature minimising the NLL of softmax(logits / T) on the given rows (default all). */
export function fitTemperature(logits: ClassScores, labels: ArrayLike<number>, search: TemperatureSearch = {}, rows?: ArrayLike<number>): TemperatureFit {
  checkLabels(logits, labels, 'fitTemperature');
  return searchTemperature((t) => nllAtTemperature(logits, labels, t, rows), search);
}

/** Log of the averaged probabilities, clipped: the logits that setup 1 ("temperature after averaging") scales. */
export function logProbabilities(probabilities: ClassScores, clip = NLL_PROBABILITY_CLIP): ClassScores {
  const out = Float64Array.from(probabilities.values, (p) => Math.log(Math.max(p, clip)));
  return { rows: probabilities.rows, classes: probabilities.classes, values: out };
}

/** Fit T on a validation split, report the NLL of softmax(test logits / T) on the test split. */
export function temperatureScaledNll(validationLogits: ClassScores, validationLabels: ArrayLike<number>, testLogits: ClassScores, testLabels: ArrayLike<number>, search: TemperatureSearch = {}): TemperatureFit {
  const { temperature } = fitTemperature(validationLogits, validationLabels, search);
  checkLabels(testLogits, testLabels, 'temperatureScaledNll');
  return { temperature, nll: nllAtTemperature(testLogits, testLabels, temperature) };
}

export interface CalibratedNllOptions extends TemperatureSearch {
  /** Random shufflings of the rows (default 5). */
  repeats?: number;
  /** Seed of the shufflings (default 0). */
  seed?: number;
}

export interface CalibratedNll {
  /** Mean of the 2 x repeats held-out NLLs. */
  cnll: number;
  /** Each held-out half's NLL and the temperature fitted on the other half, in order. */
  folds: { temperature: number; nll: number }[];
}

/**
 * Spec §3 CNLL by 2-fold cross-validation on one labelled set: shuffle, split in halves, fit T on one half and score
 * the other, swap; repeat `repeats` times; average the held-out NLLs. `logits` are what gets scaled: for setup 1
 * (the spec's default) pass logProbabilities(averaged probabilities), see calibratedNllAfterAveraging.
 */
export function calibratedNll(logits: ClassScores, labels: ArrayLike<number>, options: CalibratedNllOptions = {}): CalibratedNll {
  checkLabels(logits, labels, 'calibratedNll');
  if (logits.rows < 2) throw new Error(`calibratedNll: needs at least 2 rows, got ${logits.rows}`);
  const random = mulberry32(options.seed ?? 0);
  const folds: CalibratedNll['folds'] = [];
  for (let rep = 0; rep < (options.repeats ?? 5); rep++) {
    const order = Array.from({ length: logits.rows }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) { const j = Math.floor(random() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
    const half = Math.floor(order.length / 2);
    const halves = [order.slice(0, half), order.slice(half)];
    for (const [fit, score] of [[0, 1], [1, 0]]) {
      const { temperature } = searchTemperature((t) => nllAtTemperature(logits, labels, t, halves[fit]), options);
      folds.push({ temperature, nll: nllAtTemperature(logits, labels, temperature, halves[score]) });
    }
  }
  return { cnll: folds.reduce((s, f) => s + f.nll, 0) / folds.length, folds };
}

/** Setup 1: calibrated probabilities = softmax(log(p_bar) / T). */
export function calibratedNllAfterAveraging(probabilities: ClassScores, labels: ArrayLike<number>, options: CalibratedNllOptions = {}): CalibratedNll {
  return calibratedNll(logProbabilities(probabilities), labels, options);
}

/** Setup 2 ("before averaging"): one shared T, p = mean_i softmax(z_i / T); fitted on all given rows. */
export function fitSharedTemperature(memberLogits: readonly ClassScores[], labels: ArrayLike<number>, search: TemperatureSearch = {}): TemperatureFit {
  if (memberLogits.length === 0) throw new Error('fitSharedTemperature: no members');
  checkLabels(memberLogits[0], labels, 'fitSharedTemperature');
  const scaled = (t: number): ClassScores[] => memberLogits.map((m) => ({ rows: m.rows, classes: m.classes, values: Float64Array.from(m.values, (v) => v / t) }));
  return searchTemperature((t) => {
    const p = averageProbabilities(scaled(t));
    let sum = 0;
    for (let r = 0; r < p.rows; r++) sum -= Math.log(Math.max(p.values[r * p.classes + labels[r]], NLL_PROBABILITY_CLIP));
    return sum / p.rows;
  }, search);
}
