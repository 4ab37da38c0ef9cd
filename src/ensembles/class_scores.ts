// Ensemble predictions on the host: row-major [rows, classes] score matrices (logits or probabilities), the mean
// of members' softmax probabilities (spec §1.1), accuracy and NLL of the averaged probabilities (spec §3).
export interface ClassScores {
  readonly rows: number;
  readonly classes: number;
  /** Row-major, rows * classes values (e.g. a tensor's dataSync()). */
  readonly values: ArrayLike<number>;
}

/** The probability floor of the spec's NLL (probabilities are clipped at 1e-12 before the log). */
export const NLL_PROBABILITY_CLIP = 1e-12;

/** Wraps row-major values as [values.length / classes, classes], checking the shape. */
export function classScores(values: ArrayLike<number>, classes: number): ClassScores {
  if (!Number.isInteger(classes) || classes < 1) throw new Error(`classScores: classes must be a positive integer, got ${classes}`);
  if (values.length % classes !== 0) throw new Error(`classScores: ${values.length} values are not a multiple of ${classes} classes`);
  return { rows: values.length / classes, classes, values };
}

/** Row-wise softmax(logits / temperature), in float64, max-subtracted. */
export function softmaxRows(logits: ClassScores, temperature = 1): ClassScores {
  const { rows, classes, values } = logits;
  const out = new Float64Array(rows * classes);
  for (let r = 0; r < rows; r++) {
    const o = r * classes;
    let max = -Infinity;
    for (let j = 0; j < classes; j++) max = Math.max(max, values[o + j] / temperature);
    let sum = 0;
    for (let j = 0; j < classes; j++) { const e = Math.exp(values[o + j] / temperature - max); out[o + j] = e; sum += e; }
    for (let j = 0; j < classes; j++) out[o + j] /= sum;
  }
  return { rows, classes, values: out };
}

/** The ensemble prediction: the arithmetic mean over members of softmax(logits). */
export function averageProbabilities(memberLogits: readonly ClassScores[]): ClassScores {
  if (memberLogits.length === 0) throw new Error('averageProbabilities: no members');
  const { rows, classes } = memberLogits[0];
  const mean = new Float64Array(rows * classes);
  memberLogits.forEach((logits, i) => {
    if (logits.rows !== rows || logits.classes !== classes) {
      throw new Error(`averageProbabilities: member ${i} has shape [${logits.rows}, ${logits.classes}], member 0 [${rows}, ${classes}]`);
    }
    const p = softmaxRows(logits).values;
    for (let t = 0; t < mean.length; t++) mean[t] += p[t];
  });
  for (let t = 0; t < mean.length; t++) mean[t] /= memberLogits.length;
  return { rows, classes, values: mean };
}

/** Checks labels against a score matrix: one integer class per row. */
export function checkLabels(scores: ClassScores, labels: ArrayLike<number>, where: string): void {
  if (labels.length !== scores.rows) throw new Error(`${where}: ${labels.length} labels for ${scores.rows} rows`);
  for (let r = 0; r < labels.length; r++) {
    const y = labels[r];
    if (!Number.isInteger(y) || y < 0 || y >= scores.classes) throw new Error(`${where}: label ${r} is ${y}, expected an integer in [0, ${scores.classes})`);
  }
}

/** Fraction of rows whose argmax (first one on ties) is the label. */
export function accuracy(probabilities: ClassScores, labels: ArrayLike<number>): number {
  checkLabels(probabilities, labels, 'accuracy');
  const { rows, classes, values } = probabilities;
  let correct = 0;
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let j = 1; j < classes; j++) if (values[r * classes + j] > values[r * classes + best]) best = j;
    if (best === labels[r]) correct++;
  }
  return correct / rows;
}

/** Mean of -log max(p(y | x), clip) over rows. */
export function negativeLogLikelihood(probabilities: ClassScores, labels: ArrayLike<number>, clip = NLL_PROBABILITY_CLIP): number {
  checkLabels(probabilities, labels, 'negativeLogLikelihood');
  const { rows, classes, values } = probabilities;
  let sum = 0;
  for (let r = 0; r < rows; r++) sum -= Math.log(Math.max(values[r * classes + labels[r]], clip));
  return sum / rows;
}
