// One SparseVD tensor: posterior N(theta, sigma^2) per element with a log-uniform prior (spec §2).
// The owning Module registers theta and logSigma as its parameters; this class holds the maths on them.
import { tf } from '../../engine/tf.js';
import { logAlpha, PRUNE_LOG_ALPHA, sparseVdKl, type KlForm } from './kl.js';
import { sparseVdSample } from '../../engine/ops/sparse_vd_sample.js';
import { normalNoise, type NoiseSource } from './noise.js';
import type { PrunableTensor } from './prunable_tensor.js';

/** Every Bayesian tensor starts at log sigma = -3 (log sigma^2 = -6). */
export const INITIAL_LOG_SIGMA = -3;

export class SparseVD implements PrunableTensor {
  readonly noise: NoiseSource;

  constructor(readonly theta: tf.Variable, readonly logSigma: tf.Variable, seed?: number) {
    if (theta.shape.join() !== logSigma.shape.join()) throw new Error(`SparseVD: theta [${theta.shape}] vs logSigma [${logSigma.shape}]`);
    this.noise = normalNoise(seed);
  }

  get shape(): number[] {
    return this.theta.shape;
  }

  sigma(): tf.Tensor {
    return tf.exp(this.logSigma);
  }

  /** Clipped log alpha, elementwise. */
  logAlpha(): tf.Tensor {
    return logAlpha(this.theta, this.logSigma);
  }

  /**
   * theta + sigma * eps: one draw per call, i.e. one per mini-batch, shared by its sequences and timesteps.
   * `batch` (e.g. [B]) draws that many independent samples instead, shaped [...batch, ...shape].
   */
  sample(batch: number[] = []): tf.Tensor {
    return tf.tidy(() => {
      const eps = this.noise([...batch, ...this.shape]);
      if (batch.length === 0) return sparseVdSample(this.theta, this.logSigma, eps);
      return tf.add(this.theta, tf.mul(this.sigma(), eps));
    });
  }

  /** The posterior mean theta (a new handle: disposing it leaves the parameter alone). */
  mean(): tf.Tensor {
    return tf.clone(this.theta);
  }

  /** float32 1 where log alpha < 3 (kept), 0 where it is pruned. Recomputed from the current parameters. */
  keptMask(): tf.Tensor {
    return keptMaskOf(this.theta, this.logSigma);
  }

  /** The deterministic eval-mode weight: theta with the log alpha >= 3 elements zeroed. */
  evalWeight(): tf.Tensor {
    return maskedMean(this.theta, this.logSigma);
  }

  /** The weight a forward pass uses: a sample in train mode, the masked mean in eval mode. */
  weight(training: boolean): tf.Tensor {
    return training ? this.sample() : this.evalWeight();
  }

  /** KL summed over the elements (a scalar). */
  kl(form: KlForm = 'molchanov'): tf.Scalar {
    return sparseVdKl(this.theta, this.logSigma, form);
  }

  /** The method-neutral name of kl(): SparseVD's regulariser is its KL. */
  penalty(form: KlForm = 'molchanov'): tf.Scalar {
    return this.kl(form);
  }

  /** One sample of the given rows (int32 [n]) in train mode, their masked means in eval mode. */
  gatherRows(rows: tf.Tensor1D, training: boolean): tf.Tensor {
    return tf.tidy(() => {
      const theta = tf.gather(this.theta, rows), logSigma = tf.gather(this.logSigma, rows);
      return training
        ? sparseVdSample(theta, logSigma, this.noise([rows.shape[0], ...this.shape.slice(1)]))
        : maskedMean(theta, logSigma);
    });
  }
}

/** float32 1 where log alpha(theta, logSigma) < 3 (kept), 0 where pruned; for whole tensors or gathered rows. */
export function keptMaskOf(theta: tf.Tensor, logSigma: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.cast(tf.less(logAlpha(theta, logSigma), PRUNE_LOG_ALPHA), 'float32'));
}

/** theta with the log alpha >= 3 elements zeroed: the eval-mode weight, of a whole tensor or of gathered rows. */
export function maskedMean(theta: tf.Tensor, logSigma: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(theta, keptMaskOf(theta, logSigma)));
}
