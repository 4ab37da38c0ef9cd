// Adam with tfjs AdamOptimizer's exact float32 arithmetic: m = b1*m + (1-b1)*g, v = b2*v + (1-b2)*g^2,
// p += -lr * (m / (1-accB1)) / (sqrt(v / (1-accB2)) + eps), where accB = b^(step+1) is kept as a running float32
// product, as tfjs does. On the native backend one call updates every variable in place.
import { tf } from '../tf.js';
import { requireAddon } from '../addon.js';
import { FusedOptimizer, type NativeTargets, type OptimizerOptions, type PlainTarget } from './optimizer.js';

export interface AdamOptions extends OptimizerOptions {
  beta1?: number;
  beta2?: number;
  /** Added to sqrt(v-hat); tfjs's default on float32 backends is 1e-7. */
  epsilon?: number;
}

/** base^(step+1) as tfjs's accBeta variable holds it: a float32 product updated once per step. */
class RunningFloat32Power {
  private step = 0;
  private value: number;

  constructor(private readonly base: number) {
    this.value = Math.fround(base);
  }

  at(step: number): number {
    if (step < this.step) {
      this.step = 0;
      this.value = Math.fround(this.base);
    }
    for (; this.step < step; this.step++) this.value = Math.fround(this.value * Math.fround(this.base));
    return this.value;
  }
}

export class Adam extends FusedOptimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private readonly accBeta1: RunningFloat32Power;
  private readonly accBeta2: RunningFloat32Power;

  constructor(options: AdamOptions) {
    super(options, 2);
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? 1e-7;
    this.accBeta1 = new RunningFloat32Power(this.beta1);
    this.accBeta2 = new RunningFloat32Power(this.beta2);
  }

  protected updateNative({ params, grads, slots: [m, v] }: NativeTargets, gradScale: number): void {
    requireAddon().adamUpdate(params, grads, m, v, gradScale, this.beta1, 1 - this.beta1, this.beta2, 1 - this.beta2,
      1 - this.accBeta1.at(this.step), 1 - this.accBeta2.at(this.step), this.epsilon, -this.learningRate);
  }

  protected updatePlain(targets: PlainTarget[]): void {
    // tfjs computes 1 - accBeta as a float32 op; the other constants become float32 scalars from doubles.
    const oneMinusAccBeta1 = Math.fround(1 - this.accBeta1.at(this.step));
    const oneMinusAccBeta2 = Math.fround(1 - this.accBeta2.at(this.step));
    for (const { variable, gradient: g, slots: [m, v] } of targets) {
      const m1 = tf.add(tf.mul(m, this.beta1), tf.mul(g, 1 - this.beta1));
      const v1 = tf.add(tf.mul(v, this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
      const mHat = tf.div(m1, oneMinusAccBeta1);
      const vHat = tf.div(v1, oneMinusAccBeta2);
      m.assign(m1);
      v.assign(v1);
      variable.assign(tf.add(tf.mul(tf.div(mHat, tf.add(tf.sqrt(vHat), this.epsilon)), -this.learningRate), variable));
    }
  }
}
