// SGD with optional (Nesterov) momentum, with tfjs MomentumOptimizer's exact float32 arithmetic:
// acc = momentum*acc + g; p += -lr * acc, or with Nesterov p += -lr * (g + momentum*acc). Momentum 0 is plain
// SGD (p += -lr * g, as tfjs SGDOptimizer) and keeps no accumulation.
import { tf } from '../tf.js';
import { requireAddon } from '../addon.js';
import { FusedOptimizer, type NativeTargets, type OptimizerOptions, type PlainTarget } from './optimizer.js';

export interface SGDOptions extends OptimizerOptions {
  momentum?: number;
  nesterov?: boolean;
}

export class SGD extends FusedOptimizer {
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(options: SGDOptions) {
    const momentum = options.momentum ?? 0;
    if (!Number.isFinite(momentum)) throw new RangeError(`momentum: expected a finite number, got ${momentum}`);
    super(options, momentum === 0 ? 0 : 1);
    this.momentum = momentum;
    this.nesterov = options.nesterov ?? false;
  }

  protected updateNative({ params, grads, slots }: NativeTargets, gradScale: number): void {
    requireAddon().momentumUpdate(params, grads, this.momentum === 0 ? [] : slots[0], gradScale, this.momentum,
      -this.learningRate, this.nesterov);
  }

  protected updatePlain(targets: PlainTarget[]): void {
    const negLr = -this.learningRate;
    for (const { variable, gradient: g, slots: [acc] } of targets) {
      if (this.momentum === 0) {
        variable.assign(tf.add(tf.mul(negLr, g), variable));
        continue;
      }
      const a = tf.add(tf.mul(this.momentum, acc), g);
      const step = this.nesterov ? tf.add(g, tf.mul(a, this.momentum)) : a;
      acc.assign(a);
      variable.assign(tf.add(tf.mul(negLr, step), variable));
    }
  }
}
