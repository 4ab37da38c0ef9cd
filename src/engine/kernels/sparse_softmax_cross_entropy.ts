// The two kernels behind ops/sparse_softmax_cross_entropy.ts on the native backend: the forward (mean loss plus each
// row's log-sum-exp) and the gradient (dlogits rebuilt from the logits and that log-sum-exp), one native call each.
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { f32, i32, newOutput } from './util.js';
import { requireAddon } from '../addon.js';

/** Kernel names (registered for the native backend only). */
export const SPARSE_SOFTMAX_CROSS_ENTROPY = 'ParsimonySparseSoftmaxCrossEntropy';
export const SPARSE_SOFTMAX_CROSS_ENTROPY_GRAD = 'ParsimonySparseSoftmaxCrossEntropyGrad';

/** Classes: the size of the last axis. */
function classesOf(logits: TensorInfo): number {
  return logits.shape[logits.shape.length - 1];
}

/**
 * Inputs `logits` (float32 [..., C]) and `labels` (int32, one per row of logits). Outputs the mean loss (a scalar)
 * and `logSumExp` [rows]; throws on a label outside [0, C).
 */
export const sparseSoftmaxCrossEntropyConfig: KernelConfig = {
  kernelName: SPARSE_SOFTMAX_CROSS_ENTROPY,
  backendName: 'native',
  kernelFunc: ({ inputs, backend }) => {
    const { logits, labels } = inputs as { logits: TensorInfo; labels: TensorInfo };
    const be = backend as MathBackendCPU;
    const ids = i32(be, labels);
    const logSumExp = newOutput(be, [ids.length]);
    const loss = newOutput(be, []);
    loss.values[0] = requireAddon().sparseSoftmaxCrossEntropy(f32(be, logits), ids, classesOf(logits), logSumExp.values);
    return [loss.info, logSumExp.info];
  },
};

/** Inputs `logits`, `labels`, `logSumExp` (the forward's) and the scalar `dy`: dlogits = (softmax - onehot) * dy / rows. */
export const sparseSoftmaxCrossEntropyGradConfig: KernelConfig = {
  kernelName: SPARSE_SOFTMAX_CROSS_ENTROPY_GRAD,
  backendName: 'native',
  kernelFunc: ({ inputs, backend }) => {
    const { logits, labels, logSumExp, dy } = inputs as { logits: TensorInfo; labels: TensorInfo; logSumExp: TensorInfo; dy: TensorInfo };
    const be = backend as MathBackendCPU;
    const ids = i32(be, labels);
    const out = newOutput(be, logits.shape.slice());
    requireAddon().sparseSoftmaxCrossEntropyGrad(f32(be, logits), ids, classesOf(logits), f32(be, logSumExp), f32(be, dy)[0] / ids.length, out.values);
    return out.info;
  },
};

export const sparseSoftmaxCrossEntropyKernelConfigs: KernelConfig[] = [sparseSoftmaxCrossEntropyConfig, sparseSoftmaxCrossEntropyGradConfig];
