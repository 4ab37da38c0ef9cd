// 2-D convolution over NHWC images (tfjs's layout), 'same' padding, optional bias.
import { tf } from '../../engine/tf.js';
import { Module } from '../../nn/module.js';
import { normalInit } from '../../nn/init.js';

export interface Conv2DOptions {
  /** Square kernel size (default 3). */
  kernelSize?: number;
  /** Stride in both directions (default 1). */
  stride?: number;
  /** Learn a bias per output channel (default true). */
  bias?: boolean;
  seed?: number;
}

export class Conv2D extends Module {
  /** [k, k, inChannels, outChannels]. */
  readonly kernel: tf.Variable;
  readonly bias: tf.Variable | null;
  readonly kernelSize: number;
  readonly stride: number;

  constructor(readonly inChannels: number, readonly outChannels: number, options: Conv2DOptions = {}) {
    super();
    this.kernelSize = options.kernelSize ?? 3;
    this.stride = options.stride ?? 1;
    const k = this.kernelSize;
    // He init on fan-out, N(0, 2 / (k^2 * out)): the init of the spec's VGG / WideResNet code.
    this.kernel = this.addParameter('kernel', normalInit([k, k, inChannels, outChannels], Math.sqrt(2 / (k * k * outChannels)), options.seed));
    this.bias = options.bias ?? true ? this.addParameter('bias', tf.zeros([outChannels])) : null;
  }

  /** Number of parameters of a conv with these shapes (the closed form the families sum). */
  static parameterCount(inChannels: number, outChannels: number, kernelSize: number, bias: boolean): number {
    return kernelSize * kernelSize * inChannels * outChannels + (bias ? outChannels : 0);
  }

  /** x: [B, H, W, inChannels] -> [B, ceil(H / stride), ceil(W / stride), outChannels]. */
  apply(x: tf.Tensor4D): tf.Tensor4D {
    const y = tf.conv2d(x, this.kernel as tf.Tensor4D, this.stride, 'same');
    return this.bias ? tf.add(y, this.bias) : y;
  }
}
