import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../src/engine/tf.js';
import { nativeAvailable } from '../helpers.js';

// Every worker thread's Node environment dlcloses the addons it loaded when the worker ends. When the last reference
// went (the main thread never loaded the addon), the addon, libgomp and oneDNN were unmapped while the workers'
// OpenMP pool threads and the exiting worker's libgomp thread destructor still ran their code: SIGSEGV in unmapped
// memory, in most runs of this script before the addon was linked with -z nodelete (binding.gyp).
const script = `
const { Worker } = require('node:worker_threads');
const [addonPath, rounds, workers] = process.argv.slice(1);
const body = \`
const addon = require(\${JSON.stringify(addonPath)});
addon.setNumThreads(2); // an OpenMP parallel region: this worker gets its own pool thread
const a = new Float32Array(64 * 64).fill(1), c = new Float32Array(64 * 64);
for (let i = 0; i < 20; i++) addon.sgemm(false, false, 64, 64, 64, 1, a, 64, a, 64, 0, c, 64);
addon.setNumThreads(1);
\`;
(async () => {
  for (let r = 0; r < Number(rounds); r++) {
    await Promise.all(Array.from({ length: Number(workers) }, () => new Promise((resolve, reject) => {
      const w = new Worker(body, { eval: true });
      w.on('error', reject);
      w.on('exit', resolve);
    })));
  }
  console.log('done');
})();
`;

test('worker threads that load the addon and exit together do not crash the process', { skip: !nativeAvailable && 'native addon not built' }, () => {
  const addonPath = join(packageRoot, 'build', 'Release', 'parsimony_native.node');
  for (let run = 0; run < 3; run++) {
    const r = spawnSync(process.execPath, ['-e', script, addonPath, '10', '2'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, `run ${run}: exit ${r.status} ${r.signal ?? ''}\n${r.stderr.slice(-2000)}`);
    assert.match(r.stdout, /done/);
  }
});
