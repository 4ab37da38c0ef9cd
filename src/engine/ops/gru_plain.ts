// gruSequence in ordinary tfjs ops, differentiated by tfjs autodiff: runs on any backend and is the reference
// the native path (native/src/gru.cc) is tested against. Semantics: see gru_sequence.ts.
import { tf } from '../tf.js';
import { expectOptionalFloatTensor, gateActivationFn, resolveRnnCall, stepValidity, type RnnCall } from './rnn_common.js';
import type { GruSequenceResult, RnnSequenceOptions } from './rnn_options.js';

/** gruSequence's options: the shared RNN options plus the GRU's recurrent bias [3H] (PyTorch's b_hh). */
export type GruSequenceOptions = RnnSequenceOptions & { recurrentBias?: tf.Tensor1D };

/** Checks gruSequence's arguments (errors name the argument; c0 is refused: a GRU has no cell state) and resolves
 * the defaults. */
export function resolveGruCall(x: tf.Tensor3D, kernel: tf.Tensor2D, recurrentKernel: tf.Tensor2D, bias: tf.Tensor1D,
  options: GruSequenceOptions): RnnCall {
  const call = resolveRnnCall('gruSequence', 3, x, kernel, recurrentKernel, bias, options, false);
  expectOptionalFloatTensor('gruSequence', 'recurrentBias', options.recurrentBias, '[3H]', [3 * call.H]);
  return call;
}

export function gruSequencePlain(x: tf.Tensor3D, kernel: tf.Tensor2D, recurrentKernel: tf.Tensor2D, bias: tf.Tensor1D,
  options: GruSequenceOptions = {}): GruSequenceResult {
  const { B, T, D, H, gateActivation, padLeft, returnSequences } = resolveGruCall(x, kernel, recurrentKernel, bias, options);
  const act = gateActivationFn(gateActivation);
  const { h0, inputMask, hiddenMask, gateMask, lengths, recurrentBias } = options;
  return tf.tidy(() => {
    let h: tf.Tensor2D = h0 ? tf.clone(h0) : tf.zeros([B, H]);
    if (T === 0) return { output: returnSequences ? tf.zeros([B, 0, H]) : tf.clone(h), h };
    const masked = inputMask ? tf.mul(x, tf.expandDims(inputMask, 1)) : x;
    // the input projection of every step in one matMul
    const projected = tf.reshape(tf.matMul(tf.reshape(masked, [B * T, D]), kernel), [B, T, 3 * H]);
    const inputs = tf.unstack(projected, 1);
    const valid = lengths ? tf.unstack(stepValidity(lengths, T, padLeft), 1).map((v) => tf.reshape(v, [B, 1])) : null;
    const [mr, mz, mn] = gateMask ? tf.split(gateMask, 3, 1) : [];
    const [br, bz, bn] = tf.split(bias, 3);
    const [bhr, bhz, bhn] = recurrentBias ? tf.split(recurrentBias, 3) : [];
    // a = s * m + b (+ bh): the mask multiplies the sum of projections, the biases stay outside it
    const preActivation = (s: tf.Tensor, m: tf.Tensor | undefined, b: tf.Tensor, bh?: tf.Tensor): tf.Tensor => {
      const a = tf.add(m ? tf.mul(s, m) : s, b);
      return bh ? tf.add(a, bh) : a;
    };
    const outputs: tf.Tensor2D[] = [];
    for (let t = 0; t < T; t++) {
      const [xr, xz, xn] = tf.split(inputs[t], 3, 1);
      const [ur, uz, un] = tf.split(tf.matMul(h, recurrentKernel), 3, 1);
      const r = act(preActivation(tf.add(xr, ur), mr, br, bhr));
      const z = act(preActivation(tf.add(xz, uz), mz, bz, bhz));
      const q = bhn ? tf.add(un, bhn) : un;
      const n = tf.tanh(preActivation(tf.add(xn, tf.mul(r, q)), mn, bn));
      const cell: tf.Tensor2D = tf.add(tf.mul(tf.sub(1, z), n), tf.mul(z, h));
      const hNext: tf.Tensor2D = hiddenMask ? tf.mul(cell, hiddenMask) : cell;
      // a padded step carries h unchanged (and so passes no gradient to the step's computation)
      h = valid ? tf.where(valid[t], hNext, h) : hNext;
      if (returnSequences) outputs.push(h);
    }
    return { output: returnSequences ? tf.stack(outputs, 1) : tf.clone(h), h };
  });
}
