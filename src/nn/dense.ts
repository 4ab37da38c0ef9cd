// Fully connected layer y = act(x W + b) on the fused matmul kernel.
import { tf } from '../engine/tf.js';
import { Module } from './module.js';
import { uniformInit } from './init.js';

export type DenseActivation = 'linear' | 'relu' | 'sigmoid';

export class Dense extends Module {
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable;

  constructor(readonly inputSize: number, readonly units: number, readonly activation: DenseActivation = 'linear', seed?: number) {
    super();
    const bound = 1 / Math.sqrt(inputSize);
    this.kernel = this.addParameter('kernel', uniformInit([inputSize, units], bound, seed));
    this.bias = this.addParameter('bias', uniformInit([units], bound, seed === undefined ? undefined : seed + 1));
  }

  /** x: [..., inputSize] -> [..., units]. */
  apply(x: tf.Tensor): tf.Tensor {
    const lead = x.shape.slice(0, -1);
    const x2 = x.rank === 2 ? (x as tf.Tensor2D) : tf.reshape(x, [-1, this.inputSize]) as tf.Tensor2D;
    const y = tf.fused.matMul({ a: x2, b: this.kernel as tf.Tensor2D, bias: this.bias, activation: this.activation });
    return x.rank === 2 ? y : tf.reshape(y, [...lead, this.units]);
  }
}
