// Float32 elementwise maps on the native backend; other dtypes (e.g. int32 Abs/Neg/Relu, which stay int32) run
// the cpu kernels. Exp, Sigmoid, Tanh and Softplus use a vectorised exp accurate to ~2 ulp (native/src/fast_math.h).
import { tf } from '../tf.js';
import type { KernelConfig, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { cpuFallback, f32, newOutput } from './util.js';
import { requireAddon } from '../addon.js';

// Must match UnaryOp in native/src/elementwise.cc.
const UNARY_OPS: Record<string, number> = {
  [tf.Neg]: 0, [tf.Sigmoid]: 1, [tf.Tanh]: 2, [tf.Exp]: 3, [tf.Log]: 4, [tf.Log1p]: 5, [tf.Softplus]: 6,
  [tf.Relu]: 7, [tf.Abs]: 8, [tf.Square]: 9, [tf.Sqrt]: 10,
};

function unaryConfig(kernelName: string): KernelConfig {
  const op = UNARY_OPS[kernelName];
  return {
    kernelName,
    backendName: 'native',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { x } = inputs as { x: TensorInfo };
      const be = backend as MathBackendCPU;
      if (x.dtype !== 'float32') return cpuFallback(kernelName, inputs, be, attrs as NamedAttrMap);
      const out = newOutput(be, x.shape.slice());
      requireAddon().unary(op, f32(be, x), out.values);
      return out.info;
    },
  };
}

/** Step (relu's gradient): 1 where x > 0, NaN where NaN, `alpha` elsewhere. */
export const stepConfig: KernelConfig = {
  kernelName: tf.Step,
  backendName: 'native',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x } = inputs as { x: TensorInfo };
    const { alpha } = attrs as unknown as { alpha: number };
    const be = backend as MathBackendCPU;
    if (x.dtype !== 'float32') return cpuFallback(tf.Step, inputs, be, attrs as NamedAttrMap);
    const out = newOutput(be, x.shape.slice());
    requireAddon().step(f32(be, x), out.values, alpha);
    return out.info;
  },
};

export const unaryKernelConfigs: KernelConfig[] = [...Object.keys(UNARY_OPS).map(unaryConfig), stepConfig];
