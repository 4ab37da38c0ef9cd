// Mean softmax cross-entropy of integer labels. On the native backend the forward and the gradient are one native
// call each (native/src/loss.cc): the forward keeps only each row's log-sum-exp for the backward, and the gradient
// writes (softmax - onehot) * dy / rows straight into dlogits. Elsewhere it runs the plain tfjs composition below.
import { tf } from '../tf.js';
import { isNativeActive } from '../backend.js';
import { SPARSE_SOFTMAX_CROSS_ENTROPY, SPARSE_SOFTMAX_CROSS_ENTROPY_GRAD } from '../kernels/sparse_softmax_cross_entropy.js';
import { logSoftmax } from './log_softmax.js';
import { sizeOf } from '../kernels/util.js';

/**
 * Mean over rows of -log softmax(logits)[label]. logits [..., C] (any rank >= 1), labels [...] with one integer
 * label in [0, C) per row of logits (cast to int32). Differentiable w.r.t. logits; a label outside [0, C) throws.
 */
export function sparseSoftmaxCrossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  if (logits.rank === 0) throw new Error('sparseSoftmaxCrossEntropy: logits must have a class axis');
  const rows = sizeOf(logits.shape.slice(0, -1));
  if (labels.size !== rows) throw new Error(`sparseSoftmaxCrossEntropy: ${labels.size} labels for ${rows} rows of logits`);
  return tf.tidy(() => {
    const ids = labels.dtype === 'int32' ? labels : tf.cast(labels, 'int32');
    if (isNativeActive() && logits.dtype === 'float32') return nativeSparseSoftmaxCrossEntropy(logits, ids);
    return plainSparseSoftmaxCrossEntropy(logits, ids);
  });
}

function nativeSparseSoftmaxCrossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  // a fresh customGrad per call so labels (not differentiable) stay out of its inputs; they are saved for the backward
  const lossOf = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [x, save] = args as [tf.Tensor, tf.GradSaveFunc];
    const [loss, logSumExp] = tf.engine().runKernel(SPARSE_SOFTMAX_CROSS_ENTROPY, { logits: x, labels }) as tf.Tensor[];
    save([x, labels, logSumExp]);
    return {
      value: loss,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [savedLogits, savedLabels, savedLogSumExp] = saved;
        return tf.engine().runKernel(SPARSE_SOFTMAX_CROSS_ENTROPY_GRAD,
          { logits: savedLogits, labels: savedLabels, logSumExp: savedLogSumExp, dy }) as tf.Tensor;
      },
    };
  });
  return lossOf(logits) as tf.Scalar;
}

/**
 * The plain tfjs composition (any backend): log-softmax, then one gather of each row's label entry from the
 * flattened [rows * C] log-probabilities (no dense one-hot [rows, C]), then the mean. labels: int32.
 */
export function plainSparseSoftmaxCrossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  const classes = logits.shape[logits.rank - 1];
  const rows = labels.size;
  // the flattened gather would silently read a neighbouring row for an out-of-range label
  checkLabels(labels.dataSync(), classes);
  return tf.tidy(() => {
    const logp = logSoftmax(tf.reshape(logits, [rows, classes]) as tf.Tensor2D);
    const flatIndex = tf.add(tf.mul(tf.range(0, rows, 1, 'int32'), tf.scalar(classes, 'int32')), tf.reshape(labels, [rows]));
    const picked = tf.gather(tf.reshape(logp, [rows * classes]), flatIndex);
    return tf.neg(tf.mean(picked)) as tf.Scalar;
  });
}

/** Throws, with the same message as the native kernels, unless every label is in [0, classes). */
function checkLabels(labels: ArrayLike<number>, classes: number): void {
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    if (label < 0 || label >= classes) {
      throw new RangeError(`sparseSoftmaxCrossEntropy: label ${label} (row ${i}) is outside [0, ${classes}) for ${classes} classes`);
    }
  }
}
