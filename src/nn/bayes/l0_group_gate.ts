// One hard-concrete L0 gate per group (Louizos et al. 2018; spec §5), multiplying whole words, inputs, hidden units or
// gate pre-activations as GroupVariable does: one sample per sequence in train mode, shared over its timesteps; the
// deterministic test gate in eval mode, a group pruned where it is 0. No learnable scale: the weights carry it.
import { tf } from '../../engine/tf.js';
import { Module } from '../module.js';
import { seedStream } from '../init.js';
import type { NoiseSource } from './noise.js';
import type { GroupGate } from './group_gate.js';
import { clampLogAlpha, hardConcreteNoise, hardConcreteSample, hardConcreteTestGate, initialLogAlpha } from './hard_concrete.js';
import { DEFAULT_L0_OPTIONS, l0GroupPenalty, type L0Options } from './l0_penalty.js';

export class L0GroupGate extends Module implements GroupGate {
  readonly logAlpha: tf.Variable;
  readonly noise: NoiseSource;

  /** `weightsPerGroup`: the weights one group scales, its L0 cost in units of lambda (l0GroupPenalty). */
  constructor(readonly size: number, readonly weightsPerGroup: number, seed?: number,
    readonly options: L0Options = DEFAULT_L0_OPTIONS) {
    super();
    if (!(weightsPerGroup > 0)) throw new RangeError(`L0GroupGate: weightsPerGroup must be positive, got ${weightsPerGroup}`);
    const next = seedStream(seed ?? Math.floor(Math.random() * 2 ** 31));
    this.logAlpha = this.addParameter('logAlpha', initialLogAlpha([size], next()));
    this.noise = hardConcreteNoise(next());
  }

  apply(batchSize: number): tf.Tensor2D {
    if (this.training) return tf.tidy(() => hardConcreteSample(this.logAlpha, this.noise([batchSize, this.size])) as tf.Tensor2D);
    return tf.tidy(() => tf.broadcastTo(this.evalValues(), [batchSize, this.size]) as tf.Tensor2D);
  }

  evalValues(): tf.Tensor1D {
    return hardConcreteTestGate(this.logAlpha) as tf.Tensor1D;
  }

  keptMask(): tf.Tensor1D {
    return tf.tidy(() => tf.cast(tf.greater(this.evalValues(), 0), 'float32') as tf.Tensor1D);
  }

  penalty(): tf.Scalar {
    return l0GroupPenalty(this.logAlpha, this.weightsPerGroup, this.options);
  }

  override afterStep(step?: number): void {
    clampLogAlpha(this.logAlpha);
    super.afterStep(step);
  }
}
