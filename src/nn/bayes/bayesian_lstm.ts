// LSTM with SparseVD (or dense) kernels and optional group variables (spec §2.4, §3.1), over the fused lstmSequence.
import { tf } from '../../engine/tf.js';
import { lstmSequence } from '../../engine/ops/lstm_sequence.js';
import type { LstmSequenceResult } from '../../engine/ops/rnn_options.js';
import { BayesianRecurrent, type BayesianRecurrentConfig, type BayesianSequenceOptions } from './bayesian_recurrent.js';

export class BayesianLSTM extends BayesianRecurrent {
  constructor(inputSize: number, hiddenSize: number, config: BayesianRecurrentConfig) {
    super(inputSize, hiddenSize, 4, config);
  }

  /** x: [B, T, inputSize]. Train mode draws one weight sample per call and group samples per sequence. */
  apply(x: tf.Tensor3D, options: BayesianSequenceOptions = {}): LstmSequenceResult {
    const [output, h, c] = tf.tidy(() => {
      const { kernel, recurrentKernel, masks } = this.draw(x.shape[0]);
      const r = lstmSequence(x, kernel, recurrentKernel, this.bias as tf.Tensor1D,
        { ...options, ...masks, gateActivation: this.gateActivation });
      return [r.output, r.h, r.c];
    });
    return { output, h: h as tf.Tensor2D, c: c as tf.Tensor2D };
  }
}
