import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Float32BufferPool } from '../../../src/engine/ops/buffer_pool.js';

test('Float32BufferPool reuses whole arrays by length, within its caps', () => {
  const pool = new Float32BufferPool(64, 2);
  const a = pool.take(4);
  assert.equal(a.length, 4);
  pool.give(a);
  assert.equal(pool.take(4), a, 'a given array comes back for the same length');
  assert.notEqual(pool.take(4), a, 'and only once');
  const b = new Float32Array(4), c = new Float32Array(4), d = new Float32Array(4);
  pool.give(b, c, d, null);
  const back = new Set([pool.take(4), pool.take(4), pool.take(4)]);
  assert.ok(back.has(b) && back.has(c) && !back.has(d), 'at most perLength arrays of one length are kept');
  const view = new Float32Array(8).subarray(0, 4);
  pool.give(view);
  assert.notEqual(pool.take(4), view, 'views into larger buffers are not kept');
  const big = new Float32Array(32);
  pool.give(big);
  assert.notEqual(pool.take(32), big, 'nothing beyond maxBytes is kept');
  const e = new Float32Array(4);
  pool.give(e);
  pool.clear();
  assert.notEqual(pool.take(4), e, 'clear drops everything');
});
