// Trains one ensemble member on the current thread: a fresh model of the family at `width`, seeded init and data
// order, Adam (src/engine/optim, fused in place on the native backend) on mini-batches of the training split for a
// fixed number of epochs, then the last weights' logits on the validation and test splits (spec §2: no early stop).
import { tf } from '../engine/tf.js';
import { Adam } from '../engine/optim/adam.js';
import { sparseSoftmaxCrossEntropy } from '../train/losses.js';
import { deriveSeed, mulberry32 } from '../train/trainer.js';
import type { MemberModel } from './family.js';
import { memberFamily, type MemberFamilySpec } from './member_family.js';
import { inputBatch, type MemberDataset, type MemberSplit } from './member_dataset.js';

export interface MemberTrainingOptions {
  epochs: number;
  /** Default 128 (the spec's batch). */
  batchSize?: number;
  /** Adam learning rate (default 1e-3). */
  learningRate?: number;
  /** Seeds the init and every epoch's shuffle. */
  seed: number;
}

export interface MemberResult {
  seed: number;
  width: number;
  parameters: number;
  /** Row-major [rows, classes] logits after the last epoch. */
  validationLogits: Float32Array;
  testLogits: Float32Array;
  /** Mean training loss of the last epoch. */
  finalTrainLoss: number;
  seconds: number;
}

function logitsOf(model: MemberModel, d: MemberDataset, split: MemberSplit, batchSize: number): tf.Tensor2D {
  return tf.tidy(() => {
    const parts: tf.Tensor2D[] = [];
    for (let from = 0; from < split.count; from += batchSize) {
      const rows = Array.from({ length: Math.min(batchSize, split.count - from) }, (_, i) => from + i);
      parts.push(tf.keep(forward(model, d, split, rows)));
    }
    return tf.concat(parts, 0);
  });
}

/** The model's logits for some rows of a split (sequence models get the rows' lengths, left padding). */
export function forward(model: MemberModel, d: MemberDataset, split: MemberSplit, rows: ArrayLike<number>): tf.Tensor2D {
  return tf.tidy(() => {
    const x = inputBatch(d, split, rows);
    if (d.kind !== 'sequence') return model.apply(x);
    const lengths = tf.tensor1d(Int32Array.from(rows, (r) => split.lengths![r]), 'int32');
    return (model as unknown as { apply(ids: tf.Tensor, lengths: tf.Tensor1D, padding: 'left'): tf.Tensor2D }).apply(x, lengths, 'left');
  });
}

export function trainMember(d: MemberDataset, family: MemberFamilySpec, width: number, options: MemberTrainingOptions): MemberResult {
  const { epochs, seed } = options, batchSize = options.batchSize ?? 128;
  if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`trainMember: epochs must be a positive integer, got ${epochs}`);
  const t0 = performance.now();
  const model = memberFamily(family).build(width, deriveSeed(seed, 0, 0));
  const variables = model.parameters().filter((v) => v.trainable);
  const optimizer = new Adam({ learningRate: options.learningRate ?? 1e-3 });
  const train = d.train;
  let finalTrainLoss = NaN;
  try {
    model.train();
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const random = mulberry32(deriveSeed(seed, epoch, 2));
      const order = Array.from({ length: train.count }, (_, i) => i);
      for (let i = order.length - 1; i > 0; i--) { const j = Math.floor(random() * (i + 1)); [order[i], order[j]] = [order[j], order[i]]; }
      let sum = 0, steps = 0;
      for (let from = 0; from < order.length; from += batchSize) {
        const rows = order.slice(from, from + batchSize);
        const labels = tf.tensor1d(Int32Array.from(rows, (r) => train.labels[r]), 'int32');
        const { value, grads } = tf.variableGrads(() => sparseSoftmaxCrossEntropy(forward(model, d, train, rows), labels), variables);
        optimizer.applyGradients(variables, variables.map((v) => grads[v.name]));
        sum += value.dataSync()[0];
        steps++;
        tf.dispose([value, labels, ...Object.values(grads)]);
      }
      finalTrainLoss = sum / steps;
      if (!Number.isFinite(finalTrainLoss)) throw new Error(`trainMember (seed ${seed}, width ${width}): training loss is ${finalTrainLoss} in epoch ${epoch}`);
    }
    model.eval();
    const evalBatch = Math.max(batchSize, 512);
    const validation = logitsOf(model, d, d.validation, evalBatch), test = logitsOf(model, d, d.test, evalBatch);
    const result: MemberResult = {
      seed, width, parameters: model.parameterCount(),
      // copies: dataSync may hand out the backend's own buffer, which the native backend recycles after dispose
      validationLogits: Float32Array.from(validation.dataSync()), testLogits: Float32Array.from(test.dataSync()),
      finalTrainLoss, seconds: (performance.now() - t0) / 1e3,
    };
    tf.dispose([validation, test]);
    return result;
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}
