// Losses, all returning the mean over examples (or predicted tokens).

// Mean cross-entropy of integer labels under softmax(logits [..., C]); never builds a dense one-hot, and on the native
// backend its forward and gradient are one fused native call each.
export { sparseSoftmaxCrossEntropy } from '../engine/ops/sparse_softmax_cross_entropy.js';
