import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { tf } from '../../src/engine/tf.js';
import { NATIVE_BACKEND } from '../../src/engine/backend.js';
import { getNumThreads, setNumThreads } from '../../src/engine/threads.js';
import { nativeAvailable } from '../helpers.js';

test('native backend re-registers every cpu kernel', { skip: !nativeAvailable && 'native addon not built' }, () => {
  const cpu = new Set(tf.getKernelsForBackend('cpu').map((k) => k.kernelName));
  const native = new Set(tf.getKernelsForBackend(NATIVE_BACKEND).map((k) => k.kernelName));
  for (const name of cpu) assert.ok(native.has(name), `kernel ${name} missing on the native backend`);
});

test('thread knob sets and reports the thread count', { skip: !nativeAvailable && 'native addon not built' }, () => {
  const before = getNumThreads();
  assert.equal(setNumThreads(1), 1);
  assert.equal(getNumThreads(), 1);
  setNumThreads(before);
  assert.equal(getNumThreads(), before);
  assert.throws(() => setNumThreads(0), /positive integer/);
});

test('without the addon the library falls back to the cpu backend and says so once', () => {
  const script = `
    import { useBestBackend } from './src/engine/backend.ts';
    import { tf } from './src/engine/tf.ts';
    const a = await useBestBackend();
    const b = await useBestBackend();
    console.log(JSON.stringify({ a, b, sum: tf.sum(tf.tensor([1, 2, 3])).dataSync()[0] }));
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...process.env, PARSIMONY_NATIVE: '0' }, encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}');
  assert.deepEqual(out, { a: 'cpu', b: 'cpu', sum: 6 });
  assert.equal(r.stderr.match(/native addon unavailable/g)?.length, 1, r.stderr);
});
