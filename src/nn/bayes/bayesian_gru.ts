// GRU with SparseVD (or dense) kernels and optional group variables (spec §2.4, §3.1), over the fused gruSequence.
// Both biases (b_ih and b_hh, as PyTorch) are point estimates.
import { tf } from '../../engine/tf.js';
import { gruSequence } from '../../engine/ops/gru_sequence.js';
import type { GruSequenceResult } from '../../engine/ops/rnn_options.js';
import { uniformInit } from '../init.js';
import { BayesianRecurrent, type BayesianRecurrentConfig, type BayesianSequenceOptions } from './bayesian_recurrent.js';

export class BayesianGRU extends BayesianRecurrent {
  readonly recurrentBias: tf.Variable;

  constructor(inputSize: number, hiddenSize: number, config: BayesianRecurrentConfig) {
    super(inputSize, hiddenSize, 3, config);
    this.recurrentBias = this.addParameter('recurrentBias', uniformInit([3 * hiddenSize], 1 / Math.sqrt(hiddenSize), this.nextSeed()));
  }

  /** x: [B, T, inputSize]. Train mode draws one weight sample per call and group samples per sequence. */
  apply(x: tf.Tensor3D, options: BayesianSequenceOptions = {}): GruSequenceResult {
    const [output, h] = tf.tidy(() => {
      const { kernel, recurrentKernel, masks } = this.draw(x.shape[0]);
      const r = gruSequence(x, kernel, recurrentKernel, this.bias as tf.Tensor1D,
        { ...options, ...masks, gateActivation: this.gateActivation, recurrentBias: this.recurrentBias as tf.Tensor1D });
      return [r.output, r.h];
    });
    return { output, h: h as tf.Tensor2D };
  }
}
