import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { FASHION_MNIST_DIR, loadFashionMnist } from '../../src/data/fashion_mnist.js';

function idxImages(count: number, rows: number, cols: number, pixel: (i: number) => number): Buffer {
  const b = Buffer.alloc(16 + count * rows * cols);
  b.writeUInt32BE(0x803, 0); b.writeUInt32BE(count, 4); b.writeUInt32BE(rows, 8); b.writeUInt32BE(cols, 12);
  for (let i = 0; i < count * rows * cols; i++) b[16 + i] = pixel(i);
  return b;
}
function idxLabels(labels: number[]): Buffer {
  const b = Buffer.alloc(8 + labels.length);
  b.writeUInt32BE(0x801, 0); b.writeUInt32BE(labels.length, 4);
  labels.forEach((y, i) => { b[8 + i] = y; });
  return b;
}

/** 12 training and 3 test images of 2x2; image i has every pixel = i, label i % 10. */
function writeSet(dir: string, gzip: boolean): void {
  const w = (name: string, data: Buffer): void => writeFileSync(join(dir, gzip ? `${name}.gz` : name), gzip ? gzipSync(data) : data);
  w('train-images-idx3-ubyte', idxImages(12, 2, 2, (i) => Math.floor(i / 4)));
  w('train-labels-idx1-ubyte', idxLabels(Array.from({ length: 12 }, (_, i) => i % 10)));
  w('t10k-images-idx3-ubyte', idxImages(3, 2, 2, (i) => 100 + Math.floor(i / 4)));
  w('t10k-labels-idx1-ubyte', idxLabels([7, 8, 9]));
}

for (const gzip of [true, false]) {
  test(`IDX files (${gzip ? 'gzipped' : 'plain'}): the last validationSize training images are validation, the first trainSize train`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'fmnist-'));
    try {
      writeSet(dir, gzip);
      const d = loadFashionMnist({ dir, validationSize: 4, trainSize: 5 });
      assert.equal(d.height, 2);
      assert.equal(d.width, 2);
      assert.equal(d.train.count, 5);
      assert.deepEqual([...d.train.labels], [0, 1, 2, 3, 4]);
      assert.deepEqual([...d.validation.labels], [8, 9, 0, 1]);
      assert.ok(Math.abs(d.validation.images[0] - 8 / 255) < 1e-7);
      assert.equal(d.test.count, 3);
      assert.ok(Math.abs(d.test.images[4] - 101 / 255) < 1e-7);
      assert.equal(loadFashionMnist({ dir, validationSize: 4 }).train.count, 8, 'default: all the rest');
      assert.throws(() => loadFashionMnist({ dir, validationSize: 4, trainSize: 9 }), /trainSize must be an integer in \[1, 8\]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('clear errors: missing files, wrong magic, truncated files, label count mismatch', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fmnist-'));
  try {
    assert.throws(() => loadFashionMnist({ dir }), /train-images-idx3-ubyte\.gz: missing .*dataset-fashion-mnist/);
    writeSet(dir, false);
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idxImages(1, 1, 1, () => 0));
    assert.throws(() => loadFashionMnist({ dir, validationSize: 4 }), /train-labels-idx1-ubyte: IDX magic 0x00000803, expected 0x00000801/);
    writeFileSync(join(dir, 'train-labels-idx1-ubyte'), idxLabels([1, 2, 3]));
    assert.throws(() => loadFashionMnist({ dir, validationSize: 4 }), /3 labels for the 12 images/);
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), idxImages(12, 2, 2, () => 0).subarray(0, 30));
    assert.throws(() => loadFashionMnist({ dir, validationSize: 4 }), /train-images-idx3-ubyte: 30 bytes, expected 64 for 12 images of 2x2/);
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), Buffer.from([0x1f, 0x8b, 1, 2, 3]));
    assert.throws(() => loadFashionMnist({ dir, validationSize: 4 }), /train-images-idx3-ubyte\.gz: not a valid gzip file/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the Debian dataset-fashion-mnist files: 55k / 5k / 10k of 28x28, 10 classes', { skip: !existsSync(join(FASHION_MNIST_DIR, 't10k-labels-idx1-ubyte.gz')) && 'dataset-fashion-mnist is not installed' }, () => {
  const d = loadFashionMnist({ trainSize: 1000 });
  assert.equal(d.height * d.width, 784);
  assert.equal(d.train.count, 1000);
  assert.equal(d.validation.count, 5000);
  assert.equal(d.test.count, 10000);
  assert.equal(d.test.labels.reduce((s, y) => s + (y === 3 ? 1 : 0), 0), 1000, 'the test set is balanced');
  assert.ok(d.train.images.every((p) => p >= 0 && p <= 1));
});
