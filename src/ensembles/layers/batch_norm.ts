// Batch normalisation over the channel (last) axis: batch statistics in train mode, running statistics in eval mode.
import { tf } from '../../engine/tf.js';
import { Module } from '../../nn/module.js';

export interface BatchNormOptions {
  /** PyTorch convention: running = (1 - momentum) * running + momentum * batch (default 0.1). */
  momentum?: number;
  epsilon?: number;
}

export class BatchNorm extends Module {
  readonly gamma: tf.Variable;
  readonly beta: tf.Variable;
  /** Buffers (trainable = false): saved with the parameters, not counted by parameterCount(). */
  readonly runningMean: tf.Variable;
  readonly runningVariance: tf.Variable;
  readonly momentum: number;
  readonly epsilon: number;

  constructor(readonly channels: number, options: BatchNormOptions = {}) {
    super();
    this.momentum = options.momentum ?? 0.1;
    this.epsilon = options.epsilon ?? 1e-5;
    this.gamma = this.addParameter('gamma', tf.ones([channels]));
    this.beta = this.addParameter('beta', tf.zeros([channels]));
    this.runningMean = this.addParameter('runningMean', tf.zeros([channels]), false);
    this.runningVariance = this.addParameter('runningVariance', tf.ones([channels]), false);
  }

  /** Trainable parameters: the affine scale and shift. */
  static parameterCount(channels: number): number {
    return 2 * channels;
  }

  /** x: [..., channels]. */
  apply(x: tf.Tensor): tf.Tensor {
    if (!this.training) {
      return tf.batchNorm(x, this.runningMean, this.runningVariance, this.beta, this.gamma, this.epsilon);
    }
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    const { mean, variance } = tf.moments(x, axes);
    this.updateRunningStatistics(mean, variance, x.size / this.channels);
    return tf.batchNorm(x, mean, variance, this.beta, this.gamma, this.epsilon);
  }

  private updateRunningStatistics(mean: tf.Tensor, variance: tf.Tensor, count: number): void {
    const m = this.momentum;
    const unbiased = count > 1 ? count / (count - 1) : 1; // PyTorch keeps the unbiased batch variance
    tf.tidy(() => {
      this.runningMean.assign(tf.add(tf.mul(this.runningMean, 1 - m), tf.mul(mean, m)));
      this.runningVariance.assign(tf.add(tf.mul(this.runningVariance, 1 - m), tf.mul(variance, m * unbiased)));
    });
  }
}
