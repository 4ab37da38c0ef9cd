// A tiny learnable dataset for member-training tests: 3 Gaussian blobs in 8 dimensions (not a test file itself).
import { mulberry32 } from '../../src/train/trainer.js';
import type { MemberDataset, MemberSplit } from '../../src/ensembles/member_dataset.js';

export function blobDataset(perSplit = { train: 96, validation: 48, test: 48 }, seed = 7): MemberDataset {
  const random = mulberry32(seed), dims = 8, classes = 3;
  const centres = Array.from({ length: classes }, () => Array.from({ length: dims }, () => 2 * random() - 1));
  const split = (count: number): MemberSplit => {
    const inputs = new Float32Array(count * dims), labels = new Int32Array(count);
    for (let r = 0; r < count; r++) {
      labels[r] = r % classes;
      for (let j = 0; j < dims; j++) inputs[r * dims + j] = centres[labels[r]][j] + 0.6 * (random() - 0.5);
    }
    return { inputs, labels, count };
  };
  return { kind: 'image', exampleShape: [dims], classes, train: split(perSplit.train), validation: split(perSplit.validation), test: split(perSplit.test) };
}

export const BLOB_MLP = { arch: 'mlp', inputSize: 8, depth: 2, classes: 3 } as const;
