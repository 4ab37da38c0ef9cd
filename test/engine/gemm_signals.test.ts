import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nativeAvailable } from '../helpers.js';

// oneDNN's JIT sgemm corrupts the heap when a signal is handled on a thread inside it (oneDNN issue #4845).
// Node's CPU profiler samples with SIGPROF, so training under --cpu-prof used to abort with
// "corrupted size vs. prev_size" within a few steps; the GEMM wrapper now holds such signals back.
test('training under the signal-driven CPU profiler does not corrupt the heap', { skip: !nativeAvailable && 'native addon not built' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'parsimony-prof-'));
  try {
    for (const threads of ['1', '2']) {
      const r = spawnSync(process.execPath, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '50', '--import', 'tsx',
        'src/cli/main.ts', 'train', '--task', 'spam', '--preset', 'dense', '--epochs', '1', '--max-train', '320', '--max-eval', '50',
        '--hidden', '64', '--batch', '16', '--out', join(dir, `run-${threads}`)],
      { env: { ...process.env, PARSIMONY_THREADS: threads }, encoding: 'utf8', timeout: 120_000 });
      assert.equal(r.status, 0, `threads=${threads}: exit ${r.status} ${r.signal ?? ''}\n${r.stderr.slice(-2000)}`);
      assert.match(r.stdout, /20 steps per epoch/);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
