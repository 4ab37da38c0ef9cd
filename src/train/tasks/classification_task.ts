// The TrainingTask of the sparse LSTM text classifier (spec §6.1-6.4): shuffled mini-batches of a
// ClassificationDataset, objective = mean NLL + KL / N (N = training documents), accuracy and NLL in eval mode, the
// §7 compression report and the kept words / gate states for the report.
import { tf } from '../../engine/tf.js';
import type { KlForm } from '../../nn/bayes/kl.js';
import type { ClassificationDataset, LabelledSplit } from '../../data/classification_dataset.js';
import type { SparseTextClassifier } from '../../nn/sparse_text_classifier.js';
import { lstmKeptStructure } from './lstm_kept_structure.js';
import { gruKeptStructure } from './gru_kept_structure.js';
import { sparseSoftmaxCrossEntropy } from '../losses.js';
import type { CompressionReport } from '../../sparsify/compression.js';
import type { KeptStructure, SplitMetrics, TaskBatch, TrainingTask } from '../task.js';

/** Spec §6.2: reported classification losses clip the predicted probability to [1e-6, 1 - 1e-6]. */
export const PROBABILITY_CLIP = 1e-6;

export interface ClassificationBatch extends TaskBatch {
  ids: tf.Tensor2D;
  lengths: tf.Tensor1D;
  labels: tf.Tensor1D;
}

export interface ClassificationTaskOptions {
  /** Mini-batch size (spec: 128). */
  batchSize: number;
  /** Documents per evaluation forward pass. Default 500. */
  evalBatchSize?: number;
  /**
   * Text of each embedding id (ids 0..2 are pad / start / OOV), for keptWords; absent: no keptWords. The IMDB and
   * AG News loaders give words of rank r at words[r - 1], i.e. id r + 3 (see vocabularyOfIds).
   */
  idToWord?: (id: number) => string | undefined;
  /** e.g. "imdb sparsevd (LCLCCL), LSTM 128". */
  description: string;
  /** KL form of the objective (spec §2.2). Default 'molchanov'. */
  klForm?: KlForm;
}

export class ClassificationTask implements TrainingTask<ClassificationBatch> {
  readonly description: string;
  readonly trainSize: number;
  readonly primaryMetric = { name: 'accuracy', higherIsBetter: true };
  private readonly batchSize: number;
  private readonly evalBatchSize: number;

  constructor(readonly model: SparseTextClassifier, readonly data: ClassificationDataset, private readonly options: ClassificationTaskOptions) {
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${options.batchSize}`);
    if (data.train.count < 1) throw new Error('ClassificationTask: the training split is empty');
    if (data.vocabularySize > model.vocabSize) throw new Error(`ClassificationTask: the dataset uses ${data.vocabularySize} ids, the model embeds ${model.vocabSize}`);
    for (const [name, split] of Object.entries({ train: data.train, validation: data.validation, test: data.test })) {
      for (const label of split.labels) {
        if (!(label >= 0 && label < model.classes)) throw new Error(`ClassificationTask: ${name} label ${label} is outside 0..${model.classes - 1}`);
      }
    }
    this.description = options.description;
    this.trainSize = data.train.count;
    this.batchSize = options.batchSize;
    this.evalBatchSize = options.evalBatchSize ?? 500;
  }

  stepsPerEpoch(): number {
    return classificationStepsPerEpoch(this.data.train.count, this.batchSize);
  }

  /** A fresh permutation of the training documents (Fisher-Yates on `random`); the last batch may be smaller. */
  *trainBatches(_epoch: number, random: () => number): Iterable<ClassificationBatch> {
    const n = this.data.train.count;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = order[i]; order[i] = order[j]; order[j] = t;
    }
    for (let start = 0; start < n; start += this.batchSize) yield batchOf(this.data.train, order.subarray(start, Math.min(start + this.batchSize, n)));
  }

  objective(batch: ClassificationBatch): tf.Scalar {
    return this.model.objective(batch.ids, batch.lengths, batch.labels, this.trainSize, this.options.klForm);
  }

  /** objective()'s two parts (SparseTextClassifier.objective's arithmetic): mean cross-entropy and KL / N. */
  objectiveParts(batch: ClassificationBatch): { nll: tf.Scalar; klPerExample: tf.Scalar } {
    return tf.tidy(() => ({
      nll: sparseSoftmaxCrossEntropy(this.model.logits(batch.ids, batch.lengths), batch.labels),
      klPerExample: tf.div(this.model.kl(this.options.klForm), this.trainSize) as tf.Scalar,
    }));
  }

  /**
   * accuracy (argmax) and nll: mean -log p(label) with p clipped to [1e-6, 1 - 1e-6] (spec §6.2). Runs on the compact
   * model (equal to the eval-mode model within 1e-5, tested): building it once replaces recomputing the masked
   * 20 003 x 300 embedding for every batch, and its forward skips what is pruned.
   */
  evaluate(split: 'validation' | 'test'): SplitMetrics {
    const data = this.data[split];
    if (data.count === 0) return { accuracy: NaN, nll: NaN };
    const compact = this.model.compact();
    try {
      const L = data.maxLength;
      let correct = 0, nll = 0;
      for (let start = 0; start < data.count; start += this.evalBatchSize) {
        const end = Math.min(start + this.evalBatchSize, data.count);
        const logits = compact.logitsArray(data.ids.subarray(start * L, end * L), data.lengths.subarray(start, end), L);
        const C = logits.length / (end - start);
        for (let i = 0; i < end - start; i++) {
          const row = logits.subarray(i * C, (i + 1) * C);
          const label = data.labels[start + i];
          let best = 0, max = -Infinity;
          for (let c = 0; c < C; c++) if (row[c] > max) { max = row[c]; best = c; }
          let z = 0;
          for (let c = 0; c < C; c++) z += Math.exp(row[c] - max);
          const p = Math.exp(row[label] - max) / z;
          if (best === label) correct++;
          nll -= Math.log(Math.min(Math.max(p, PROBABILITY_CLIP), 1 - PROBABILITY_CLIP));
        }
      }
      return { accuracy: correct / data.count, nll: nll / data.count };
    } finally {
      compact.dispose();
    }
  }

  compression(): CompressionReport {
    return this.model.compression();
  }

  /**
   * keptWords: the text of every kept embedding id (most frequent first), when idToWord is given. gateStates per
   * gate (i, f, g, o for an LSTM; r, z, n for a GRU): 1 computed, 0 constant, -1 neuron removed; constantGateValues:
   * the constants. LSTM: from the §3.3 structure (lstmKeptStructure, shared with the language-model tasks); GRU:
   * from the compact model, where a GRU gate's constancy is decided (gruKeptStructure).
   */
  keptStructure(): KeptStructure {
    const idToWord = this.options.idToWord;
    const tokens = Array.from({ length: this.model.vocabSize }, (_, id) => idToWord?.(id) ?? `#${id}`);
    let out: KeptStructure;
    if (this.model.cell === 'gru') {
      const compact = this.model.compact();
      try {
        out = gruKeptStructure(compact.data, this.model.hiddenSize, tokens);
      } finally {
        compact.dispose();
      }
    } else {
      out = lstmKeptStructure(this.model.structure(), tokens, this.model.lstm.bias.dataSync() as Float32Array, this.model.lstm.gateActivation);
    }
    if (!idToWord) delete out.keptWords;
    return out;
  }
}

/** Mini-batches per epoch of `trainCount` documents (the last batch may be smaller): what a schedule in epochs needs. */
export function classificationStepsPerEpoch(trainCount: number, batchSize: number): number {
  return Math.ceil(trainCount / batchSize);
}

/** Embedding id -> text for the loaders' ids (rank r has id r + indexFrom, words[r - 1]); ids 0-2 are special. */
export function vocabularyOfIds(words: readonly string[], indexFrom = 3): (id: number) => string | undefined {
  const special = ['<pad>', '<s>', '<oov>'];
  return (id) => (id < indexFrom ? special[id] : words[id - indexFrom - 1]);
}

function batchOf(split: LabelledSplit, rows: Int32Array): ClassificationBatch {
  const L = split.maxLength, B = rows.length;
  const ids = new Int32Array(B * L), lengths = new Int32Array(B), labels = new Int32Array(B);
  rows.forEach((r, i) => {
    ids.set(split.ids.subarray(r * L, (r + 1) * L), i * L);
    lengths[i] = split.lengths[r];
    labels[i] = split.labels[r];
  });
  const batch = {
    ids: tf.tensor2d(ids, [B, L], 'int32'),
    lengths: tf.tensor1d(lengths, 'int32'),
    labels: tf.tensor1d(labels, 'int32'),
    dispose: () => tf.dispose([batch.ids, batch.lengths, batch.labels]),
  };
  return batch;
}
