// WideResNet family as in the spec's models/wide_resnet.py: stem conv 3x3 I -> w (w channels, not 16), three stages
// of N = (depth - 4) / 6 pre-activation basic blocks at w, 2w, 4w with conv biases and dropout, 1x1 conv shortcuts
// (with bias) on shape changes, final BN + ReLU, pooling, Linear(4w, C). WRN-d-k is w = 16 k (WRN-28-10: w = 160).
//   P(w) = (378N - 80) w^2 + (9I + 9 + 42N + 4C) w + C;  WRN-28 on RGB: 1432 w^2 + (204 + 4C) w + C.
import { defineFamily, requireInteger, type ArchitectureFamily } from '../family.js';
import { ResidualNetwork, type ResidualNetworkOptions } from './residual_network.js';
import { blocksPerStage } from './resnet.js';

export interface WideResNetOptions {
  /** 6N + 4 (16, 22, 28, 40, ...). */
  depth: number;
  classes: number;
  /** Default 3. */
  inputChannels?: number;
  /** Between the block's convs, train mode only (default 0, the spec's setting for all WRN widths). */
  dropout?: number;
}

/** The width w that plays WRN-d-k: 16 k (rounded; k = 10 gives 160). */
export function wideResNetWidth(widenFactor: number): number {
  return Math.round(16 * widenFactor);
}

export function wideResNetFamily(options: WideResNetOptions): ArchitectureFamily {
  const name = `wrn-${options.depth} (C=${options.classes})`;
  const n = blocksPerStage(name, options.depth, 6, 4);
  requireInteger(name, 'classes', options.classes, 2);
  const I = options.inputChannels ?? 3, C = options.classes;
  const net: ResidualNetworkOptions = {
    block: 'pre-activation-basic', blocksPerStage: n, classes: C, inputChannels: I, convBias: true,
    dropout: options.dropout ?? 0, shortcutFromInput: true,
  };
  return defineFamily({
    name, widthUnit: 'stem channels (16 x widen factor)',
    counts: { a: 378 * n - 80, b: 9 * I + 9 + 42 * n + 4 * C, c: C },
    construct: (width, seed) => new ResidualNetwork(net, width, seed),
  });
}
