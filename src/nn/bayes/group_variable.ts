// A group (structured) variable z of shape [n], itself SparseVD, that multiplies whole neurons, gates or
// vocabulary entries (spec §3.1). Init mu = 1, log sigma = -3 (log alpha = -6).
import { tf } from '../../engine/tf.js';
import { Module } from '../module.js';
import type { KlForm } from './kl.js';
import { INITIAL_LOG_SIGMA, SparseVD } from './sparse_vd.js';
import type { GroupGate } from './group_gate.js';

export class GroupVariable extends Module implements GroupGate {
  readonly z: SparseVD;

  constructor(readonly size: number, seed?: number) {
    super();
    const mu = this.addParameter('mu', tf.ones([size]));
    const logSigma = this.addParameter('logSigma', tf.fill([size], INITIAL_LOG_SIGMA));
    this.z = new SparseVD(mu, logSigma, seed);
  }

  /**
   * [batchSize, n] multipliers. Train mode: one sample per sequence (row), to be shared over its timesteps.
   * Eval mode: mu with the log alpha >= 3 entries zeroed, the same for every row.
   */
  apply(batchSize: number): tf.Tensor2D {
    if (this.training) return this.z.sample([batchSize]) as tf.Tensor2D;
    return tf.tidy(() => tf.broadcastTo(this.z.evalWeight(), [batchSize, this.size]) as tf.Tensor2D);
  }

  kl(form: KlForm = 'molchanov'): tf.Scalar {
    return this.z.kl(form);
  }

  /** mu with the log alpha >= 3 entries zeroed. */
  evalValues(): tf.Tensor1D {
    return this.z.evalWeight() as tf.Tensor1D;
  }

  keptMask(): tf.Tensor1D {
    return this.z.keptMask() as tf.Tensor1D;
  }

  penalty(form: KlForm = 'molchanov'): tf.Scalar {
    return this.kl(form);
  }
}
