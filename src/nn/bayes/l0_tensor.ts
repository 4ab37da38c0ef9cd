// A weight tensor with one hard-concrete L0 gate per element (Louizos et al. 2018; spec §5): w = theta * z. Train
// mode draws every gate once per call (one mini-batch), shared by its sequences and timesteps as SparseVD's weight
// sample; eval mode uses the deterministic test gate, and an element is pruned where that gate is 0.
import { tf } from '../../engine/tf.js';
import type { NoiseSource } from './noise.js';
import type { PrunableTensor } from './prunable_tensor.js';
import { clampLogAlpha, hardConcreteNoise, hardConcreteSample, hardConcreteTestGate } from './hard_concrete.js';
import { DEFAULT_L0_OPTIONS, l0WeightPenalty, type L0Options } from './l0_penalty.js';

export class L0Tensor implements PrunableTensor {
  readonly noise: NoiseSource;

  constructor(readonly theta: tf.Variable, readonly logAlpha: tf.Variable, seed?: number,
    readonly options: L0Options = DEFAULT_L0_OPTIONS) {
    if (theta.shape.join() !== logAlpha.shape.join()) throw new Error(`L0Tensor: theta [${theta.shape}] vs logAlpha [${logAlpha.shape}]`);
    this.noise = hardConcreteNoise(seed);
  }

  get shape(): number[] {
    return this.theta.shape;
  }

  /** One hard-concrete draw of every gate. */
  sampleGates(): tf.Tensor {
    return tf.tidy(() => hardConcreteSample(this.logAlpha, this.noise(this.shape)));
  }

  /** The test-time gates (0 = pruned). */
  testGates(): tf.Tensor {
    return hardConcreteTestGate(this.logAlpha);
  }

  weight(training: boolean): tf.Tensor {
    return training ? tf.tidy(() => tf.mul(this.theta, this.sampleGates())) : this.evalWeight();
  }

  evalWeight(): tf.Tensor {
    return tf.tidy(() => tf.mul(this.theta, this.testGates()));
  }

  keptMask(): tf.Tensor {
    return tf.tidy(() => tf.cast(tf.greater(this.testGates(), 0), 'float32'));
  }

  gatherRows(rows: tf.Tensor1D, training: boolean): tf.Tensor {
    return tf.tidy(() => {
      const theta = tf.gather(this.theta, rows), logAlpha = tf.gather(this.logAlpha, rows);
      const gates = training ? hardConcreteSample(logAlpha, this.noise(logAlpha.shape)) : hardConcreteTestGate(logAlpha);
      return tf.mul(theta, gates);
    });
  }

  /** sum_i P(z_i != 0) (lambda + 0.5 priorPrecision theta_i^2); the KL form does not apply. */
  penalty(): tf.Scalar {
    return l0WeightPenalty(this.logAlpha, this.theta, this.options);
  }

  /** Called after every optimizer step (Module.afterStep): log alpha back into [ln 0.01, ln 100]. */
  afterStep(): void {
    clampLogAlpha(this.logAlpha);
  }
}
