// One language-model mini-batch: int32 input ids [B, T] and the next-token targets [B, T].
import type { tf } from '../engine/tf.js';

export interface TokenBatch {
  inputs: tf.Tensor2D;
  targets: tf.Tensor2D;
  dispose(): void;
}
