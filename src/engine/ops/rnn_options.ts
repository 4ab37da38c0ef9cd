// Options shared by the fused recurrent sequence ops (lstmSequence, gruSequence).
import type { tf } from '../tf.js';

/** 'sigmoid' = logistic; 'hardSigmoid' = clip(0.2 a + 0.5, 0, 1) (Theano's hard_sigmoid, used by the classifiers). */
export type GateActivation = 'sigmoid' | 'hardSigmoid';

/**
 * Shapes: B batch, T timesteps, D input features, H hidden units, G gates (4 for LSTM: i, f, g, o;
 * 3 for GRU: r, z, n). Every mask is per sequence (shared over time) and differentiable.
 */
export interface RnnSequenceOptions {
  /** Initial hidden state [B, H] (default zeros). Not multiplied by hiddenMask. */
  h0?: tf.Tensor2D;
  /** LSTM only: initial cell state [B, H] (default zeros). */
  c0?: tf.Tensor2D;
  /** [B, D]: x~_t = x_t * inputMask, used by all gates. */
  inputMask?: tf.Tensor2D;
  /** [B, H]: h_t = (cell output) * hiddenMask; this h_t feeds the recurrence and the output. */
  hiddenMask?: tf.Tensor2D;
  /** [B, G*H]: a_t = (x~_t W + h_{t-1} U) * gateMask + b (the bias stays outside the product). */
  gateMask?: tf.Tensor2D;
  /** Gate activation for i, f, o (LSTM) or r, z (GRU); the candidate always uses tanh. Default 'sigmoid'. */
  gateActivation?: GateActivation;
  /** int32 [B]: real length of each sequence (default: all T). A padded step keeps h and c unchanged. */
  lengths?: tf.Tensor1D;
  /** Where the padding is: 'left' (real tokens are the last lengths[b] steps) or 'right'. Default 'right'. */
  padding?: 'left' | 'right';
  /** true: output [B, T, H] with every step's h (a padded step repeats the carried h); false: [B, H]. Default true. */
  returnSequences?: boolean;
}

export interface LstmSequenceResult {
  /** [B, T, H] or [B, H] (see returnSequences). */
  output: tf.Tensor;
  /** Final hidden state [B, H]. */
  h: tf.Tensor2D;
  /** Final cell state [B, H]. */
  c: tf.Tensor2D;
}

export interface GruSequenceResult {
  output: tf.Tensor;
  h: tf.Tensor2D;
}
