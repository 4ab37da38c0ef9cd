// ResNet and PreResNet families on CIFAR-style inputs; width w = stem channels (16 standard), stages w, 2w, 4w.
// Closed forms with N blocks per stage, I input channels, C classes (convs without bias, BN affine params counted):
//   ResNet (post-activation basic, depth 6N+2, 1x1 conv + BN projection shortcuts):
//     P = (378N - 80) w^2 + (9I + 14 + 28N + 4C) w + C
//   PreResNet basic (depth 6N+2, 1x1 conv shortcuts):  P = (378N - 80) w^2 + (9I + 2 + 28N + 4C) w + C
//   PreResNet bottleneck (depth 9N+2, expansion 4):     P = (357N + 121) w^2 + (9I + 2 + 84N + 16C) w + C
// PreResNet-164 (N = 18, w = 16, C = 100): 1,726,388 parameters.
import { defineFamily, requireInteger, type ArchitectureFamily, type QuadraticCount } from '../family.js';
import { ResidualNetwork, type ResidualBlockKind, type ResidualNetworkOptions } from './residual_network.js';

export interface ResNetOptions {
  /** 6N + 2 (20, 32, 44, 56, 110, ...). */
  depth: number;
  classes: number;
  /** Default 3. */
  inputChannels?: number;
}

export interface PreResNetOptions extends ResNetOptions {
  /** Default as in the SWA code: bottleneck when depth >= 44 (depth 9N + 2, e.g. 164), basic otherwise (6N + 2). */
  block?: 'basic' | 'bottleneck';
}

export function residualCounts(block: ResidualBlockKind, n: number, inputChannels: number, classes: number): QuadraticCount {
  const I = inputChannels, C = classes;
  switch (block) {
    case 'post-activation-basic': return { a: 378 * n - 80, b: 9 * I + 14 + 28 * n + 4 * C, c: C };
    case 'pre-activation-basic': return { a: 378 * n - 80, b: 9 * I + 2 + 28 * n + 4 * C, c: C };
    case 'pre-activation-bottleneck': return { a: 357 * n + 121, b: 9 * I + 2 + 84 * n + 16 * C, c: C };
  }
}

/** Blocks per stage for a depth, or an error naming what depths are valid. */
export function blocksPerStage(family: string, depth: number, perBlock: number, offset: number): number {
  const n = (depth - offset) / perBlock;
  if (!Number.isInteger(n) || n < 1) throw new Error(`${family}: depth must be ${perBlock}N + ${offset} with N >= 1, got ${depth}`);
  return n;
}

export function resNetFamily(options: ResNetOptions): ArchitectureFamily {
  const name = `resnet-${options.depth} (C=${options.classes})`;
  const n = blocksPerStage(name, options.depth, 6, 2);
  requireInteger(name, 'classes', options.classes, 2);
  const net: ResidualNetworkOptions = {
    block: 'post-activation-basic', blocksPerStage: n, classes: options.classes, inputChannels: options.inputChannels ?? 3, convBias: false,
  };
  return defineFamily({
    name, widthUnit: 'stem channels', counts: residualCounts(net.block, n, net.inputChannels, net.classes),
    construct: (width, seed) => new ResidualNetwork(net, width, seed),
  });
}

export function preResNetFamily(options: PreResNetOptions): ArchitectureFamily {
  const name = `preresnet-${options.depth} (C=${options.classes})`;
  const bottleneck = (options.block ?? (options.depth >= 44 ? 'bottleneck' : 'basic')) === 'bottleneck';
  const n = blocksPerStage(name, options.depth, bottleneck ? 9 : 6, 2);
  requireInteger(name, 'classes', options.classes, 2);
  const net: ResidualNetworkOptions = {
    block: bottleneck ? 'pre-activation-bottleneck' : 'pre-activation-basic', blocksPerStage: n, classes: options.classes,
    inputChannels: options.inputChannels ?? 3, convBias: false, shortcutFromInput: false,
  };
  return defineFamily({
    name, widthUnit: 'stem channels', counts: residualCounts(net.block, n, net.inputChannels, net.classes),
    construct: (width, seed) => new ResidualNetwork(net, width, seed),
  });
}
