// `npm run bench`: Parsimony's training steps next to PyTorch's, same threads, same machine, one at a time.
// Writes the table to docs/performance.md (between the bench markers) and prints it.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, existsSync, renameSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { tf, packageRoot } from '../src/engine/tf.js';
import { requireAddon, type GemmShapeStats } from '../src/engine/addon.js';
import { useBestBackend } from '../src/engine/backend.js';
import { setNumThreads } from '../src/engine/threads.js';
import { makeStep, STEP_NAMES, STEP_TITLES, type StepName } from './steps.js';

const program = new Command()
  .option('--threads <n>', 'threads for both sides (default: all cores)', String(availableParallelism()))
  .option('--iters <n>', 'timed steps per model', '10')
  .option('--warmup <n>', 'untimed steps first', '2')
  .option('--steps <list>', 'comma-separated subset', STEP_NAMES.join(','))
  .option('--gemm <libs>', 'GEMM libraries to run ours with: dnnl, openblas or both', 'both')
  .option('--python <exe>', 'python with torch', process.env.PARSIMONY_TORCH_PYTHON ?? 'python3')
  .option('--torch-default', "also time PyTorch with its default subnormal handling (slow on long recurrent backward passes)")
  .option('--no-write', 'do not update docs/performance.md')
  .parse();
const opts = program.opts<{ threads: string; iters: string; warmup: string; steps: string; gemm: string; python: string; write: boolean; torchDefault?: boolean }>();
const threads = Number(opts.threads), iters = Number(opts.iters), warmup = Number(opts.warmup);
if (threads > availableParallelism()) throw new Error(`--threads ${threads} would oversubscribe the ${availableParallelism()} cores`);
const steps = opts.steps.split(',') as StepName[];
for (const s of steps) if (!STEP_NAMES.includes(s)) throw new Error(`--steps: unknown step "${s}" (known: ${STEP_NAMES.join(', ')})`);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const flops = (s: GemmShapeStats) => 2 * s.M * s.N * s.K * s.calls;

interface OursResult { medianMs: number; gemm: GemmShapeStats[]; profiledMs: number }

function timeOurs(name: StepName): OursResult {
  const addon = requireAddon();
  const step = makeStep(name);
  for (let i = 0; i < warmup; i++) step.run();
  const times: number[] = [];
  for (let i = 0; i < iters; i++) {
    const t0 = performance.now();
    step.run();
    times.push(performance.now() - t0);
  }
  // a separate profiled pass, so accounting never perturbs the timed steps
  addon.gemmProfile(true);
  const t0 = performance.now();
  step.run();
  const profiledMs = performance.now() - t0;
  const gemm = addon.gemmProfile(false);
  step.dispose();
  return { medianMs: median(times), gemm, profiledMs };
}

/** Plain sgemm GFLOP/s of the library on the exact shapes a step used, weighted by their FLOPs. */
function plainSgemmGflops(shapes: GemmShapeStats[]): number {
  const addon = requireAddon();
  let totalFlops = 0, totalSeconds = 0;
  for (const s of shapes) {
    const a = new Float32Array(s.M * s.K).fill(0.5), b = new Float32Array(s.K * s.N).fill(0.25), c = new Float32Array(s.M * s.N);
    const reps = Math.max(1, Math.min(50, Math.round(2e8 / (2 * s.M * s.N * s.K + 1))));
    addon.sgemm(s.transA, s.transB, s.M, s.N, s.K, 1, a, s.transA ? s.M : s.K, b, s.transB ? s.K : s.N, 0, c, s.N);
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) addon.sgemm(s.transA, s.transB, s.M, s.N, s.K, 1, a, s.transA ? s.M : s.K, b, s.transB ? s.K : s.N, 0, c, s.N);
    const sec = (performance.now() - t0) / 1e3 / reps;
    totalFlops += flops(s);
    totalSeconds += sec * s.calls;
  }
  return totalFlops / totalSeconds / 1e9;
}

interface TorchResult { torch: string; threads: number; flush_denormal: boolean; steps: Record<string, { median_ms: number }> }

function runTorch(keepDenormals = false): TorchResult {
  const r = spawnSync(opts.python, [join(packageRoot, 'bench', 'torch_steps.py'), '--threads', String(threads),
    '--steps', steps.join(','), '--iters', String(iters), '--warmup', String(warmup), ...(keepDenormals ? ['--keep-denormals'] : [])],
  { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`PyTorch side failed (${opts.python} bench/torch_steps.py): ${r.stderr || r.error}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '');
}

const backend = await useBestBackend();
if (backend !== 'native') throw new Error('the benchmark needs the native addon (npm run build:native)');
setNumThreads(threads);
const addon = requireAddon();
const libs = opts.gemm === 'both' ? addon.availableGemmLibraries().split(',').filter((l) => l !== 'builtin') : [opts.gemm];

const ours: Record<string, Record<string, OursResult>> = {};
for (const lib of libs) {
  if (!addon.selectGemmLibrary(lib)) throw new Error(`--gemm ${lib}: not built in`);
  ours[lib] = {};
  for (const name of steps) {
    ours[lib][name] = timeOurs(name);
    console.error(`[bench] ours/${lib} ${name}: ${ours[lib][name].medianMs.toFixed(1)} ms`);
  }
}
const torch = runTorch();
for (const name of steps) console.error(`[bench] torch ${name}: ${torch.steps[name].median_ms.toFixed(1)} ms`);
const torchDefault = opts.torchDefault ? runTorch(true) : null;
if (torchDefault) for (const name of steps) console.error(`[bench] torch (default subnormals) ${name}: ${torchDefault.steps[name].median_ms.toFixed(1)} ms`);

const best = libs[0];
const lines: string[] = [];
lines.push(`Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores; ${threads} thread(s) on both sides; ` +
  `median of ${iters} steps after ${warmup} warm-up steps; PyTorch ${torch.torch} (threads ${torch.threads}, ` +
  `subnormals ${torch.flush_denormal ? 'flushed to zero, its fastest setting, as ours are' : 'kept (PyTorch default)'}); tfjs-core ${tf.version_core}.`);
lines.push('');
const defaultCol = torchDefault ? ' PyTorch, default subnormals, ms |' : '';
lines.push(`| step | ${libs.map((l) => `ours (${l}) ms`).join(' | ')} | PyTorch ms | ${libs.map((l) => `ratio ours(${l})/torch`).join(' | ')} |${defaultCol}`);
lines.push(`|---|${libs.map(() => '---:').join('|')}|---:|${libs.map(() => '---:').join('|')}|${torchDefault ? '---:|' : ''}`);
for (const name of steps) {
  const t = torch.steps[name].median_ms;
  const extra = torchDefault ? ` ${torchDefault.steps[name].median_ms.toFixed(1)} |` : '';
  lines.push(`| ${STEP_TITLES[name]} | ${libs.map((l) => ours[l][name].medianMs.toFixed(1)).join(' | ')} | ${t.toFixed(1)} | ${libs.map((l) => (ours[l][name].medianMs / t).toFixed(2)).join(' | ')} |${extra}`);
}
lines.push('');
lines.push('GEMM throughput inside the steps (profiled pass) next to plain sgemm of the same library on the same shapes:');
lines.push('');
lines.push('| step | library | GEMM share of step | GFLOP/s inside step | plain sgemm GFLOP/s, same shapes |');
lines.push('|---|---|---:|---:|---:|');
for (const lib of libs) {
  addon.selectGemmLibrary(lib);
  for (const name of steps.filter((s) => s !== 'mlp' && s !== 'imdb-gru')) {
    const g = ours[lib][name].gemm;
    const f = g.reduce((n, s) => n + flops(s), 0), sec = g.reduce((n, s) => n + s.seconds, 0);
    lines.push(`| ${name} | ${lib} | ${(100 * sec * 1e3 / ours[lib][name].profiledMs).toFixed(0)}% | ${(f / sec / 1e9).toFixed(1)} | ${plainSgemmGflops(g).toFixed(1)} |`);
  }
}
addon.selectGemmLibrary(best);
const table = lines.join('\n');
console.log(table);

if (opts.write) {
  const doc = join(packageRoot, 'docs', 'performance.md');
  const begin = '<!-- bench:begin -->', end = '<!-- bench:end -->';
  const stamp = `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench -- ${process.argv.slice(2).join(' ')}\`.`.replace(' --  ', ' ').replace(' -- `', '`');
  const body = `${begin}\n${stamp}\n\n${table}\n${end}`;
  const old = existsSync(doc) ? readFileSync(doc, 'utf8') : `# Performance\n\n${begin}\n${end}\n`;
  const next = old.includes(begin) ? old.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), body) : `${old}\n${body}\n`;
  writeFileSync(`${doc}.tmp`, next);
  renameSync(`${doc}.tmp`, doc);
  console.error(`[bench] wrote ${doc}`);
}
