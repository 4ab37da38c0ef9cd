// The sparsified LSTM text classifier of P2/P3 (spec rnn-sparsification §3.2, §6.2): embedding (optionally scaled
// per word by z_voc) -> one LSTM over left-padded sequences, reading the last h -> dense -> logits. Which parts are
// prunable, plain or absent comes from a preset or config string (src/sparsify/presets.ts); how the prunable ones are
// sparsified (SparseVD by default, L0 hard-concrete gates, or group lasso with scheduled pruning, spec §5) from
// options.method.
import { tf } from '../engine/tf.js';
import type { GateActivation } from '../engine/ops/rnn_options.js';
import { Module } from './module.js';
import { Dense } from './dense.js';
import { assignInit, hostKept, recurrentGroupMasks } from './sparse_parameters.js';
import { Embedding } from './embedding.js';
import { gateBlocksInit, glorotUniformInit, lstmBiasInit, orthogonalInit, seedStream, uniformInit } from './init.js';
import { BayesianDense } from './bayes/bayesian_dense.js';
import { BayesianEmbedding } from './bayes/bayesian_embedding.js';
import { BayesianLSTM } from './bayes/bayesian_lstm.js';
import { BayesianGRU } from './bayes/bayesian_gru.js';
import { L0Dense } from './bayes/l0_dense.js';
import { MaskedDense } from './masked_dense.js';
import { MaskedParameter } from './masked_parameter.js';
import { groupGate, type GroupGateModule } from './bayes/group_gate.js';
import type { KlForm } from './bayes/kl.js';
import { isPrunable, type PrunableSpec, type PrunableTensor } from './bayes/prunable_tensor.js';
import { resolveL0Options, type L0Options } from './bayes/l0_penalty.js';
import type { SparsificationMethod } from '../sparsify/sparsification_method.js';
import { gateCount, groupLassoLayout, type ClassifierTensorName, type GroupLassoLayout } from '../sparsify/group_lasso_layout.js';
import { GroupLassoRegularizer, needsMask, type GroupLassoOptions } from '../sparsify/group_lasso_regularizer.js';
import type { PruningSchedule } from '../sparsify/pruning_schedule.js';
import { sparseSoftmaxCrossEntropy } from '../train/losses.js';
import { resolveClassifierSparsity, type ClassifierSparsity, type WeightKind } from '../sparsify/presets.js';
import { deriveLstmStructure, type LstmGroupMasks, type LstmStructure, type LstmWeightMasks } from '../sparsify/structure.js';
import { compressionReport, type CompressionReport } from '../sparsify/compression.js';
import { deriveGruStructure } from '../sparsify/gru_structure.js';
import { compactTextClassifier, type CompactOptions } from '../sparsify/compact_build.js';
import type { CompactTextClassifier } from '../sparsify/compact_text_classifier.js';

export interface SparseTextClassifierOptions {
  /** The classifiers of the papers use the hard sigmoid (spec §1). */
  gateActivation?: GateActivation;
  seed?: number;
  /**
   * 'spec' (§6.3): embedding U(-0.05, 0.05), W_x^k Glorot-uniform, W_h^k orthogonal with gain 1.1 (per gate block),
   * LSTM bias 0 but the forget gate 1, output Glorot-uniform with b = 0. 'pytorch': the layers' own PyTorch defaults.
   * Default 'spec'.
   */
  init?: 'spec' | 'pytorch';
  /** The recurrent cell: 'lstm' (default) or 'gru' (BayesianGRU with the same groups over its gates r, z, n). */
  cell?: 'lstm' | 'gru';
  /** Binary variational dropout rate p_x on the recurrent layer's inputs (spec §2.5); overrides the preset's. */
  inputDropout?: number;
  /** Binary variational dropout rate p_h on its hidden units; overrides the preset's. */
  hiddenDropout?: number;
  /**
   * How the preset's prunable tensors and groups are sparsified: 'sparsevd' (default; spec §2-§3), 'l0'
   * (hard-concrete gates, spec §5; parameters logAlpha in place of logSigma / mu, the L0 penalty in place of the KL)
   * or 'group-lasso' (spec §5: MaskedParameters theta / mask, no group variables, the group-lasso penalty and pruning
   * events of `pruningSchedule`; every tensor a group spans is masked, even one the preset makes plain).
   */
  method?: SparsificationMethod;
  /** L0 penalty settings (method 'l0'); absent fields take DEFAULT_L0_OPTIONS. */
  l0?: Partial<L0Options>;
  /** Group-lasso lambda and pruning threshold (method 'group-lasso'); absent fields take DEFAULT_GROUP_LASSO_OPTIONS. */
  groupLasso?: Partial<GroupLassoOptions>;
  /**
   * When the group-lasso penalty is on and when the groups and weights are pruned (method 'group-lasso'), by the
   * trainer's global step. Absent: penalty always on, no pruning events (a model loaded for evaluation).
   */
  pruningSchedule?: PruningSchedule | null;
}

/** §6.3 constants of the classification runs. */
const SPEC_EMBEDDING_BOUND = 0.05;
const SPEC_RECURRENT_GAIN = 1.1;
const SPEC_FORGET_BIAS = 1;

export class SparseTextClassifier extends Module {
  readonly sparsity: ClassifierSparsity;
  readonly embedding: BayesianEmbedding | Embedding;
  /** z_voc [V], or null when the config has no vocabulary groups. */
  readonly vocabularyGroups: GroupGateModule | null;
  readonly method: SparsificationMethod;
  /** The recurrent layer (named lstm for checkpoint compatibility; a BayesianGRU when options.cell is 'gru'). */
  readonly lstm: BayesianLSTM | BayesianGRU;
  readonly cell: 'lstm' | 'gru';
  readonly output: BayesianDense | L0Dense | MaskedDense | Dense;
  /**
   * Method 'group-lasso': the penalty over the preset's groups and the scheduled pruning into the masks of the
   * tensors (the trainer reaches it through Module.beforeStep / afterStep). null for the other methods.
   */
  readonly groupLasso: GroupLassoRegularizer | null;

  /** `preset`: a preset name ('dense', 'sparsevd', 'sparsevd-voc', 'w+n', 'w+g+n'), a config string or a parsed config. */
  constructor(readonly vocabSize: number, readonly embeddingDim: number, readonly hiddenSize: number,
    readonly classes: number, preset: string | ClassifierSparsity, options: SparseTextClassifierOptions = {}) {
    super();
    this.sparsity = typeof preset === 'string' ? resolveClassifierSparsity(preset) : { ...preset };
    if (options.inputDropout !== undefined) this.sparsity.inputDropout = options.inputDropout;
    if (options.hiddenDropout !== undefined) this.sparsity.hiddenDropout = options.hiddenDropout;
    const s = this.sparsity;
    const next = seedStream(options.seed ?? Math.floor(Math.random() * 2 ** 31));
    this.method = options.method ?? 'sparsevd';
    const l0 = resolveL0Options(options.l0);
    const spec: PrunableSpec = { method: this.method, l0 };
    this.cell = options.cell ?? 'lstm';
    // Group lasso: the groups are norms over weight slices (no group variables), and every tensor a group spans or
    // magnitude pruning cuts is a MaskedParameter, whatever its preset kind.
    const layout: GroupLassoLayout | null = this.method === 'group-lasso' ? groupLassoLayout({
      vocabSize, inputSize: embeddingDim, hiddenSize, outputSize: classes, gates: gateCount(this.cell),
    }, s) : null;
    const prunable = (kind: WeightKind, ...names: ClassifierTensorName[]): boolean =>
      (layout ? names.some((n) => needsMask(layout, n)) : kind === 'sparsevd');
    const groupsOn = (on: boolean): boolean => on && !layout;
    this.embedding = this.addModule('embedding', prunable(s.embeddingWeights, 'embedding')
      ? new BayesianEmbedding(vocabSize, embeddingDim, next(), spec) : new Embedding(vocabSize, embeddingDim, next()));
    // a word's L0 cost: its embedding row
    this.vocabularyGroups = groupsOn(s.vocabularyGroups) ? this.addModule('vocabularyGroups', groupGate(vocabSize, spec, embeddingDim, next())) : null;
    const rnnConfig = {
      weights: prunable(s.lstmWeights, 'inputWeights', 'hiddenWeights') ? 'sparsevd' as const : 'dense' as const,
      inputGroups: groupsOn(s.neuronGroups), hiddenGroups: groupsOn(s.neuronGroups), gateGroups: groupsOn(s.gateGroups),
      gateActivation: options.gateActivation ?? 'hardSigmoid', seed: next(),
      inputDropout: s.inputDropout, hiddenDropout: s.hiddenDropout, method: this.method, l0,
      // a hidden unit's L0 group cost includes its row of the output layer (spec §5); only L0 reads it (SparseVD's
      // group variables have no cost per weight, group lasso no group gates)
      hiddenFanOut: classes,
    };
    this.lstm = this.cell === 'gru' ? this.addModule('gru', new BayesianGRU(embeddingDim, hiddenSize, rnnConfig))
      : this.addModule('lstm', new BayesianLSTM(embeddingDim, hiddenSize, rnnConfig));
    const prunableOutput = (seed: number): BayesianDense | L0Dense | MaskedDense =>
      (this.method === 'l0' ? new L0Dense(hiddenSize, classes, seed, l0)
        : this.method === 'group-lasso' ? new MaskedDense(hiddenSize, classes, seed) : new BayesianDense(hiddenSize, classes, seed));
    this.output = this.addModule('output', prunable(s.denseWeights, 'outputWeights')
      ? prunableOutput(next()) : new Dense(hiddenSize, classes, 'linear', next()));
    if ((options.init ?? 'spec') === 'spec') this.specInit(next());
    this.groupLasso = layout ? new GroupLassoRegularizer(layout, {
      embedding: maskedOrPlain(this.embedding.table), inputWeights: maskedOrPlain(this.lstm.kernel),
      hiddenWeights: maskedOrPlain(this.lstm.recurrentKernel),
      outputWeights: maskedOrPlain('weight' in this.output ? this.output.weight : this.output.kernel),
    }, options.groupLasso, options.pruningSchedule ?? null) : null;
  }

  /** Overwrites the means / plain weights made by the layers with the §6.3 initialisation; log sigma stays -3. */
  private specInit(seed: number): void {
    const next = seedStream(seed);
    const E = this.embeddingDim, H = this.hiddenSize;
    assignInit(this.embedding.table, uniformInit([this.vocabSize, E], SPEC_EMBEDDING_BOUND, next()));
    const gates = this.lstm.gates;
    assignInit(this.lstm.kernel, gateBlocksInit(gates, (s) => glorotUniformInit([E, H], s), next()));
    assignInit(this.lstm.recurrentKernel, gateBlocksInit(gates, (s) => orthogonalInit([H, H], SPEC_RECURRENT_GAIN, s), next()));
    // the GRU has no forget gate: both its biases start at 0
    assignInit(this.lstm.bias, this.lstm instanceof BayesianGRU ? tf.zeros([gates * H]) : lstmBiasInit(H, SPEC_FORGET_BIAS));
    if (this.lstm instanceof BayesianGRU) assignInit(this.lstm.recurrentBias, tf.zeros([gates * H]));
    const out = 'weight' in this.output ? this.output.weight : this.output.kernel;
    assignInit(out, glorotUniformInit([H, this.classes], next()));
    assignInit(this.output.bias, tf.zeros([this.classes]));
  }

  /**
   * Overwrites the embedding rows that have a pretrained vector (the mean theta of a SparseVD table, or the plain
   * table); the other rows keep their init (§6.3). vectors: row-major [vocabSize, dim] with dim = embeddingDim,
   * e.g. from buildPpmiEmbeddings. Returns the number of rows written. log sigma is left as it is.
   */
  initEmbeddings(vectors: Float32Array, dim: number, rowsWithVector: Uint8Array): number {
    if (dim !== this.embeddingDim) throw new RangeError(`initEmbeddings: vectors have dim ${dim}, the embedding has ${this.embeddingDim}`);
    if (vectors.length !== this.vocabSize * dim || rowsWithVector.length !== this.vocabSize)
      throw new RangeError(`initEmbeddings: expected ${this.vocabSize} x ${dim} vectors and ${this.vocabSize} row flags, got ${vectors.length} values and ${rowsWithVector.length} flags`);
    const table = isPrunable(this.embedding.table) ? this.embedding.table.theta : this.embedding.table;
    const values = Float32Array.from(table.dataSync() as Float32Array);
    let written = 0;
    for (let r = 0; r < this.vocabSize; r++) {
      if (!rowsWithVector[r]) continue;
      values.set(vectors.subarray(r * dim, (r + 1) * dim), r * dim);
      written++;
    }
    assignInit(table, tf.tensor2d(values, [this.vocabSize, dim]));
    return written;
  }

  /**
   * ids: int32 [B, T], left-padded; lengths: int32 [B], the real tokens per sequence. Returns logits [B, classes].
   * Train mode samples the weights once per call and the group variables once per sequence; eval mode is
   * deterministic (masked means).
   */
  logits(ids: tf.Tensor2D, lengths: tf.Tensor1D): tf.Tensor2D {
    return tf.tidy(() => {
      const x = this.embed(ids);
      const { h } = this.lstm.apply(x, { lengths, padding: 'left', returnSequences: false });
      return this.output.apply(h) as tf.Tensor2D;
    });
  }

  /** Embedded rows [B, T, E], each scaled by its sequence's sample of z_voc at that word (spec §3.1, §4). */
  private embed(ids: tf.Tensor2D): tf.Tensor3D {
    const rows = this.embedding.apply(ids) as tf.Tensor3D;
    if (!this.vocabularyGroups) return rows;
    const [B] = ids.shape;
    const perSequence = tf.reshape(this.vocabularyGroups.apply(B), [-1]); // [B * V]
    const offsets = tf.reshape(tf.range(0, B * this.vocabSize, this.vocabSize, 'int32'), [B, 1]); // row starts
    const scale = tf.gather(perSequence, tf.add(tf.cast(ids, 'int32'), offsets)); // [B, T]
    return tf.mul(rows, tf.expandDims(scale, -1));
  }

  /**
   * The regulariser of every prunable tensor and group (0 for the dense preset): the summed KL for SparseVD, the L0
   * penalty (whatever `form`) for L0, the group-lasso penalty (when the schedule has it on) for group lasso. Named kl
   * because the objective is -ELBO / N in the Bayesian case.
   */
  kl(form: KlForm = 'molchanov'): tf.Scalar {
    return tf.tidy(() => {
      const parts: tf.Scalar[] = [this.lstm.kl(form)];
      if (this.embedding instanceof BayesianEmbedding) parts.push(this.embedding.kl(form));
      if (this.vocabularyGroups) parts.push(this.vocabularyGroups.penalty(form));
      if ('weight' in this.output) parts.push(this.output.weight.penalty(form));
      if (this.groupLasso) parts.push(this.groupLasso.penalty());
      return tf.addN(parts) as tf.Scalar;
    });
  }

  /** -ELBO / N (spec §2.3): mean NLL of the batch + KL / trainSize, trainSize = number of training documents. */
  objective(ids: tf.Tensor2D, lengths: tf.Tensor1D, labels: tf.Tensor1D, trainSize: number,
    form: KlForm = 'molchanov'): tf.Scalar {
    if (!(trainSize > 0)) throw new RangeError(`objective: trainSize must be positive, got ${trainSize}`);
    return tf.tidy(() => tf.add(sparseSoftmaxCrossEntropy(this.logits(ids, lengths), labels),
      tf.div(this.kl(form), trainSize)));
  }

  /**
   * The §7 compression report of the current parameters: weight masks keep log alpha < 3 (SparseVD), a nonzero
   * test gate (L0) or the mask's ones (group lasso: pruned groups are zeroed in the masks), plain weights are all
   * kept, group masks likewise, propagated through the §3.3 structure.
   */
  compression(): CompressionReport {
    return compressionReport(this.structure());
  }

  /** The §3.3 kept sets and propagated weight masks of the current parameters (what compression() counts). */
  structure(): LstmStructure {
    const weights: LstmWeightMasks = {
      embedding: hostKept(this.embedding.table),
      inputWeights: hostKept(this.lstm.kernel),
      hiddenWeights: hostKept(this.lstm.recurrentKernel),
      outputWeights: hostKept('weight' in this.output ? this.output.weight : this.output.kernel),
    };
    const groups: LstmGroupMasks = recurrentGroupMasks(this.lstm);
    if (this.vocabularyGroups) groups.vocabulary = hostKept(this.vocabularyGroups);
    const shape = { vocabSize: this.vocabSize, inputSize: this.embeddingDim, hiddenSize: this.hiddenSize, outputSize: this.classes };
    return this.cell === 'gru' ? deriveGruStructure(shape, weights, groups) : deriveLstmStructure(shape, weights, groups);
  }

  /**
   * The inference-only compact model (spec §3.4) of the current eval-mode parameters: pruned words, inputs, neurons
   * and gates removed, group variables folded, constant gates stored as kappa. Its logits equal this model's in eval
   * mode (float rounding aside).
   */
  compact(options: CompactOptions = {}): CompactTextClassifier {
    return compactTextClassifier(this, options);
  }
}

/** A group-lasso tensor: a MaskedParameter where the layout prunes, else a plain parameter. */
function maskedOrPlain(p: PrunableTensor | tf.Variable): MaskedParameter | tf.Variable {
  if (p instanceof MaskedParameter || p instanceof tf.Variable) return p;
  throw new Error('SparseTextClassifier: a group-lasso tensor must be a MaskedParameter or a plain parameter');
}
