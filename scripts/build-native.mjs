#!/usr/bin/env node
// Builds the N-API addon with node-gyp against the installed Node headers (offline).
// Links oneDNN and/or OpenBLAS when their headers are present; a failed build is not fatal:
// the library then runs on the plain tfjs cpu backend and says so once at start-up.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const has = (p) => existsSync(p);
const dnnl = has('/usr/include/oneapi/dnnl/dnnl.h') || has('/usr/include/dnnl.h');
const openblas = has('/usr/include/x86_64-linux-gnu/cblas.h') || has('/usr/include/cblas.h') || has('/usr/include/openblas/cblas.h');
// Debian's OpenMP build of OpenBLAS shares the OpenMP thread pool with oneDNN and our own loops; the default
// pthread build keeps a second pool whose spinning threads fight ours for the cores. Prefer the OpenMP one.
const openblasOpenmpDir = '/usr/lib/x86_64-linux-gnu/openblas-openmp';
const openblasDir = openblas && has(`${openblasOpenmpDir}/libopenblas.so.0`) ? openblasOpenmpDir : '';
if (!dnnl && !openblas) {
  console.warn('[parsimony] neither libdnnl-dev nor libopenblas-dev found: building the addon with the built-in GEMM (slow). Install them with: apt-get install -y libdnnl-dev libopenblas-dev');
}
const require = createRequire(import.meta.url);
let gyp;
try { gyp = require.resolve('node-gyp/bin/node-gyp.js'); } catch { gyp = null; }
const nodedir = process.env.npm_config_nodedir || (has('/usr/include/node/node_api.h') ? '/usr' : undefined);
// configure every time (cheap) so new native/src/*.cc files are picked up; make then recompiles only what changed.
const common = nodedir ? [`--nodedir=${nodedir}`] : [];
const jobs = String(Math.max(1, (await import('node:os')).availableParallelism()));
const steps = [
  ['configure', ...common, '--', `-Dhas_dnnl=${dnnl ? 1 : 0}`, `-Dhas_openblas=${openblas ? 1 : 0}`, `-Dopenblas_dir=${openblasDir}`],
  ['build', '-j', jobs, ...common],
];
// One build at a time in this folder (parallel test runs or developers would clobber build/):
// re-run this script under flock(1) when it is available.
mkdirSync(join(root, 'build'), { recursive: true });
const lock = join(root, 'build', '.lock');
closeSync(openSync(lock, 'a'));
if (!process.env.PARSIMONY_BUILD_LOCKED && has('/usr/bin/flock')) {
  const r = spawnSync('flock', [lock, process.execPath, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    cwd: root, stdio: 'inherit', env: { ...process.env, PARSIMONY_BUILD_LOCKED: '1' },
  });
  process.exit(r.status ?? 1);
}
const gypCmd = gyp ? [process.execPath, gyp] : ['node-gyp'];
for (const step of steps) {
  const argv = [...gypCmd, ...step];
  const [file, ...rest] = argv;
  const r = spawnSync(file, rest, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.warn(`[parsimony] native addon build failed at "${step[0]}"; Parsimony will run on the tfjs cpu backend (much slower).`);
    process.exit(process.env.PARSIMONY_REQUIRE_NATIVE ? 1 : 0);
  }
}
