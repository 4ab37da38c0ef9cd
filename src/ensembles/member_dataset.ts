// The data every member of a sweep trains on, as flat typed arrays that can live in SharedArrayBuffers, so worker
// threads read one copy instead of each loading the files (spec §6.5: members share data, never minibatches).
import { tf } from '../engine/tf.js';
import type { FashionMnist } from '../data/fashion_mnist.js';
import type { ClassificationDataset, LabelledSplit } from '../data/classification_dataset.js';

export interface MemberSplit {
  /** Row-major [count, ...exampleShape]: floats for images, int32 token ids for sequences. */
  inputs: Float32Array | Int32Array;
  labels: Int32Array;
  /** Real lengths of left-padded id rows (sequences only). */
  lengths?: Int32Array;
  count: number;
}

export interface MemberDataset {
  /** 'image': float features; 'sequence': left-padded int32 ids. */
  kind: 'image' | 'sequence';
  /** One example's shape: [784], [28, 28, 1] or [maxLength]. */
  exampleShape: number[];
  classes: number;
  /** Embedding rows for 'sequence' data. */
  vocabularySize?: number;
  train: MemberSplit;
  validation: MemberSplit;
  test: MemberSplit;
}

export type MemberSplitName = 'train' | 'validation' | 'test';

/** Fashion-MNIST as flat [784] features (MLP) or [28, 28, 1] images (CNN). */
export function imageMemberDataset(data: FashionMnist, layout: 'flat' | 'image'): MemberDataset {
  const split = (s: FashionMnist['train']): MemberSplit => ({ inputs: s.images, labels: s.labels, count: s.count });
  return {
    kind: 'image',
    exampleShape: layout === 'flat' ? [data.height * data.width] : [data.height, data.width, 1],
    classes: data.classes,
    train: split(data.train), validation: split(data.validation), test: split(data.test),
  };
}

/** A text ClassificationDataset (left-padded ids) as sequence data. */
export function sequenceMemberDataset(data: ClassificationDataset, classes: number): MemberDataset {
  const split = (s: LabelledSplit): MemberSplit => ({ inputs: s.ids, labels: s.labels, lengths: s.lengths, count: s.count });
  return {
    kind: 'sequence', exampleShape: [data.train.maxLength], classes, vocabularySize: data.vocabularySize,
    train: split(data.train), validation: split(data.validation), test: split(data.test),
  };
}

function shared<T extends Float32Array | Int32Array>(a: T): T {
  const copy = new (a.constructor as { new(b: SharedArrayBuffer): T })(new SharedArrayBuffer(a.byteLength));
  copy.set(a);
  return copy;
}

/** A copy whose arrays live in SharedArrayBuffers (posting it to a worker then copies nothing). */
export function shareMemberDataset(d: MemberDataset): MemberDataset {
  const split = (s: MemberSplit): MemberSplit => ({
    inputs: shared(s.inputs), labels: shared(s.labels), lengths: s.lengths && shared(s.lengths), count: s.count,
  });
  return { ...d, exampleShape: [...d.exampleShape], train: split(d.train), validation: split(d.validation), test: split(d.test) };
}

/** The examples at `rows` as one input tensor [rows.length, ...exampleShape] (int32 for sequences). */
export function inputBatch(d: MemberDataset, split: MemberSplit, rows: ArrayLike<number>): tf.Tensor {
  const size = d.exampleShape.reduce((a, b) => a * b, 1);
  const out = d.kind === 'sequence' ? new Int32Array(rows.length * size) : new Float32Array(rows.length * size);
  for (let i = 0; i < rows.length; i++) out.set(split.inputs.subarray(rows[i] * size, (rows[i] + 1) * size), i * size);
  return tf.tensor(out, [rows.length, ...d.exampleShape], d.kind === 'sequence' ? 'int32' : 'float32');
}

/** Checks shapes and labels of every split; throws naming the split and field. */
export function checkMemberDataset(d: MemberDataset): void {
  const size = d.exampleShape.reduce((a, b) => a * b, 1);
  for (const name of ['train', 'validation', 'test'] as const) {
    const s = d[name];
    if (s.count < 1) throw new Error(`member dataset: the ${name} split is empty`);
    if (s.inputs.length !== s.count * size) throw new Error(`member dataset: ${name}.inputs has ${s.inputs.length} values, expected ${s.count} x ${size}`);
    if (s.labels.length !== s.count) throw new Error(`member dataset: ${name}.labels has ${s.labels.length} entries, expected ${s.count}`);
    const bad = s.labels.findIndex((y) => y < 0 || y >= d.classes);
    if (bad >= 0) throw new Error(`member dataset: ${name}.labels[${bad}] is ${s.labels[bad]}, expected 0..${d.classes - 1}`);
    if (d.kind === 'sequence' && s.lengths?.length !== s.count) throw new Error(`member dataset: ${name}.lengths must hold ${s.count} lengths`);
  }
}
