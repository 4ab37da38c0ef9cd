import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/data/write_file_atomic.js';

test('writeFileAtomic creates missing folders (a fresh machine has no ~/.cache) and leaves no temporary file', () => {
  const root = mkdtempSync(join(tmpdir(), 'atomic-'));
  try {
    const path = join(root, 'cache', 'parsimony', 'x.bin');
    writeFileAtomic(path, [Uint8Array.from([1, 2]), Uint8Array.from([3])]);
    assert.deepEqual([...readFileSync(path)], [1, 2, 3]);
    writeFileAtomic(path, 'replaced');
    assert.equal(readFileSync(path, 'utf8'), 'replaced');
    assert.deepEqual(readdirSync(join(root, 'cache', 'parsimony')), ['x.bin']);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
