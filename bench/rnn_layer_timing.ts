// Times one recurrent layer's forward and forward + backward on the best backend: lstmSequence on the shapes of the
// benchmark's LSTM steps (--cell lstm), or gruSequence on the benchmark's (d) shape, B=128 T=200 D=300 H=128, with
// three gate / padding variants (--cell gru). Then, unless --no-torch, PyTorch's nn.LSTM / nn.GRU on the same shapes
// and threads (bench/rnn_layer_timing_torch.py). Short on purpose: a few timed iterations on a shared machine, so
// read the minimum.
//   npx tsx bench/rnn_layer_timing.ts --cell lstm|gru [--iters 5] [--warmup 2] [--threads 2] [--no-torch]
//     [--batch B] [--steps T] [--input D] [--hidden H]   (each replaces that size in every case)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { tf, packageRoot } from '../src/engine/tf.js';
import { useBestBackend } from '../src/engine/backend.js';
import { defaultThreads, setNumThreads } from '../src/engine/threads.js';
import { lstmSequence } from '../src/engine/ops/lstm_sequence.js';
import { gruSequence } from '../src/engine/ops/gru_sequence.js';
import type { RnnSequenceOptions } from '../src/engine/ops/rnn_options.js';

interface Shape { B: number; T: number; D: number; H: number }

interface LayerCase extends Shape {
  name: string;
  /** The op's options for this shape (lengths depend on B and T); the loss sums the output. */
  options(shape: Shape): RnnSequenceOptions;
}

interface Cell {
  /** Gates per unit: the weights are [D, gates H], [H, gates H] and [gates H]. */
  gates: number;
  /** The layer also has a recurrent bias [gates H] (the GRU's b_hh), differentiated like the other weights. */
  recurrentBias: boolean;
  /** The layer's output ([B, T, H], or [B, H] without returnSequences). */
  run(x: tf.Tensor3D, kernel: tf.Tensor2D, recurrent: tf.Tensor2D, bias: tf.Tensor1D, recurrentBias: tf.Tensor1D | undefined,
    options: RnnSequenceOptions): tf.Tensor;
  cases: LayerCase[];
}

const IMDB: Shape = { B: 128, T: 200, D: 300, H: 128 };
const fullLengths = ({ B, T }: Shape): tf.Tensor1D => tf.fill([B], T, 'int32') as tf.Tensor1D;

const CELLS: Record<'lstm' | 'gru', Cell> = {
  lstm: {
    gates: 4, recurrentBias: false,
    run: (x, kernel, recurrent, bias, _, options) => lstmSequence(x, kernel, recurrent, bias, options).output,
    // the benchmark's LSTM steps, which pass lengths
    cases: [
      { name: 'imdb', ...IMDB, options: (s) => ({ gateActivation: 'hardSigmoid', padding: 'left', returnSequences: false, lengths: fullLengths(s) }) },
      // the same with a loss on every step: gradients do not fade to subnormals (which slow PyTorch down a lot)
      { name: 'imdb-all-steps', ...IMDB, options: (s) => ({ gateActivation: 'hardSigmoid', padding: 'left', lengths: fullLengths(s) }) },
      { name: 'char-lm', B: 64, T: 100, D: 50, H: 1000, options: (s) => ({ lengths: fullLengths(s) }) },
      { name: 'word-lm', B: 32, T: 35, D: 256, H: 256, options: (s) => ({ lengths: fullLengths(s) }) },
    ],
  },
  gru: {
    gates: 3, recurrentBias: true,
    run: (x, kernel, recurrent, bias, recurrentBias, options) => gruSequence(x, kernel, recurrent, bias, { ...options, recurrentBias }).output,
    // the benchmark's (d) classifier shape: a loss on the final h only
    cases: [
      { name: 'sigmoid, full length', ...IMDB, options: () => ({ gateActivation: 'sigmoid', returnSequences: false }) },
      { name: 'hardSigmoid, full length', ...IMDB, options: () => ({ gateActivation: 'hardSigmoid', returnSequences: false }) },
      {
        name: 'hardSigmoid, left padding, lengths 20%..100% T', ...IMDB,
        options: ({ B, T }) => ({
          gateActivation: 'hardSigmoid', padding: 'left', returnSequences: false,
          lengths: tf.tensor1d(Array.from({ length: B }, (_, b) => Math.max(1, Math.round(T * (0.2 + 0.8 * ((b * 37) % B) / B)))), 'int32'),
        }),
      },
    ],
  },
};

const opts = new Command()
  .addOption(new Option('--cell <cell>', 'the layer').choices(['lstm', 'gru']).makeOptionMandatory())
  .option('--iters <n>', 'timed iterations', '5').option('--warmup <n>', 'untimed iterations', '2')
  .option('--threads <n>', 'threads for both sides', String(defaultThreads()))
  .option('--batch <n>', 'B').option('--steps <n>', 'T').option('--input <n>', 'D').option('--hidden <n>', 'H')
  .option('--python <exe>', 'python with torch', process.env.PARSIMONY_TORCH_PYTHON ?? 'python3')
  .option('--no-torch', 'skip the PyTorch side')
  .parse().opts<{
    cell: 'lstm' | 'gru'; iters: string; warmup: string; threads: string; python: string; torch: boolean;
    batch?: string; steps?: string; input?: string; hidden?: string;
  }>();
const iters = Number(opts.iters), warmup = Number(opts.warmup), threads = Number(opts.threads);
const cell = CELLS[opts.cell];
const cases = cell.cases.map((c) => ({
  ...c,
  B: Number(opts.batch ?? c.B), T: Number(opts.steps ?? c.T), D: Number(opts.input ?? c.D), H: Number(opts.hidden ?? c.H),
}));
const describe = ({ name, B, T, D, H }: LayerCase) => `${name} (B=${B} T=${T} D=${D} H=${H})`;

// min and median: on a shared machine the minimum is the steadier estimate of what the code costs
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[0].toFixed(1).padStart(6)} / ${s[Math.floor(s.length / 2)].toFixed(1).padStart(6)} ms`;
};

/** Prints the case's timings; returns whether its loss sums the whole output sequence (else the final h). */
function timeOurs(c: LayerCase): boolean {
  const { B, T, D, H } = c;
  const G = cell.gates * H;
  const x = tf.randomUniform([B, T, D], -1, 1, 'float32', 1) as tf.Tensor3D;
  const kernel = tf.randomUniform([D, G], -0.1, 0.1, 'float32', 2) as tf.Tensor2D;
  const recurrent = tf.randomUniform([H, G], -0.1, 0.1, 'float32', 3) as tf.Tensor2D;
  const bias = tf.randomUniform([G], -0.1, 0.1, 'float32', 4) as tf.Tensor1D;
  const recurrentBias = cell.recurrentBias ? tf.randomUniform([G], -0.1, 0.1, 'float32', 5) as tf.Tensor1D : undefined;
  const params = [x, kernel, recurrent, bias, ...(recurrentBias ? [recurrentBias] : [])];
  const options = c.options(c);
  const loss = (...p: tf.Tensor[]) =>
    tf.sum(cell.run(p[0] as tf.Tensor3D, p[1] as tf.Tensor2D, p[2] as tf.Tensor2D, p[3] as tf.Tensor1D, p[4] as tf.Tensor1D | undefined, options));
  const step = (): void => tf.tidy(() => { tf.grads(loss)(params).forEach((g) => g.dataSync()); });
  const forward = (): void => tf.tidy(() => { cell.run(x, kernel, recurrent, bias, recurrentBias, options).dataSync(); });
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
  console.log(`ours  ${describe(c).padEnd(74)} forward ${stats(fw)}   forward+backward ${stats(fb)}`);
  tf.dispose([...params, ...(options.lengths ? [options.lengths] : [])]);
  return options.returnSequences !== false;
}

const backend = await useBestBackend();
setNumThreads(threads);
console.log(`${opts.cell} layer, ${threads} threads, backend ${backend}; min / median of ${iters}`);
const timed = cases.map((c) => ({ name: c.name, B: c.B, T: c.T, D: c.D, H: c.H, whole: timeOurs(c) }));
if (opts.torch) {
  // nn.LSTM / nn.GRU have neither hard sigmoid gates nor left padding: each shape and loss once, sigmoid, full length
  const run = ({ B, T, D, H, whole }: (typeof timed)[number]) => `${B} ${T} ${D} ${H} ${whole}`;
  const torchCases = timed.filter((c, k) => timed.findIndex((o) => run(o) === run(c)) === k);
  const script = join(packageRoot, 'bench', 'rnn_layer_timing_torch.py');
  const r = spawnSync(opts.python, [script, opts.cell, ...[threads, iters, warmup].map(String), JSON.stringify(torchCases)],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`${opts.python} bench/rnn_layer_timing_torch.py failed (status ${r.status})`);
  process.stdout.write(r.stdout);
}
