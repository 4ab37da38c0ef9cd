// Shared machinery of the Bayesian recurrent layers (spec §2.4, §2.6, §3.1): the input and recurrent kernels as
// prunable tensors (SparseVD, or L0 gates per spec §5) or plain point estimates, a point-estimate bias, and optional
// group variables (or L0 group gates) on the inputs, the hidden units and the gate pre-activations. The subclasses only choose the fused sequence op.
import { tf } from '../../engine/tf.js';
import type { GateActivation, RnnSequenceOptions } from '../../engine/ops/rnn_options.js';
import { Module } from '../module.js';
import { seedStream, uniformInit } from '../init.js';
import { BinaryDropout, combineMasks } from '../binary_dropout.js';
import type { KlForm } from './kl.js';
import { groupGate, type GroupGateModule } from './group_gate.js';
import { createPrunableTensor, isPrunable, type PrunableSpec, type PrunableTensor } from './prunable_tensor.js';
import { resolveL0Options, type L0Options } from './l0_penalty.js';
import type { SparsificationMethod } from '../../sparsify/sparsification_method.js';

/**
 * 'sparsevd': prunable kernels (the "L" weight option; SparseVD unless `method` says otherwise); 'dense': plain
 * learnable kernels with no regulariser ("D").
 */
export type RecurrentWeightKind = 'sparsevd' | 'dense';

export interface BayesianRecurrentConfig {
  weights: RecurrentWeightKind;
  /**
   * How the prunable kernels and the groups are sparsified: 'sparsevd' (default), 'l0' (hard-concrete gates) or
   * 'group-lasso' (masked point-estimate kernels, no group variables: the owning model handles the groups).
   */
  method?: SparsificationMethod;
  /** L0 penalty settings (method 'l0'); defaults DEFAULT_L0_OPTIONS. */
  l0?: Partial<L0Options>;
  /** z_x: one group variable per input feature (or vocabulary entry for one-hot inputs). */
  inputGroups?: boolean;
  /** z_h: one group variable per hidden unit, multiplied into h_t. */
  hiddenGroups?: boolean;
  /**
   * Weights each hidden unit feeds in the layer that reads h_t (its row of the next layer; the owner knows it, the
   * layer does not). Added to z_h's L0 group cost, which spec §5 defines as the unit's W_h row plus that row. Default 0.
   */
  hiddenFanOut?: number;
  /** z_gate: one group variable per gate pre-activation (gates x hidden units); the bias stays outside. */
  gateGroups?: boolean;
  gateActivation?: GateActivation;
  seed?: number;
  /**
   * Binary variational dropout (Gal & Ghahramani; spec §2.5) rate p_x on the layer input x_t: one Bernoulli(1 - p)
   * / (1 - p) mask per sequence, shared by all timesteps and gates, off in eval mode. Default 0 (none).
   */
  inputDropout?: number;
  /**
   * Dropout rate p_h on the hidden state, applied through the fused op's hiddenMask, which scales h_t itself: the
   * one mask per sequence drops the unit both in the recurrence (h_{t-1} W_h) and in what the next layer reads.
   * This is Gal's scheme with one mask shared by the recurrent and the output connection. Default 0 (none).
   */
  hiddenDropout?: number;
}

/** The options a caller may pass through to the sequence op; the masks and gate activation belong to the layer. */
export type BayesianSequenceOptions = Omit<RnnSequenceOptions, 'inputMask' | 'hiddenMask' | 'gateMask' | 'gateActivation'>;

/** What one forward pass uses: the kernels drawn (or masked) for this call and the per-sequence group masks. */
export interface RecurrentDraw {
  kernel: tf.Tensor2D;
  recurrentKernel: tf.Tensor2D;
  masks: Pick<RnnSequenceOptions, 'inputMask' | 'hiddenMask' | 'gateMask'>;
}

/** A kernel is either a prunable tensor (SparseVD posterior, L0-gated weights) or a plain parameter. */
export type RecurrentKernel = PrunableTensor | tf.Variable;

export abstract class BayesianRecurrent extends Module {
  readonly kernel: RecurrentKernel;
  readonly recurrentKernel: RecurrentKernel;
  readonly bias: tf.Variable;
  readonly inputGroups: GroupGateModule | null;
  readonly hiddenGroups: GroupGateModule | null;
  readonly gateGroups: GroupGateModule | null;
  readonly method: SparsificationMethod;
  readonly gateActivation: GateActivation;
  /** Binary dropout on the inputs / hidden units, or null when its rate is 0. */
  readonly inputDropout: BinaryDropout | null;
  readonly hiddenDropout: BinaryDropout | null;
  /** Further deterministic seeds for subclass parameters, continuing the layer's seed stream. */
  protected readonly nextSeed: () => number;

  protected constructor(readonly inputSize: number, readonly hiddenSize: number, readonly gates: number,
    config: BayesianRecurrentConfig) {
    super();
    const seed = config.seed ?? Math.floor(Math.random() * 2 ** 31);
    const next = seedStream(seed);
    this.nextSeed = next;
    this.gateActivation = config.gateActivation ?? 'sigmoid';
    const bound = 1 / Math.sqrt(hiddenSize); // PyTorch's LSTM/GRU init, as the plain layers (recurrent.ts)
    const G = gates * hiddenSize;
    this.method = config.method ?? 'sparsevd';
    // Group lasso's groups are norms over weight slices that span layers (a hidden unit's group includes the next
    // layer's row), so the owning model builds them (GroupLassoRegularizer), not this layer.
    if (this.method === 'group-lasso' && (config.inputGroups || config.hiddenGroups || config.gateGroups)) {
      throw new Error('BayesianRecurrent: method group-lasso has no group variables (the owning model penalises and prunes the groups); pass inputGroups, hiddenGroups and gateGroups false');
    }
    const spec: PrunableSpec = { method: this.method, l0: resolveL0Options(config.l0) };
    const makeKernel = (name: string, rows: number): RecurrentKernel => {
      const init = uniformInit([rows, G], bound, next());
      if (config.weights === 'dense') return this.addParameter(name, init);
      const theta = this.addParameter(`${name}Theta`, init);
      return createPrunableTensor(theta, spec, (kind, value, trainable) => this.addParameter(`${name}${kind}`, value, trainable), next);
    };
    this.kernel = makeKernel('kernel', inputSize);
    this.recurrentKernel = makeKernel('recurrentKernel', hiddenSize);
    this.bias = this.addParameter('bias', uniformInit([G], bound, next()));
    // L0 group cost: an input unit scales its row of the G gate columns, a hidden unit that row of W_h plus its
    // next-layer row (hiddenFanOut, when the owner gives it); a gate pre-activation scales its column of W_x and W_h.
    const group = (name: string, on: boolean | undefined, size: number, weightsPerGroup: number): GroupGateModule | null =>
      on ? this.addModule(name, groupGate(size, spec, weightsPerGroup, next())) : null;
    this.inputGroups = group('inputGroups', config.inputGroups, inputSize, G);
    this.hiddenGroups = group('hiddenGroups', config.hiddenGroups, hiddenSize, G + (config.hiddenFanOut ?? 0));
    this.gateGroups = group('gateGroups', config.gateGroups, G, inputSize + hiddenSize);
    // Own seed stream, so that adding dropout leaves every other parameter's init unchanged.
    const dropoutSeed = seedStream(seed ^ 0x2545f491);
    const dropout = (name: string, rate: number | undefined, size: number): BinaryDropout | null =>
      rate ? this.addModule(name, new BinaryDropout(size, rate, dropoutSeed())) : null;
    this.inputDropout = dropout('inputDropout', config.inputDropout, inputSize);
    this.hiddenDropout = dropout('hiddenDropout', config.hiddenDropout, hiddenSize);
  }

  /**
   * Train mode: one weight sample for the whole call (shared by every sequence and timestep) and one group sample
   * per sequence. Eval mode: the masked means. Call inside a tidy: the tensors are new (or the parameters themselves).
   */
  protected draw(batchSize: number): RecurrentDraw {
    const weight = (k: RecurrentKernel): tf.Tensor2D =>
      (isPrunable(k) ? k.weight(this.training) : k) as tf.Tensor2D;
    const masks: RecurrentDraw['masks'] = {};
    // Group samples and dropout masks are both per-sequence multipliers of the same tensors: their product is applied.
    const inputMask = combineMasks(this.inputGroups?.apply(batchSize), this.inputDropout?.apply(batchSize));
    const hiddenMask = combineMasks(this.hiddenGroups?.apply(batchSize), this.hiddenDropout?.apply(batchSize));
    if (inputMask) masks.inputMask = inputMask;
    if (hiddenMask) masks.hiddenMask = hiddenMask;
    if (this.gateGroups) masks.gateMask = this.gateGroups.apply(batchSize);
    return { kernel: weight(this.kernel), recurrentKernel: weight(this.recurrentKernel), masks };
  }

  /** Sum of the regulariser (SparseVD KL, L0 penalty) of every prunable kernel and group (0 when there is none). */
  kl(form: KlForm = 'molchanov'): tf.Scalar {
    return tf.tidy(() => {
      const parts: tf.Scalar[] = [];
      for (const k of [this.kernel, this.recurrentKernel]) if (isPrunable(k)) parts.push(k.penalty(form));
      for (const z of [this.inputGroups, this.hiddenGroups, this.gateGroups]) if (z) parts.push(z.penalty(form));
      return parts.length === 0 ? tf.scalar(0) : tf.addN(parts) as tf.Scalar;
    });
  }
}
