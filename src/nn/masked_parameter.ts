// A pruned weight tensor as torch.nn.utils.prune reparameterises it: a trainable theta and a non-trainable 0/1 mask,
// the forward pass using theta * mask, so masked entries get no gradient and stay pruned while theta keeps its
// values. The owning Module registers both as its parameters (as SparseVD's theta and log sigma): the mask is a
// non-trainable tf.Variable, which Module.parameterCount() skips, the trainer leaves out of the optimizer, and a
// checkpoint (hostParameters / restoreParameters) saves and restores with the other parameters.
// Method names follow SparseVD (weight, evalWeight, keptMask) so either can stand behind one interface.
import { tf } from '../engine/tf.js';
import type { PrunableTensor } from './bayes/prunable_tensor.js';

/** The owner's Module.addParameter, passed in because it is protected: `(n, t, tr) => this.addParameter(n, t, tr)`. */
export type RegisterParameter = (name: string, initial: tf.Tensor, trainable: boolean) => tf.Variable;

/** How applyMask combines a new mask with the current one. */
export type MaskUpdate = 'intersect' | 'replace';

export class MaskedParameter implements PrunableTensor {
  constructor(readonly theta: tf.Variable, readonly mask: tf.Variable) {
    if (theta.shape.join() !== mask.shape.join()) throw new Error(`MaskedParameter: theta [${theta.shape}] vs mask [${mask.shape}]`);
    if (mask.trainable) throw new Error('MaskedParameter: the mask must be a non-trainable variable');
    if (mask.dtype !== 'float32') throw new Error(`MaskedParameter: the mask must be float32, got ${mask.dtype}`);
  }

  /**
   * Registers `${name}Theta` (trainable, from `initial`, which it takes over) and `${name}Mask` (non-trainable,
   * all ones) through the owner's addParameter, as SparseVD's `${name}Theta` / `${name}LogSigma`.
   */
  static register(register: RegisterParameter, name: string, initial: tf.Tensor): MaskedParameter {
    const ones = tf.onesLike(initial);
    const theta = register(`${name}Theta`, initial, true);
    return new MaskedParameter(theta, register(`${name}Mask`, ones, false));
  }

  get shape(): number[] {
    return this.theta.shape;
  }

  /** theta * mask: the weight of a forward pass, the same in train and eval mode (no noise). */
  weight(training: boolean): tf.Tensor {
    void training;
    return this.evalWeight();
  }

  /** theta * mask. */
  evalWeight(): tf.Tensor {
    return tf.mul(this.theta, this.mask);
  }

  /** theta * mask of the given rows (an embedding lookup): int32 rows [N] -> [N, ...rest]; no noise in either mode. */
  gatherRows(rows: tf.Tensor1D, training: boolean): tf.Tensor {
    void training;
    return tf.tidy(() => tf.mul(tf.gather(this.theta, rows), tf.gather(this.mask, rows)));
  }

  /**
   * 0: a masked tensor has no per-element regulariser. The group-lasso penalty couples tensors (a hidden neuron's
   * group spans W_h and W_out), so it is computed over the whole model by groupLassoPenalty.
   */
  penalty(): tf.Scalar {
    return tf.scalar(0);
  }

  /** float32 1 where kept, 0 where pruned (a new tensor). */
  keptMask(): tf.Tensor {
    return tf.clone(this.mask);
  }

  /** The kept mask on the host, as structure.ts reads it. */
  hostKeptMask(): Uint8Array {
    return Uint8Array.from(this.mask.dataSync());
  }

  /** Number of kept entries. */
  keptCount(): number {
    let kept = 0;
    for (const v of this.mask.dataSync()) if (v) kept++;
    return kept;
  }

  /**
   * Sets the mask from 0/1 values (row-major host values or a tensor of the same shape). 'intersect' (default) keeps
   * only what both masks keep, so pruned entries stay pruned; 'replace' can revive entries (theta kept their values).
   */
  applyMask(mask: ArrayLike<number> | tf.Tensor, update: MaskUpdate = 'intersect'): void {
    const values = mask instanceof tf.Tensor ? this.checkedTensorValues(mask) : mask;
    if (values.length !== this.mask.size) {
      throw new Error(`MaskedParameter.applyMask: got ${values.length} values, the mask [${this.shape}] has ${this.mask.size}`);
    }
    const current = update === 'intersect' ? this.mask.dataSync() : null;
    const next = new Float32Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = Number(values[i]);
      if (v !== 0 && v !== 1) throw new Error(`MaskedParameter.applyMask: value ${i} is ${v}, expected 0 or 1`);
      next[i] = current ? v * current[i] : v;
    }
    const t = tf.tensor(next, this.shape, 'float32');
    this.mask.assign(t);
    t.dispose();
  }

  /** theta <- theta * mask: makes the stored theta equal the weight (e.g. before exporting theta alone). */
  zeroPruned(): void {
    const w = this.evalWeight();
    this.theta.assign(w);
    w.dispose();
  }

  private checkedTensorValues(mask: tf.Tensor): ArrayLike<number> {
    if (mask.shape.join() !== this.shape.join()) throw new Error(`MaskedParameter.applyMask: mask [${mask.shape}] vs parameter [${this.shape}]`);
    return mask.dataSync();
  }
}
