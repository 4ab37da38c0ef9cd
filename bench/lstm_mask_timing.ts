// Fused LSTM forward+backward at IMDB sizes with and without each per-sequence mask: `npx tsx bench/lstm_mask_timing.ts`.
import { tf } from '../src/engine/tf.js';
import { useBestBackend } from '../src/engine/backend.js';
import { lstmSequence } from '../src/engine/ops/lstm_sequence.js';
await useBestBackend();
const B = 128, T = 200, D = 300, H = 128;
const x = tf.randomNormal([B, T, D]) as tf.Tensor3D;
const W = tf.variable(tf.mul(0.05, tf.randomNormal([D, 4 * H]))), U = tf.variable(tf.mul(0.05, tf.randomNormal([H, 4 * H]))), b = tf.variable(tf.zeros([4 * H]));
const im = tf.variable(tf.ones([B, D])), hm = tf.variable(tf.ones([B, H])), gm = tf.variable(tf.ones([B, 4 * H]));
const lengths = tf.tensor1d(new Int32Array(B).fill(T), 'int32');
for (const [name, opts] of [['none', {}], ['input', { inputMask: im }], ['hidden', { hiddenMask: hm }], ['gate', { gateMask: gm }]] as const) {
  const f = () => { const g = tf.variableGrads(() => tf.sum(lstmSequence(x, W as unknown as tf.Tensor2D, U as unknown as tf.Tensor2D, b as unknown as tf.Tensor1D, { ...opts, lengths, padding: 'left', returnSequences: false, gateActivation: 'hardSigmoid' } as never).h)); tf.dispose([g.value, ...Object.values(g.grads)]); };
  f();
  const t0 = performance.now();
  for (let i = 0; i < 3; i++) f();
  console.log(`${name}: ${((performance.now() - t0) / 3).toFixed(1)} ms`);
}
