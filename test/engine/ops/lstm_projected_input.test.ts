// lstmSequence with kernel = null: x is the input projection x W itself (what a one-hot LM gathers from W).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/engine/tf.js';
import { lstmSequence } from '../../../src/engine/ops/lstm_sequence.js';
import { rng } from '../../helpers.js';
import { BACKENDS, VARIANTS, describeCase, expectClose, makeCase, runCell, sequenceOptions, skipNative, type RnnCell } from './rnn_test_utils.js';

const OPTIONAL = ['h0', 'c0', 'inputMask', 'hiddenMask', 'gateMask'] as const;
type Optional = (typeof OPTIONAL)[number];
type Param = 'x' | 'kernel' | 'recurrentKernel' | 'bias' | Optional;
type Out = 'output' | 'h' | 'c';

/** The same semantics two ways: the kernel inside the op, or (x * inputMask) W computed outside and kernel = null. */
function cell(projectOutside: boolean): RnnCell<Param, Optional, Out> {
  return {
    gates: 4, weights: ['x', 'kernel', 'recurrentKernel', 'bias'], optional: OPTIONAL, outputs: ['output', 'h', 'c'],
    apply: (c, t) => {
      const options = sequenceOptions(c);
      for (const name of c.optional) options[name] = t(name) as tf.Tensor2D;
      const x = t('x') as tf.Tensor3D, kernel = t('kernel') as tf.Tensor2D;
      if (!projectOutside) return lstmSequence(x, kernel, t('recurrentKernel') as tf.Tensor2D, t('bias') as tf.Tensor1D, options);
      const { inputMask, ...rest } = options;
      const masked = inputMask ? tf.mul(x, tf.expandDims(inputMask, 1)) : x;
      const projected = tf.reshape(tf.matMul(tf.reshape(masked, [c.B * c.T, c.D]), kernel), [c.B, c.T, 4 * c.H]) as tf.Tensor3D;
      return lstmSequence(projected, null, t('recurrentKernel') as tf.Tensor2D, t('bias') as tf.Tensor1D, rest);
    },
  };
}

test('kernel = null over a precomputed projection matches the kernel path: outputs and every gradient, each backend', async () => {
  const pick = rng(5);
  for (const backend of BACKENDS) {
    for (const [k, { act, padding, returnSequences }] of VARIANTS.entries()) {
      const optional = k % 2 ? OPTIONAL : OPTIONAL.filter(() => pick() < 0.5);
      const lengths = k % 3 === 1 ? undefined : [5, 0, 2, 4];
      const c = makeCase(cell(false), 300 + k, { B: 4, T: 5, D: 3, H: 3, act, padding, returnSequences, lengths, optional, loss: ['output', 'h', 'c'] });
      const inside = await runCell(cell(false), backend, c);
      const outside = await runCell(cell(true), backend, c);
      for (const key of ['output', 'h', 'c'] as const) expectClose(`${backend} ${describeCase(c)}: ${key}`, outside[key], inside[key], 1e-4, 1e-6);
      for (const name of ['x', 'kernel', 'recurrentKernel', 'bias', ...c.optional] as const) {
        expectClose(`${backend} ${describeCase(c)}: d${name}`, outside.grads[name]!, inside.grads[name]!, 1e-4, 1e-6);
      }
    }
  }
});

test('native kernel = null matches the plain tfjs version', { skip: skipNative }, async () => {
  for (const [k, { act, padding, returnSequences }] of VARIANTS.entries()) {
    const c = makeCase(cell(true), 400 + k, { B: 3, T: 4, D: 2, H: 4, act, padding, returnSequences, lengths: k % 2 ? [4, 1, 0] : undefined, optional: OPTIONAL, loss: ['output', 'h', 'c'] });
    const nat = await runCell(cell(true), 'native', c);
    const plain = await runCell(cell(true), 'cpu', c);
    for (const key of ['output', 'h', 'c'] as const) expectClose(`${describeCase(c)}: ${key}`, nat[key], plain[key], 1e-4, 1e-6);
    for (const name of ['x', 'kernel', 'recurrentKernel', 'bias', ...OPTIONAL] as const) expectClose(`${describeCase(c)}: d${name}`, nat.grads[name]!, plain.grads[name]!, 1e-4, 1e-6);
  }
});

test('kernel = null needs x of width 4H and no inputMask', async () => {
  for (const backend of BACKENDS) {
    await tf.setBackend(backend);
    tf.tidy(() => {
      const U = tf.zeros([2, 8]) as tf.Tensor2D, b = tf.zeros([8]) as tf.Tensor1D;
      assert.throws(() => lstmSequence(tf.zeros([1, 3, 7]) as tf.Tensor3D, null, U, b), /without a kernel x must be the input projection \[B, T, 4H\] = \[1, 3, 8\]/);
      assert.throws(() => lstmSequence(tf.zeros([1, 3, 8]) as tf.Tensor3D, null, U, b, { inputMask: tf.ones([1, 8]) as tf.Tensor2D }), /inputMask needs a kernel/);
    });
  }
});
