// Fashion-MNIST (60k train + 10k test 28x28 grey images, 10 classes) from the four IDX files, gzipped (Debian's
// `dataset-fashion-mnist` installs them in /usr/share/datasets/fashion-mnist; the public release has the same names)
// or plain. The validation split is the last `validationSize` (default 5000) training images, the rule of the
// memory-split spec §2 (its code trains on the first 45k of CIFAR's 50k and validates on the last 5k); training uses
// the first `trainSize` of the rest (default all 55k), so a small-data regime (spec §6.3 A: 10k) keeps the same
// validation and test sets.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DataFileError } from './data_file_error.js';

export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';
export const FASHION_MNIST_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'] as const;

const IMAGES_MAGIC = 0x00000803, LABELS_MAGIC = 0x00000801;

/** Images as row-major [count, rows * cols] floats in [0, 1] (pixel / 255), labels 0..9. */
export interface ImageSplit {
  images: Float32Array;
  labels: Int32Array;
  count: number;
}

export interface FashionMnist {
  train: ImageSplit;
  validation: ImageSplit;
  test: ImageSplit;
  height: number;
  width: number;
  classes: number;
  /** The directory the files were read from. */
  dir: string;
}

export interface FashionMnistOptions {
  /** Directory of the IDX files (default FASHION_MNIST_DIR or $FASHION_MNIST_DIR). */
  dir?: string;
  /** Last training images held out for validation (default 5000). */
  validationSize?: number;
  /** First images of the remaining training set to train on (default: all of them). */
  trainSize?: number;
}

/** The IDX file `stem` in dir: `stem.gz` or `stem`; throws naming both candidates when neither exists. */
export function findIdxFile(dir: string, stem: string): string {
  for (const name of [`${stem}.gz`, stem]) if (existsSync(join(dir, name))) return join(dir, name);
  throw new DataFileError(join(dir, `${stem}.gz`), `missing (nor ${stem}); install the Debian package dataset-fashion-mnist `
    + `(apt-get install dataset-fashion-mnist) or put the four Fashion-MNIST IDX files (.gz or plain) in ${dir}`);
}

/** Raw bytes of an IDX file, gunzipped when it starts with the gzip magic. */
function readIdxBytes(path: string): Buffer {
  const raw = readFileSync(path);
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      return gunzipSync(raw);
    } catch (e) {
      throw new DataFileError(path, `not a valid gzip file (${(e as Error).message})`);
    }
  }
  return raw;
}

/** Parses an IDX3 unsigned-byte image file: magic 0x803, count, rows, cols (big endian), then the pixels. */
export function parseIdxImages(bytes: Uint8Array, file: string): { pixels: Uint8Array; count: number; rows: number; cols: number } {
  if (bytes.length < 16) throw new DataFileError(file, `${bytes.length} bytes: too short for an IDX image header (16 bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic !== IMAGES_MAGIC) throw new DataFileError(file, `IDX magic 0x${magic.toString(16).padStart(8, '0')}, expected 0x00000803 (unsigned-byte images, 3 dimensions)`);
  const count = view.getUint32(4), rows = view.getUint32(8), cols = view.getUint32(12);
  const expected = 16 + count * rows * cols;
  if (bytes.length !== expected) throw new DataFileError(file, `${bytes.length} bytes, expected ${expected} for ${count} images of ${rows}x${cols}`);
  return { pixels: bytes.subarray(16), count, rows, cols };
}

/** Parses an IDX1 unsigned-byte label file: magic 0x801, count, then one byte per label. */
export function parseIdxLabels(bytes: Uint8Array, file: string, classes = 10): Int32Array {
  if (bytes.length < 8) throw new DataFileError(file, `${bytes.length} bytes: too short for an IDX label header (8 bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  if (magic !== LABELS_MAGIC) throw new DataFileError(file, `IDX magic 0x${magic.toString(16).padStart(8, '0')}, expected 0x00000801 (unsigned-byte labels, 1 dimension)`);
  const count = view.getUint32(4);
  if (bytes.length !== 8 + count) throw new DataFileError(file, `${bytes.length} bytes, expected ${8 + count} for ${count} labels`);
  const labels = Int32Array.from(bytes.subarray(8));
  const bad = labels.findIndex((y) => y >= classes);
  if (bad >= 0) throw new DataFileError(file, `label ${bad} is ${labels[bad]}, expected 0..${classes - 1}`);
  return labels;
}

function readSplit(dir: string, prefix: 'train' | 't10k'): ImageSplit & { rows: number; cols: number } {
  const imageFile = findIdxFile(dir, `${prefix}-images-idx3-ubyte`), labelFile = findIdxFile(dir, `${prefix}-labels-idx1-ubyte`);
  const { pixels, count, rows, cols } = parseIdxImages(readIdxBytes(imageFile), imageFile);
  const labels = parseIdxLabels(readIdxBytes(labelFile), labelFile);
  if (labels.length !== count) throw new DataFileError(labelFile, `${labels.length} labels for the ${count} images of ${imageFile}`);
  const images = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) images[i] = pixels[i] / 255;
  return { images, labels, count, rows, cols };
}

function rowsOf(split: ImageSplit, pixels: number, from: number, to: number): ImageSplit {
  return { images: split.images.slice(from * pixels, to * pixels), labels: split.labels.slice(from, to), count: to - from };
}

export function loadFashionMnist(options: FashionMnistOptions = {}): FashionMnist {
  const dir = options.dir ?? process.env.FASHION_MNIST_DIR ?? FASHION_MNIST_DIR;
  const train = readSplit(dir, 'train'), test = readSplit(dir, 't10k');
  if (test.rows !== train.rows || test.cols !== train.cols) {
    throw new DataFileError(join(dir, 't10k-images-idx3-ubyte'), `images are ${test.rows}x${test.cols}, the training images ${train.rows}x${train.cols}`);
  }
  const validationSize = options.validationSize ?? 5000;
  if (!Number.isInteger(validationSize) || validationSize < 1 || validationSize >= train.count) {
    throw new RangeError(`fashion-mnist: validationSize must be an integer in [1, ${train.count - 1}], got ${validationSize}`);
  }
  const available = train.count - validationSize, trainSize = options.trainSize ?? available;
  if (!Number.isInteger(trainSize) || trainSize < 1 || trainSize > available) {
    throw new RangeError(`fashion-mnist: trainSize must be an integer in [1, ${available}] (training images less the ${validationSize} held out), got ${trainSize}`);
  }
  const pixels = train.rows * train.cols;
  return {
    train: rowsOf(train, pixels, 0, trainSize),
    validation: rowsOf(train, pixels, available, train.count),
    test: { images: test.images, labels: test.labels, count: test.count },
    height: train.rows, width: train.cols, classes: FASHION_MNIST_CLASSES.length, dir,
  };
}
