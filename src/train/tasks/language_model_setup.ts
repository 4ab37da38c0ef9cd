// What the char- and word-level LM tasks resolve alike from their options: the model over the corpus vocabulary,
// the batch sizes and KL form with their per-level defaults (§6.2, §6.4), the sparsification method, and the run description.
import type { LanguageModelCorpus } from '../../data/ptb_word.js';
import type { KlForm } from '../../nn/bayes/kl.js';
import { SparseLanguageModel } from '../../nn/sparse_language_model.js';
import { languageModelConfigString } from '../../sparsify/lm_presets.js';
import { resolveL0Options } from '../../nn/bayes/l0_penalty.js';
import type { LanguageModelTaskOptions } from './char_lm_task.js';

/** Per-level defaults: LSTM units, training mini-batch and the corpus name leading the description. */
export interface LanguageModelDefaults {
  level: 'char' | 'word';
  hiddenSize: number;
  batchSize: number;
  taskName: string;
}

export interface LanguageModelSetup {
  model: SparseLanguageModel;
  description: string;
  batchSize: number;
  evalBatchSize: number;
  klForm: KlForm;
}

export function languageModelSetup(corpus: LanguageModelCorpus, options: LanguageModelTaskOptions,
  defaults: LanguageModelDefaults): LanguageModelSetup {
  const V = corpus.vocabulary.tokens.length;
  const H = options.hiddenSize ?? defaults.hiddenSize;
  const batchSize = options.batchSize ?? defaults.batchSize;
  const model = new SparseLanguageModel(V, H, options.preset, {
    level: defaults.level, seed: options.seed, init: options.init, method: options.method, l0: options.l0,
  });
  // SparseVD descriptions are unchanged; an L0 model names its method and lambda after the config string.
  const method = model.lstm.method === 'l0' ? `, l0 lambda ${resolveL0Options(options.l0).lambda}` : '';
  return {
    model,
    description: `${options.taskName ?? defaults.taskName} ${options.preset} (${languageModelConfigString(model.sparsity)}${method}), LSTM ${H}`,
    batchSize,
    evalBatchSize: options.evalBatchSize ?? batchSize,
    klForm: options.klForm ?? 'molchanov',
  };
}
