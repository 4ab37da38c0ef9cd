import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { npzInt32, readNpz } from '../../src/data/npz.js';
import { npyBytes, npzBytes, writeTree } from './text_fixtures.js';

test('reads deflated int32 and int64 arrays from an .npz', () => {
  const dir = writeTree({ 'a.npz': npzBytes({ small: npyBytes([1, -2, 3], '<i4'), big: npyBytes([0, 7, 2 ** 31 - 1], '<i8') }) });
  const arrays = readNpz(join(dir, 'a.npz'));
  assert.deepEqual(arrays.get('small')?.shape, [3]);
  assert.equal(arrays.get('big')?.dtype, '<i8');
  assert.deepEqual([...npzInt32(arrays, 'small', 'a.npz')], [1, -2, 3]);
  assert.deepEqual([...npzInt32(arrays, 'big', 'a.npz')], [0, 7, 2 ** 31 - 1]);
  assert.throws(() => npzInt32(arrays, 'nope', 'a.npz'), /a\.npz: missing array 'nope' \(has: small, big\)/);
});

test('int64 values beyond int32 and non-zip files are reported with the file name', () => {
  const dir = writeTree({ 'b.npz': npzBytes({ v: npyBytes([2 ** 31], '<i8') }), 'c.npz': 'not a zip' });
  assert.throws(() => npzInt32(readNpz(join(dir, 'b.npz')), 'v', 'b.npz'), /b\.npz: array 'v' value 2147483648 at 0 does not fit int32/);
  assert.throws(() => readNpz(join(dir, 'c.npz')), /c\.npz: not a readable \.npz archive/);
});
