// Losses, all returning the mean over examples (or predicted tokens).
import { tf } from '../engine/tf.js';
import { logSoftmax } from '../engine/ops/log_softmax.js';

/**
 * Mean cross-entropy of integer labels under softmax(logits). logits [N, C] (or [..., C] with labels [...]).
 * Picks the label's log-probability with one gather on the flattened [N*C] log-probabilities, so no
 * dense one-hot [N, C] is built (that matters for 10k-word vocabularies).
 */
export function sparseSoftmaxCrossEntropy(logits: tf.Tensor, labels: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    const classes = logits.shape[logits.rank - 1];
    const n = logits.size / classes;
    if (labels.size !== n) throw new Error(`sparseSoftmaxCrossEntropy: ${labels.size} labels for ${n} rows of logits`);
    const logp = logSoftmax(tf.reshape(logits, [n, classes]) as tf.Tensor2D);
    const flatIndex = tf.add(tf.mul(tf.range(0, n, 1, 'int32'), tf.scalar(classes, 'int32')), tf.reshape(tf.cast(labels, 'int32'), [n]));
    const picked = tf.gather(tf.reshape(logp, [n * classes]), flatIndex);
    return tf.neg(tf.mean(picked)) as tf.Scalar;
  });
}
