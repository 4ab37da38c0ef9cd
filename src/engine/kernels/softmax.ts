// Softmax over the last axis, plus the two kernels behind ops/log_softmax.ts (forward and gradient), each one
// native pass over rows instead of the cpu backend's chain of max/sub/exp/sum/div kernels.
import { tf } from '../tf.js';
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { cpuFallback, f32, newOutput, sizeOf } from './util.js';
import { requireAddon } from '../addon.js';

/** Kernel names of the log-softmax pair (registered for the native backend only). */
export const LOG_SOFTMAX = 'ParsimonyLogSoftmax';
export const LOG_SOFTMAX_GRAD = 'ParsimonyLogSoftmaxGrad';

/** [rows, cols] of a tensor whose last axis is the softmax axis. */
function rowsAndCols(t: TensorInfo): [number, number] {
  const cols = t.shape[t.shape.length - 1];
  return [cols === 0 ? 0 : sizeOf(t.shape) / cols, cols];
}

export const softmaxConfig: KernelConfig = {
  kernelName: tf.Softmax,
  backendName: 'native',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { logits } = inputs as { logits: TensorInfo };
    const { dim } = attrs as unknown as { dim: number };
    const be = backend as MathBackendCPU;
    const rank = logits.shape.length;
    // the cpu kernel raises the error for a non-last dim
    if (logits.dtype !== 'float32' || rank === 0 || (dim !== -1 && dim !== rank - 1)) {
      return cpuFallback(tf.Softmax, inputs, be, attrs as NamedAttrMap);
    }
    const out = newOutput(be, logits.shape.slice());
    const [rows, cols] = rowsAndCols(logits);
    requireAddon().softmax(f32(be, logits), out.values, rows, cols);
    return out.info;
  },
};

/** Input `logits` (float32, rank >= 1): log-softmax over the last axis. */
export const logSoftmaxConfig: KernelConfig = {
  kernelName: LOG_SOFTMAX,
  backendName: 'native',
  kernelFunc: ({ inputs, backend }) => {
    const { logits } = inputs as { logits: TensorInfo };
    const be = backend as MathBackendCPU;
    const out = newOutput(be, logits.shape.slice());
    const [rows, cols] = rowsAndCols(logits);
    requireAddon().logSoftmax(f32(be, logits), out.values, rows, cols);
    return out.info;
  },
};

/** Inputs `dy` and `logSoftmax` (the forward output): dx = dy - softmax * sum(dy) over the last axis. */
export const logSoftmaxGradConfig: KernelConfig = {
  kernelName: LOG_SOFTMAX_GRAD,
  backendName: 'native',
  kernelFunc: ({ inputs, backend }) => {
    const { dy, logSoftmax } = inputs as { dy: TensorInfo; logSoftmax: TensorInfo };
    const be = backend as MathBackendCPU;
    const out = newOutput(be, dy.shape.slice());
    const [rows, cols] = rowsAndCols(dy);
    requireAddon().logSoftmaxGrad(f32(be, dy), f32(be, logSoftmax), out.values, rows, cols);
    return out.info;
  },
};

export const softmaxKernelConfigs: KernelConfig[] = [softmaxConfig, logSoftmaxConfig, logSoftmaxGradConfig];
