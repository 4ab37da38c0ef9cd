// Quick timing (not a test) of lstmSequence forward + backward on the native backend, for the three shapes of the
// benchmark's LSTM steps; bench/lstm_sequence_timing.py times nn.LSTM on the same shapes. The machine is shared:
// numbers are noisy, take the minimum of a few runs.
//   npx tsx bench/lstm_sequence_timing.ts [reps]
import { tf } from '../src/engine/tf.js';
import { useBestBackend } from '../src/engine/backend.js';
import { lstmSequence } from '../src/engine/ops/lstm_sequence.js';
import type { RnnSequenceOptions } from '../src/engine/ops/rnn_options.js';
import { getNumThreads } from '../src/engine/threads.js';

const SHAPES = [
  { name: 'imdb', B: 128, T: 200, D: 300, H: 128, options: { gateActivation: 'hardSigmoid', padding: 'left', returnSequences: false } },
  // the same with a loss on every step: gradients do not fade to subnormals (which slow PyTorch down a lot)
  { name: 'imdb-all-steps', B: 128, T: 200, D: 300, H: 128, options: { gateActivation: 'hardSigmoid', padding: 'left' } },
  { name: 'char-lm', B: 64, T: 100, D: 50, H: 1000, options: {} },
  { name: 'word-lm', B: 32, T: 35, D: 256, H: 256, options: {} },
] as const;

const reps = Number(process.argv[2] ?? 3);
console.log(`backend ${await useBestBackend()}, ${getNumThreads()} threads`);
for (const { name, B, T, D, H, options } of SHAPES) {
  const x = tf.randomUniform([B, T, D], -1, 1) as tf.Tensor3D;
  const kernel = tf.randomUniform([D, 4 * H], -0.1, 0.1) as tf.Tensor2D;
  const recurrent = tf.randomUniform([H, 4 * H], -0.1, 0.1) as tf.Tensor2D;
  const bias = tf.randomUniform([4 * H], -0.1, 0.1) as tf.Tensor1D;
  const lengths = tf.fill([B], T, 'int32') as tf.Tensor1D;
  const opts: RnnSequenceOptions = { ...options, lengths };
  const step = tf.grads((a: tf.Tensor, w: tf.Tensor, u: tf.Tensor, b: tf.Tensor) =>
    tf.sum(lstmSequence(a as tf.Tensor3D, w as tf.Tensor2D, u as tf.Tensor2D, b as tf.Tensor1D, opts).output));
  const fwd: number[] = [], total: number[] = [];
  for (let r = 0; r <= reps; r++) {
    let t0 = performance.now();
    tf.tidy(() => { lstmSequence(x, kernel, recurrent, bias, opts).output.dataSync(); });
    const f = performance.now() - t0;
    t0 = performance.now();
    tf.tidy(() => { step([x, kernel, recurrent, bias]).forEach((g) => g.dataSync()); });
    if (r > 0) { fwd.push(f); total.push(performance.now() - t0); } // r = 0 warms up
  }
  console.log(`${name} B=${B} T=${T} D=${D} H=${H}: fwd+bwd min ${Math.min(...total).toFixed(1)} ms, fwd ${Math.min(...fwd).toFixed(1)} ms`);
  tf.dispose([x, kernel, recurrent, bias, lengths]);
}
