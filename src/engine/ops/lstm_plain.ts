// lstmSequence in ordinary tfjs ops, differentiated by tfjs autodiff: runs on any backend and is the reference
// the native path (native/src/lstm.cc) is tested against. Semantics: see lstm_sequence.ts.
import { tf } from '../tf.js';
import { gateActivationFn, resolveRnnCall, stepValidity } from './rnn_common.js';
import type { LstmSequenceResult, RnnSequenceOptions } from './rnn_options.js';

export function lstmSequencePlain(x: tf.Tensor3D, kernel: tf.Tensor2D | null, recurrentKernel: tf.Tensor2D, bias: tf.Tensor1D,
  options: RnnSequenceOptions = {}): LstmSequenceResult {
  const { B, T, D, H, gateActivation, padLeft, returnSequences } = resolveRnnCall('lstmSequence', 4, x, kernel, recurrentKernel, bias, options, true);
  const act = gateActivationFn(gateActivation);
  const { h0, c0, inputMask, hiddenMask, gateMask, lengths } = options;
  return tf.tidy(() => {
    let h: tf.Tensor2D = h0 ? tf.clone(h0) : tf.zeros([B, H]);
    let c: tf.Tensor2D = c0 ? tf.clone(c0) : tf.zeros([B, H]);
    if (T === 0) return { output: returnSequences ? tf.zeros([B, 0, H]) : tf.clone(h), h, c };
    const masked = inputMask ? tf.mul(x, tf.expandDims(inputMask, 1)) : x;
    // the input projection of every step in one matMul (without a kernel x is that projection)
    const projected = kernel ? tf.reshape(tf.matMul(tf.reshape(masked, [B * T, D]), kernel), [B, T, 4 * H]) : x;
    const inputs = tf.unstack(projected, 1);
    const valid = lengths ? tf.unstack(stepValidity(lengths, T, padLeft), 1).map((v) => tf.reshape(v, [B, 1])) : null;
    const outputs: tf.Tensor2D[] = [];
    for (let t = 0; t < T; t++) {
      const s = tf.add(inputs[t], tf.matMul(h, recurrentKernel));
      const a = tf.add(gateMask ? tf.mul(s, gateMask) : s, bias);
      const [ai, af, ag, ao] = tf.split(a, 4, 1);
      const cNext: tf.Tensor2D = tf.add(tf.mul(act(af), c), tf.mul(act(ai), tf.tanh(ag)));
      const out = tf.mul(act(ao), tf.tanh(cNext)) as tf.Tensor2D;
      const hNext: tf.Tensor2D = hiddenMask ? tf.mul(out, hiddenMask) : out;
      // a padded step carries h and c unchanged (and so passes no gradient to the step's computation)
      h = valid ? tf.where(valid[t], hNext, h) : hNext;
      c = valid ? tf.where(valid[t], cNext, c) : cNext;
      if (returnSequences) outputs.push(h);
    }
    return { output: returnSequences ? tf.stack(outputs, 1) : tf.clone(h), h, c };
  });
}
