// Char-level PTB language modelling as a TrainingTask (spec rnn-sparsification §6.1-§6.4, §7): windows of 100
// characters (99 predictions each) with a random offset and shuffle per epoch, one-hot LSTM LM, objective
// mean NLL per predicted character + KL / N with N = windows x 99, metric bits per character on offset-0 windows.
import { tf } from '../../engine/tf.js';
import { charBatchCount, charEvalBatches, charTrainBatches, charWindowCount, CHAR_WINDOW_LENGTH } from '../../data/char_lm_windows.js';
import type { TokenBatch } from '../../data/lm_token_batch.js';
import type { LanguageModelCorpus } from '../../data/ptb_word.js';
import type { KlForm } from '../../nn/bayes/kl.js';
import type { L0Options } from '../../nn/bayes/l0_penalty.js';
import type { SparsificationMethod } from '../../sparsify/sparsification_method.js';
import { SparseLanguageModel } from '../../nn/sparse_language_model.js';
import type { CompressionReport } from '../../sparsify/compression.js';
import type { KeptStructure, SplitMetrics, TrainingTask } from '../task.js';
import { lstmKeptStructure } from './lstm_kept_structure.js';
import { languageModelSetup } from './language_model_setup.js';

export interface LanguageModelTaskOptions {
  /** Preset name ('dense', 'sparsevd', 'sparsevd-voc', 'w+n', 'w+g+n') or 4-character LM config string. */
  preset: string;
  /** LSTM units (§6.2: 1000 char, 256 word). */
  hiddenSize?: number;
  /** Training mini-batch (§6.4: 64 char, 32 word columns). */
  batchSize?: number;
  /** Evaluation mini-batch (default: batchSize). */
  evalBatchSize?: number;
  seed?: number;
  klForm?: KlForm;
  init?: 'spec' | 'pytorch';
  /** Corpus name leading the description (default char-ptb / word-ptb). */
  taskName?: string;
  /** How the preset's prunable parts are sparsified: 'sparsevd' (default) or 'l0' (spec §5). */
  method?: SparsificationMethod;
  /** L0 penalty settings (method 'l0'); absent fields take DEFAULT_L0_OPTIONS. */
  l0?: Partial<L0Options>;
}

export class CharLmTask implements TrainingTask<TokenBatch> {
  readonly description: string;
  readonly model: SparseLanguageModel;
  readonly trainSize: number;
  readonly primaryMetric = { name: 'bpc', higherIsBetter: false };
  readonly batchSize: number;
  readonly evalBatchSize: number;
  private readonly klForm: KlForm;

  constructor(readonly corpus: LanguageModelCorpus, options: LanguageModelTaskOptions, readonly window = CHAR_WINDOW_LENGTH) {
    const windows = charWindowCount(corpus.train.length, window);
    if (windows < 1) throw new Error(`char LM: the training split has ${corpus.train.length} characters, fewer than two windows of ${window}`);
    this.trainSize = windows * (window - 1);
    ({ model: this.model, description: this.description, batchSize: this.batchSize, evalBatchSize: this.evalBatchSize, klForm: this.klForm } =
      languageModelSetup(corpus, options, { level: 'char', hiddenSize: 1000, batchSize: 64, taskName: 'char-ptb' }));
  }

  stepsPerEpoch(): number {
    return charBatchCount(this.corpus.train.length, this.batchSize, this.window);
  }

  trainBatches(_epoch: number, random: () => number): Iterable<TokenBatch> {
    return charTrainBatches(this.corpus.train, this.batchSize, random, this.window);
  }

  objective(batch: TokenBatch): tf.Scalar {
    return tf.tidy(() => {
      const { nll, klPerExample } = this.objectiveParts(batch);
      return tf.add(nll, klPerExample) as tf.Scalar;
    });
  }

  /** Mean NLL per predicted character and KL / N, the two parts of the objective. */
  objectiveParts(batch: TokenBatch): { nll: tf.Scalar; klPerExample: tf.Scalar } {
    const [nll, klPerExample] = tf.tidy(() => {
      const { logits } = this.model.forward(batch.inputs);
      return [SparseLanguageModel.meanNll(logits, batch.targets), tf.div(this.model.kl(this.klForm), this.trainSize) as tf.Scalar];
    });
    return { nll, klPerExample };
  }

  /** { bpc }: mean natural-log cross-entropy per predicted character / ln 2 over the split's offset-0 windows. */
  evaluate(split: 'validation' | 'test'): SplitMetrics {
    const tokens = split === 'validation' ? this.corpus.valid : this.corpus.test;
    const { sum, count } = sumNll(this.model, charEvalBatches(tokens, this.evalBatchSize, this.window));
    if (count === 0) throw new Error(`char LM: the ${split} split has ${tokens.length} characters, fewer than two windows of ${this.window}`);
    return { bpc: sum / count / Math.LN2 };
  }

  compression(): CompressionReport {
    return this.model.compression();
  }

  keptStructure(): KeptStructure {
    return modelKeptStructure(this.model, this.corpus.vocabulary.tokens);
  }
}

/** Summed NLL (nats) and token count over batches, stateless; each batch is disposed. */
export function sumNll(model: SparseLanguageModel, batches: Iterable<TokenBatch>): { sum: number; count: number } {
  let sum = 0, count = 0;
  for (const batch of batches) {
    try {
      const mean = tf.tidy(() => SparseLanguageModel.meanNll(model.forward(batch.inputs).logits, batch.targets));
      sum += mean.dataSync()[0] * batch.targets.size;
      count += batch.targets.size;
      mean.dispose();
    } finally {
      batch.dispose();
    }
  }
  return { sum, count };
}

export function modelKeptStructure(model: SparseLanguageModel, tokens: readonly string[]): KeptStructure {
  return lstmKeptStructure(model.structure(), tokens, model.lstm.bias.dataSync(), model.lstm.gateActivation);
}
