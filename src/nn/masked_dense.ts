// Dense layer with a masked point-estimate kernel (group lasso's output layer, spec §5): y = x (theta * mask) + b,
// the same in train and eval mode. Parameters weightTheta, weightMask (not trainable; torch.prune's naming) and bias,
// initialised as SparseVDDense's (PyTorch's U(-1/sqrt(inputSize), 1/sqrt(inputSize)), same seed order), so the
// weights start equal to the SparseVD layer's of the same seed.
import { tf } from '../engine/tf.js';
import { Module } from './module.js';
import { seedStream, uniformInit } from './init.js';
import { MaskedParameter } from './masked_parameter.js';

export class MaskedDense extends Module {
  readonly bias: tf.Variable;
  readonly weight: MaskedParameter;

  constructor(readonly inputSize: number, readonly units: number, seed?: number) {
    super();
    const next = seedStream(seed ?? Math.floor(Math.random() * 2 ** 31));
    const init = (shape: number[]): tf.Tensor => uniformInit(shape, 1 / Math.sqrt(inputSize), next());
    this.weight = MaskedParameter.register((name, t, trainable) => this.addParameter(name, t, trainable), 'weight', init([inputSize, units]));
    this.bias = this.addParameter('bias', init([units]));
  }

  /** x: [..., inputSize] -> [..., units]. */
  apply(x: tf.Tensor): tf.Tensor {
    return tf.tidy(() => {
      const x2 = tf.reshape(x, [-1, this.inputSize]) as tf.Tensor2D;
      const y = tf.fused.matMul({ a: x2, b: this.weight.evalWeight() as tf.Tensor2D, bias: this.bias });
      return tf.reshape(y, [...x.shape.slice(0, -1), this.units]);
    });
  }
}
