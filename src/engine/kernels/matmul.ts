// BatchMatMul and _FusedMatMul on the native GEMM (oneDNN / OpenBLAS).
import { BatchMatMul, _FusedMatMul, broadcast_util, type KernelConfig, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { cpuFallback, f32, newOutput, sizeOf } from './util.js';
import { requireAddon } from '../addon.js';

// Must match the activation codes in native/src/gemm.cc.
const ACTIVATION_CODES: Record<string, number> = { linear: 0, relu: 1, sigmoid: 2, relu6: 4, elu: 5, leakyrelu: 6 };

interface MatMulArgs {
  a: TensorInfo;
  b: TensorInfo;
  bias?: TensorInfo;
  transposeA: boolean;
  transposeB: boolean;
  activation: string;
  leakyreluAlpha?: number;
}

/** Returns null when the native path does not apply (non-float, prelu, unsupported broadcast). */
function nativeMatMul(backend: MathBackendCPU, args: MatMulArgs): TensorInfo | null {
  const { a, b, bias, transposeA, transposeB } = args;
  const act = ACTIVATION_CODES[args.activation];
  if (act === undefined || a.dtype !== 'float32' || b.dtype !== 'float32' || (bias && bias.dtype !== 'float32')) return null;
  const ra = a.shape.length, rb = b.shape.length;
  const M = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const K = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const Kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  const N = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (K !== Kb) {
    throw new Error(`Error in matMul: inner shapes (${K}) and (${Kb}) of Tensors with shapes ${a.shape} and ${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`);
  }
  const batchA = sizeOf(a.shape.slice(0, -2)), batchB = sizeOf(b.shape.slice(0, -2));
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return null;
  const outer = broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const outShape = [...outer, M, N];
  const batch = Math.max(batchA, batchB);
  let biasValues: Float32Array | null = null;
  if (bias) {
    const n = sizeOf(bias.shape);
    // bias broadcasts against [.., M, N]: native handles a row vector (N) or one [M, N] block
    if (n !== N && n !== M * N && n !== 1) return null;
    biasValues = n === 1 ? new Float32Array(N).fill(f32(backend, bias)[0]) : f32(backend, bias);
  }
  const out = newOutput(backend, outShape);
  requireAddon().batchMatMul(f32(backend, a), f32(backend, b), out.values, batch, M, N, K, transposeA, transposeB,
    batchA === 1 ? 0 : M * K, batchB === 1 ? 0 : K * N, biasValues, act, args.leakyreluAlpha ?? 0.2);
  return out.info;
}

export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'native',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = attrs as unknown as { transposeA: boolean; transposeB: boolean };
    const be = backend as MathBackendCPU;
    return nativeMatMul(be, { a, b, transposeA, transposeB, activation: 'linear' })
      ?? cpuFallback(BatchMatMul, inputs, be, attrs as NamedAttrMap);
  },
};

export const fusedMatMulConfig: KernelConfig = {
  kernelName: _FusedMatMul,
  backendName: 'native',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { a, b, bias, preluActivationWeights } = inputs as { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
    const { transposeA, transposeB, activation, leakyreluAlpha } = attrs as unknown as {
      transposeA: boolean; transposeB: boolean; activation: string; leakyreluAlpha?: number;
    };
    const be = backend as MathBackendCPU;
    const result = preluActivationWeights ? null : nativeMatMul(be, { a, b, bias, transposeA, transposeB, activation, leakyreluAlpha });
    return result ?? cpuFallback(_FusedMatMul, inputs, be, attrs as NamedAttrMap);
  },
};
