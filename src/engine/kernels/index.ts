// Every native kernel override; anything not listed runs the stock cpu kernel on the native backend.
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { batchMatMulConfig, fusedMatMulConfig } from './matmul.js';
import { binaryKernelConfigs } from './binary.js';
import { unaryKernelConfigs } from './unary.js';
import { reduceKernelConfigs } from './reduce.js';
import { softmaxKernelConfigs } from './softmax.js';
import { gatherKernelConfigs } from './gather.js';
import { transposeConfig } from './transpose.js';
import { sparseSoftmaxCrossEntropyKernelConfigs } from './sparse_softmax_cross_entropy.js';
import { convKernelConfigs } from './conv.js';

export const nativeKernelConfigs: KernelConfig[] = [
  batchMatMulConfig,
  fusedMatMulConfig,
  ...binaryKernelConfigs,
  ...unaryKernelConfigs,
  ...reduceKernelConfigs,
  ...softmaxKernelConfigs,
  ...gatherKernelConfigs,
  transposeConfig,
  ...sparseSoftmaxCrossEntropyKernelConfigs,
  ...convKernelConfigs,
];
