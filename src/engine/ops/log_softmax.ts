// logSoftmax with a one-pass native forward and gradient on the native backend; tf.logSoftmax elsewhere.
import { tf } from '../tf.js';
import { isNativeActive } from '../backend.js';
import { LOG_SOFTMAX, LOG_SOFTMAX_GRAD } from '../kernels/softmax.js';

const nativeLogSoftmax = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const [logits, save] = args as [tf.Tensor, tf.GradSaveFunc];
  const value = tf.engine().runKernel(LOG_SOFTMAX, { logits }) as tf.Tensor;
  save([value]);
  return {
    value,
    // d/dx of log softmax: dy - softmax * sum(dy), with softmax = exp(value)
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.engine().runKernel(LOG_SOFTMAX_GRAD, { dy, logSoftmax: saved[0] }) as tf.Tensor,
  };
});

/** Log-softmax over `axis` (only the last axis is supported, as in tf.logSoftmax); same values and gradient. */
export function logSoftmax<T extends tf.Tensor>(logits: T, axis = -1): T {
  const rank = logits.rank;
  const lastAxis = axis === -1 || axis === rank - 1;
  if (!isNativeActive() || logits.dtype !== 'float32' || rank === 0 || !lastAxis) return tf.logSoftmax(logits, axis);
  return nativeLogSoftmax(logits) as T;
}
