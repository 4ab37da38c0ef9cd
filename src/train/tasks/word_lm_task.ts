// Word-level PTB language modelling as a TrainingTask (spec rnn-sparsification §6.1-§6.4, §7): the stream in 32
// columns with BPTT windows of 35, stateful across batches (reset per epoch and before evaluation), one-hot LSTM LM
// with gathered W_x rows and a sampled (no-LRT) output layer, objective mean NLL per predicted word + KL / N with
// N = train tokens - 32, metrics perplexity = exp(mean per-token NLL) and that NLL.
import { tf } from '../../engine/tf.js';
import type { TokenBatch } from '../../data/lm_token_batch.js';
import type { LanguageModelCorpus } from '../../data/ptb_word.js';
import { wordBatchCount, wordStreamBatches, WORD_LM_BPTT } from '../../data/word_lm_stream.js';
import type { KlForm } from '../../nn/bayes/kl.js';
import { SparseLanguageModel, type LanguageModelState } from '../../nn/sparse_language_model.js';
import type { CompressionReport } from '../../sparsify/compression.js';
import type { KeptStructure, SplitMetrics, TrainingTask } from '../task.js';
import { modelKeptStructure, type LanguageModelTaskOptions } from './char_lm_task.js';
import { languageModelSetup } from './language_model_setup.js';

export class WordLmTask implements TrainingTask<TokenBatch> {
  readonly description: string;
  readonly model: SparseLanguageModel;
  readonly trainSize: number;
  readonly primaryMetric = { name: 'perplexity', higherIsBetter: false };
  /** Parallel columns of the training stream (§6.4: 32). */
  readonly columns: number;
  readonly evalColumns: number;
  private readonly klForm: KlForm;
  /** The training state carried from batch to batch (null = zeros). */
  private state: LanguageModelState | null = null;
  /** Last batch's state, still an input of that batch's recorded gradient: freed on the next call. */
  private retired: LanguageModelState | null = null;

  constructor(readonly corpus: LanguageModelCorpus, options: LanguageModelTaskOptions, readonly bptt = WORD_LM_BPTT) {
    const columns = options.batchSize ?? 32;
    if (wordBatchCount(corpus.train.length, columns, bptt) < 1) throw new Error(`word LM: the training split has ${corpus.train.length} tokens, too few for ${columns} columns`);
    ({ model: this.model, description: this.description, batchSize: this.columns, evalBatchSize: this.evalColumns, klForm: this.klForm } =
      languageModelSetup(corpus, options, { level: 'word', hiddenSize: 256, batchSize: columns, taskName: 'word-ptb' }));
    this.trainSize = corpus.train.length - this.columns;
  }

  stepsPerEpoch(): number {
    return wordBatchCount(this.corpus.train.length, this.columns, this.bptt);
  }

  /** The windows in order; the carried state is reset to zeros when the epoch starts. */
  *trainBatches(_epoch: number, _random: () => number): Iterable<TokenBatch> {
    this.resetState();
    yield* wordStreamBatches(this.corpus.train, this.columns, this.bptt);
  }

  /** Starts from the carried state and carries this batch's final h, c (detached: truncated BPTT) to the next. */
  objective(batch: TokenBatch): tf.Scalar {
    return tf.tidy(() => {
      const { nll, klPerExample } = this.objectiveParts(batch);
      return tf.add(nll, klPerExample) as tf.Scalar;
    });
  }

  /** Mean NLL per predicted word and KL / N; like objective, it advances the carried state (call one of them per batch). */
  objectiveParts(batch: TokenBatch): { nll: tf.Scalar; klPerExample: tf.Scalar } {
    this.disposeRetired();
    const out = tf.tidy(() => {
      const r = this.model.forward(batch.inputs, this.state ?? undefined);
      const nll = SparseLanguageModel.meanNll(r.logits, batch.targets);
      const klPerExample = tf.div(this.model.kl(this.klForm), this.trainSize) as tf.Scalar;
      return { nll, klPerExample, next: { h: detached(r.h), c: detached(r.c) } };
    });
    this.retired = this.state;
    this.state = out.next;
    return { nll: out.nll, klPerExample: out.klPerExample };
  }

  /** Zeros the carried training state (the start of an epoch). */
  resetState(): void {
    this.disposeRetired();
    if (this.state) { this.state.h.dispose(); this.state.c.dispose(); }
    this.state = null;
  }

  /** The current carried state (null = zeros), for inspection. */
  carriedState(): LanguageModelState | null {
    return this.state;
  }

  /** { perplexity, nll }: exp of the mean per-token NLL over the split, run statefully from zero state. */
  evaluate(split: 'validation' | 'test'): SplitMetrics {
    const tokens = split === 'validation' ? this.corpus.valid : this.corpus.test;
    let state: LanguageModelState | null = null;
    let sum = 0, count = 0;
    try {
      for (const batch of wordStreamBatches(tokens, this.evalColumns, this.bptt)) {
        try {
          const { mean, next } = tf.tidy(() => {
            const r = this.model.forward(batch.inputs, state ?? undefined);
            return { mean: SparseLanguageModel.meanNll(r.logits, batch.targets), next: { h: r.h, c: r.c } };
          });
          if (state) { state.h.dispose(); state.c.dispose(); }
          state = next;
          sum += mean.dataSync()[0] * batch.targets.size;
          count += batch.targets.size;
          mean.dispose();
        } finally {
          batch.dispose();
        }
      }
    } finally {
      const last = state as LanguageModelState | null;
      if (last) { last.h.dispose(); last.c.dispose(); }
    }
    if (count === 0) throw new Error(`word LM: the ${split} split has ${tokens.length} tokens, too few for ${this.evalColumns} columns`);
    const nll = sum / count;
    return { perplexity: Math.exp(nll), nll };
  }

  compression(): CompressionReport {
    return this.model.compression();
  }

  keptStructure(): KeptStructure {
    return modelKeptStructure(this.model, this.corpus.vocabulary.tokens);
  }

  private disposeRetired(): void {
    if (this.retired) { this.retired.h.dispose(); this.retired.c.dispose(); }
    this.retired = null;
  }
}

/** A copy of t's values with no gradient history, kept out of every enclosing tidy (the trainer's included). */
function detached(t: tf.Tensor2D): tf.Tensor2D {
  return tf.keep(tf.tensor2d(t.dataSync() as Float32Array, t.shape, 'float32'));
}
