// The parameters every SparseVD dense layer shares (spec §2.4): a SparseVD kernel theta / log sigma [inputSize, units]
// and a point-estimate bias, both initialised as Dense's (PyTorch's) U(-1/sqrt(inputSize), 1/sqrt(inputSize)), and
// its KL. Subclasses differ only in how apply() draws the noise (LRT per example, per sequence, or one weight sample).
import { tf } from '../../engine/tf.js';
import { Module } from '../module.js';
import { seedStream, uniformInit } from '../init.js';
import type { KlForm } from './kl.js';
import { INITIAL_LOG_SIGMA, SparseVD } from './sparse_vd.js';

/** Keeps an LRT standard deviation's gradient finite where x^2 sigma^2 is 0 (the LRT subclasses add it). */
export const LRT_VARIANCE_FLOOR = 1e-8;

export abstract class SparseVDDense extends Module {
  readonly weight: SparseVD;
  readonly bias: tf.Variable;

  constructor(readonly inputSize: number, readonly units: number, seed?: number) {
    super();
    const next = seedStream(seed ?? Math.floor(Math.random() * 2 ** 31));
    const bound = 1 / Math.sqrt(inputSize);
    const theta = this.addParameter('theta', uniformInit([inputSize, units], bound, next()));
    const logSigma = this.addParameter('logSigma', tf.fill([inputSize, units], INITIAL_LOG_SIGMA));
    this.bias = this.addParameter('bias', uniformInit([units], bound, next()));
    this.weight = new SparseVD(theta, logSigma, next());
  }

  kl(form: KlForm = 'molchanov'): tf.Scalar {
    return this.weight.kl(form);
  }
}
