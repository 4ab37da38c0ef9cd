// Every native kernel override; anything not listed runs the stock cpu kernel on the native backend.
import type { KernelConfig } from '@tensorflow/tfjs-core';
import { batchMatMulConfig, fusedMatMulConfig } from './matmul.js';

export const nativeKernelConfigs: KernelConfig[] = [
  batchMatMulConfig,
  fusedMatMulConfig,
];
