// The sparsified one-hot LSTM language models of P2/P3 (spec rnn-sparsification §3.2, §6.2): one-hot input (no
// embedding; z_x is then a vocabulary variable) -> one LSTM with logistic-sigmoid gates -> output layer -> logits
// over the vocabulary at every step. Which parts are SparseVD, plain or absent comes from an LM preset or config
// string (src/sparsify/lm_presets.ts). The output layer follows §2.4: per-sequence LRT noise for the char LM, one
// weight sample per mini-batch for the word LM. options.method 'l0' gates the same parts with hard-concrete L0 gates
// (spec §5): one weight-gate sample per mini-batch (the output layer's too, at both levels), group gates per sequence,
// and a hidden unit's group cost counts its W_h row and its output row.
import { tf } from '../engine/tf.js';
import { lstmSequence } from '../engine/ops/lstm_sequence.js';
import type { LstmSequenceResult } from '../engine/ops/rnn_options.js';
import { Module } from './module.js';
import { Dense } from './dense.js';
import { assignInit, hostKept, recurrentGroupMasks } from './sparse_parameters.js';
import { gateBlocksInit, lstmBiasInit, orthogonalInit, seedStream } from './init.js';
import { BayesianLSTM } from './bayes/bayesian_lstm.js';
import { BayesianSampledDense } from './bayes/bayesian_sampled_dense.js';
import { BayesianSequenceDense } from './bayes/bayesian_sequence_dense.js';
import { L0Dense } from './bayes/l0_dense.js';
import { L0Tensor } from './bayes/l0_tensor.js';
import type { KlForm } from './bayes/kl.js';
import { gatherUsedRows, isPrunable, type PrunableTensor } from './bayes/prunable_tensor.js';
import { resolveL0Options, type L0Options } from './bayes/l0_penalty.js';
import type { SparsificationMethod } from '../sparsify/sparsification_method.js';
import { sparseSoftmaxCrossEntropy } from '../train/losses.js';
import { resolveLanguageModelSparsity, type LanguageModelSparsity } from '../sparsify/lm_presets.js';
import { deriveLstmStructure, type LstmStructure, type LstmWeightMasks } from '../sparsify/structure.js';
import { compressionReport, type CompressionReport } from '../sparsify/compression.js';

/** 'char': per-sequence LRT output noise, forget bias 0; 'word': sampled output weights, forget bias 1 (§2.4, §6.3). */
export type LanguageModelLevel = 'char' | 'word';

/**
 * How the one-hot input reaches the LSTM. 'oneHot': a dense [B, T, V] one-hot through the fused op's input GEMM
 * (cheap for V = 50). 'gather': the rows of the sampled W_x picked by the ids (times z_x at that word), fed to the
 * fused op as its precomputed input projection (kernel null): no [B, T, V] x [V, 4H] product for V = 10 000.
 */
export type OneHotInputPath = 'oneHot' | 'gather';

export interface SparseLanguageModelOptions {
  level: LanguageModelLevel;
  seed?: number;
  /** 'spec' (§6.3 LM): orthogonal W_x, W_h (per gate block) and output, biases 0 but forget bias 0 (char) / 1 (word). */
  init?: 'spec' | 'pytorch';
  /** Default: 'oneHot' for char, 'gather' for word. Both compute the same function. */
  inputPath?: OneHotInputPath;
  /** 'sparsevd' (default) or 'l0' (hard-concrete gates on the same tensors and groups, spec §5). */
  method?: SparsificationMethod;
  /** L0 penalty settings (method 'l0'); absent fields take DEFAULT_L0_OPTIONS. */
  l0?: Partial<L0Options>;
}

/** Carried LSTM state of a stateful LM (the word LM): the previous batch's last h and c, [B, H] each. */
export interface LanguageModelState {
  h: tf.Tensor2D;
  c: tf.Tensor2D;
}

export interface LanguageModelOutput extends LstmSequenceResult {
  /** [B, T, V] next-token logits. */
  logits: tf.Tensor3D;
}

export class SparseLanguageModel extends Module {
  readonly sparsity: LanguageModelSparsity;
  readonly level: LanguageModelLevel;
  readonly inputPath: OneHotInputPath;
  readonly lstm: BayesianLSTM;
  readonly output: BayesianSequenceDense | BayesianSampledDense | L0Dense | Dense;

  /** `preset`: a preset name ('dense', 'sparsevd', 'sparsevd-voc', 'w+n', 'w+g+n'), an LM config string or a parsed config. */
  constructor(readonly vocabSize: number, readonly hiddenSize: number, preset: string | LanguageModelSparsity,
    options: SparseLanguageModelOptions) {
    super();
    if (!(vocabSize > 0 && hiddenSize > 0)) throw new RangeError(`SparseLanguageModel: vocabSize and hiddenSize must be positive, got ${vocabSize}, ${hiddenSize}`);
    // group lasso's groups span the classifier's four tensors (group_lasso_layout.ts); no LM layout exists yet
    checkLanguageModelMethod(options.method ?? 'sparsevd');
    this.sparsity = typeof preset === 'string' ? resolveLanguageModelSparsity(preset) : { ...preset };
    this.level = options.level;
    this.inputPath = options.inputPath ?? (this.level === 'char' ? 'oneHot' : 'gather');
    const s = this.sparsity;
    const next = seedStream(options.seed ?? Math.floor(Math.random() * 2 ** 31));
    this.lstm = this.addModule('lstm', new BayesianLSTM(vocabSize, hiddenSize, {
      weights: s.lstmWeights, inputGroups: s.inputGroups, hiddenGroups: s.hiddenGroups, gateGroups: s.gateGroups,
      gateActivation: 'sigmoid', seed: next(), method: options.method, l0: options.l0, hiddenFanOut: vocabSize,
    }));
    const outputSeed = next();
    this.output = this.addModule('output', s.outputWeights === 'dense'
      ? new Dense(hiddenSize, vocabSize, 'linear', outputSeed)
      : options.method === 'l0' ? new L0Dense(hiddenSize, vocabSize, outputSeed, resolveL0Options(options.l0))
      : this.level === 'char' ? new BayesianSequenceDense(hiddenSize, vocabSize, outputSeed)
        : new BayesianSampledDense(hiddenSize, vocabSize, outputSeed));
    if ((options.init ?? 'spec') === 'spec') this.specInit(next());
  }

  /** §6.3 LM: orthogonal (gain 1) W_x^k, W_h^k and output, biases 0 but the forget gate 0 (char) / 1 (word); log sigma stays -3. */
  private specInit(seed: number): void {
    const next = seedStream(seed);
    const V = this.vocabSize, H = this.hiddenSize;
    assignInit(this.lstm.kernel, gateBlocksInit(4, (s) => orthogonalInit([V, H], 1, s), next()));
    assignInit(this.lstm.recurrentKernel, gateBlocksInit(4, (s) => orthogonalInit([H, H], 1, s), next()));
    assignInit(this.lstm.bias, lstmBiasInit(H, this.level === 'char' ? 0 : 1));
    assignInit(this.outputKernel(), orthogonalInit([H, V], 1, next()));
    assignInit(this.output.bias, tf.zeros([V]));
  }

  private outputKernel(): PrunableTensor | tf.Variable {
    return this.output instanceof Dense ? this.output.kernel : this.output.weight;
  }

  /**
   * ids: int32 [B, T]. Returns the logits [B, T, V] and the LSTM's output and final h, c. `state` (the stateful word
   * LM) gives h0, c0. Train mode samples the weights once per call and the group variables once per sequence; eval
   * mode is deterministic (masked means).
   */
  forward(ids: tf.Tensor2D, state?: LanguageModelState): LanguageModelOutput {
    const [logits, output, h, c] = tf.tidy(() => {
      const options = state ? { h0: state.h, c0: state.c } : {};
      const r = this.inputPath === 'oneHot'
        ? this.lstm.apply(tf.cast(tf.oneHot(tf.cast(ids, 'int32'), this.vocabSize), 'float32') as tf.Tensor3D, options)
        : this.gatherLstm(ids, state);
      const y = this.output.apply(r.output as tf.Tensor3D) as tf.Tensor3D;
      return [y, r.output, r.h, r.c];
    });
    return { logits: logits as tf.Tensor3D, output, h: h as tf.Tensor2D, c: c as tf.Tensor2D };
  }

  /**
   * The LSTM over gathered rows of the (sampled) W_x, each scaled by its sequence's z_x sample at that word. It
   * draws what BayesianRecurrent.draw does for the groups this model configures (this model adds no dropout).
   */
  private gatherLstm(ids: tf.Tensor2D, state?: LanguageModelState): LstmSequenceResult {
    const [B, T] = ids.shape;
    const V = this.vocabSize, G = 4 * this.hiddenSize;
    const flatIds = tf.reshape(tf.cast(ids, 'int32'), [B * T]) as tf.Tensor1D;
    let rows = tf.reshape(this.inputRows(flatIds), [B, T, G]) as tf.Tensor3D;
    if (this.lstm.inputGroups) {
      const perSequence = tf.reshape(this.lstm.inputGroups.apply(B), [B * V]);
      const offsets = tf.reshape(tf.range(0, B * V, V, 'int32'), [B, 1]);
      const scale = tf.gather(perSequence, tf.add(tf.cast(ids, 'int32'), offsets)); // [B, T]
      rows = tf.mul(rows, tf.expandDims(scale, -1));
    }
    const masks: { hiddenMask?: tf.Tensor2D; gateMask?: tf.Tensor2D } = {};
    if (this.lstm.hiddenGroups) masks.hiddenMask = this.lstm.hiddenGroups.apply(B);
    if (this.lstm.gateGroups) masks.gateMask = this.lstm.gateGroups.apply(B);
    return lstmSequence(rows, null, weightOf(this.lstm.recurrentKernel, this.training),
      this.lstm.bias as tf.Tensor1D, { ...masks, h0: state?.h, c0: state?.c, gateActivation: 'sigmoid' });
  }

  /**
   * The rows of the (drawn) W_x for flat ids [n] -> [n, 4H]. An L0 kernel draws its gates for the distinct ids only,
   * once each, so every occurrence of a word in the mini-batch shares one sample (rows no id uses cannot affect the
   * output). SparseVD keeps its full-kernel draw: the same distribution, and its noise stream (so its runs) unchanged.
   */
  private inputRows(flatIds: tf.Tensor1D): tf.Tensor2D {
    const kernel = this.lstm.kernel;
    if (kernel instanceof L0Tensor) return gatherUsedRows(kernel, flatIds, this.training) as tf.Tensor2D;
    return tf.gather(weightOf(kernel, this.training), flatIds);
  }

  /** Sum of the regulariser of every prunable tensor and group: SparseVD KL or L0 penalty (0 for the dense preset). */
  kl(form: KlForm = 'molchanov'): tf.Scalar {
    return tf.tidy(() => {
      const parts: tf.Scalar[] = [this.lstm.kl(form)];
      if (!(this.output instanceof Dense)) parts.push(this.output.weight.penalty(form));
      return tf.addN(parts) as tf.Scalar;
    });
  }

  /** Mean NLL per predicted token (nats) of targets int32 [B, T] given the logits. */
  static meanNll(logits: tf.Tensor3D, targets: tf.Tensor2D): tf.Scalar {
    return sparseSoftmaxCrossEntropy(logits, tf.cast(targets, 'int32')) as tf.Scalar;
  }

  /** The §3.3 structure of the current parameters (kept inputs = kept vocabulary entries). */
  structure(): LstmStructure {
    const weights: LstmWeightMasks = {
      inputWeights: hostKept(this.lstm.kernel),
      hiddenWeights: hostKept(this.lstm.recurrentKernel),
      outputWeights: hostKept(this.outputKernel()),
    };
    const groups = recurrentGroupMasks(this.lstm);
    const V = this.vocabSize;
    return deriveLstmStructure({ vocabSize: V, inputSize: V, hiddenSize: this.hiddenSize, outputSize: V }, weights, groups);
  }

  /** The §7 compression report of the current parameters. */
  compression(): CompressionReport {
    return compressionReport(this.structure());
  }
}

/** The methods the language models are built for. */
export const LANGUAGE_MODEL_METHODS: readonly SparsificationMethod[] = ['sparsevd', 'l0'];

/** Throws unless the language models support `method` (group lasso is wired into the text classifier only). */
export function checkLanguageModelMethod(method: SparsificationMethod): void {
  if (!LANGUAGE_MODEL_METHODS.includes(method)) {
    throw new Error(`method: "${method}" applies to the classification tasks only; the language models take ${LANGUAGE_MODEL_METHODS.join(' or ')}`);
  }
}

function weightOf(k: PrunableTensor | tf.Variable, training: boolean): tf.Tensor2D {
  return (isPrunable(k) ? k.weight(training) : k) as tf.Tensor2D;
}
