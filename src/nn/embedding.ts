// Embedding lookup: rows of a [vocab, dim] table (native gather forward, segment-sum backward).
import { tf } from '../engine/tf.js';
import { Module } from './module.js';
import { normalInit } from './init.js';

export class Embedding extends Module {
  readonly table: tf.Variable;

  constructor(readonly vocabSize: number, readonly dim: number, seed?: number) {
    super();
    this.table = this.addParameter('table', normalInit([vocabSize, dim], 1, seed));
  }

  /** ids: int32 [...] -> [..., dim]. */
  apply(ids: tf.Tensor): tf.Tensor {
    return tf.gather(this.table, ids);
  }
}
