// Times one GRU layer's forward + backward (gruSequence) next to PyTorch's nn.GRU on the same shapes and threads:
// the benchmark's (d) shape by default (B=128, T=200, D=300, H=128). Short on purpose: a few timed iterations.
//   npx tsx bench/gru_layer.ts [--iters 5] [--threads 2] [--no-torch]
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { tf, packageRoot } from '../src/engine/tf.js';
import { useBestBackend } from '../src/engine/backend.js';
import { setNumThreads } from '../src/engine/threads.js';
import { gruSequence, type GruSequenceOptions } from '../src/engine/ops/gru_sequence.js';

const opts = new Command()
  .option('--batch <n>', 'B', '128').option('--steps <n>', 'T', '200').option('--input <n>', 'D', '300').option('--hidden <n>', 'H', '128')
  .option('--iters <n>', 'timed iterations', '5').option('--warmup <n>', 'untimed iterations', '2')
  .option('--threads <n>', 'threads for both sides', String(availableParallelism()))
  .option('--python <exe>', 'python with torch', process.env.PARSIMONY_TORCH_PYTHON ?? 'python3')
  .option('--no-torch', 'skip the PyTorch side')
  .parse().opts<{ batch: string; steps: string; input: string; hidden: string; iters: string; warmup: string; threads: string; python: string; torch: boolean }>();
const [B, T, D, H] = [opts.batch, opts.steps, opts.input, opts.hidden].map(Number);
const iters = Number(opts.iters), warmup = Number(opts.warmup), threads = Number(opts.threads);

// min and median: on a shared machine the minimum is the steadier estimate of what the code costs
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[0].toFixed(1).padStart(6)} / ${s[Math.floor(s.length / 2)].toFixed(1).padStart(6)} ms`;
};

function timeOurs(label: string, options: GruSequenceOptions): void {
  const x = tf.randomUniform([B, T, D], -1, 1, 'float32', 1) as tf.Tensor3D;
  const params = [
    tf.randomUniform([D, 3 * H], -0.1, 0.1, 'float32', 2), tf.randomUniform([H, 3 * H], -0.1, 0.1, 'float32', 3),
    tf.randomUniform([3 * H], -0.1, 0.1, 'float32', 4), tf.randomUniform([3 * H], -0.1, 0.1, 'float32', 5),
  ];
  const lossWeights = tf.randomUniform([B, H], -1, 1, 'float32', 6);
  const step = (): void => {
    const grads = tf.grads((xx: tf.Tensor, w: tf.Tensor, u: tf.Tensor, b: tf.Tensor, bh: tf.Tensor) => {
      const { h } = gruSequence(xx as tf.Tensor3D, w as tf.Tensor2D, u as tf.Tensor2D, b as tf.Tensor1D,
        { ...options, recurrentBias: bh as tf.Tensor1D, returnSequences: false });
      return tf.sum(tf.mul(h, lossWeights));
    })([x, ...params]);
    grads.forEach((g) => g.dataSync());
    tf.dispose(grads);
  };
  const forward = (): void => tf.tidy(() => {
    gruSequence(x, params[0] as tf.Tensor2D, params[1] as tf.Tensor2D, params[2] as tf.Tensor1D,
      { ...options, recurrentBias: params[3] as tf.Tensor1D, returnSequences: false }).h.dataSync();
  });
  for (let i = 0; i < warmup; i++) step();
  const fb: number[] = [], fw: number[] = [];
  for (let i = 0; i < iters; i++) {
    let t0 = performance.now();
    step();
    fb.push(performance.now() - t0);
    t0 = performance.now();
    forward();
    fw.push(performance.now() - t0);
  }
  console.log(`ours  ${label.padEnd(60)} forward ${stats(fw)}   forward+backward ${stats(fb)}`);
  tf.dispose([x, ...params, lossWeights]);
}

const backend = await useBestBackend();
setNumThreads(threads);
console.log(`B=${B} T=${T} D=${D} H=${H}, ${threads} threads, backend ${backend}; min / median of ${iters}`);
const lengths = tf.tensor1d(Array.from({ length: B }, (_, b) => Math.max(1, Math.round(T * (0.2 + 0.8 * ((b * 37) % B) / B)))), 'int32');
timeOurs('sigmoid, full length', { gateActivation: 'sigmoid' });
timeOurs('hardSigmoid, full length', { gateActivation: 'hardSigmoid' });
timeOurs('hardSigmoid, left padding, lengths 20%..100% T', { gateActivation: 'hardSigmoid', padding: 'left', lengths });
if (opts.torch) {
  const r = spawnSync(opts.python, [join(packageRoot, 'bench', 'gru_layer_torch.py'), ...[B, T, D, H, threads, iters, warmup].map(String)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`${opts.python} bench/gru_layer_torch.py failed (status ${r.status})`);
  process.stdout.write(r.stdout);
}
