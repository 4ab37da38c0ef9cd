// VGG-style family as in the spec's models/vgg.py: blocks of 3x3 convs with bias (no BN) + ReLU, a 2x2 max-pool
// after each block, then [Dropout - Linear(H) - ReLU] x hiddenLayers - Linear(C), H = last block's channels.
// Channels are multiples of the width w; VGG16 (w = 64 standard): P(w) = 3719 w^2 + (109 + 8 C) w + C on 32x32 RGB.
import { tf } from '../../engine/tf.js';
import { Module } from '../../nn/module.js';
import { Dense } from '../../nn/dense.js';
import { seedStream } from '../../nn/init.js';
import { Conv2D } from '../layers/conv2d.js';
import { defineFamily, requireInteger, type ArchitectureFamily, type QuadraticCount } from '../family.js';

/** Channel multipliers per block (times w). */
export const VGG_CONFIGS = {
  vgg11: [[1], [2], [4, 4], [8, 8], [8, 8]],
  vgg13: [[1, 1], [2, 2], [4, 4], [8, 8], [8, 8]],
  vgg16: [[1, 1], [2, 2], [4, 4, 4], [8, 8, 8], [8, 8, 8]],
  vgg19: [[1, 1], [2, 2], [4, 4, 4, 4], [8, 8, 8, 8], [8, 8, 8, 8]],
} as const satisfies Record<string, readonly (readonly number[])[]>;

export interface VggOptions {
  /** A named config or per-block channel multipliers. */
  config: keyof typeof VGG_CONFIGS | readonly (readonly number[])[];
  classes: number;
  /** Square input side (default 32); the map after the pools is floor(side / 2^blocks), at least 1. */
  inputSize?: number;
  /** Default 3. */
  inputChannels?: number;
  /** Hidden Linear layers of the classifier (default 2, as VGG16 in the spec). */
  hiddenLayers?: number;
  /** Dropout before each hidden Linear in train mode (default 0). No parameters. */
  dropout?: number;
}

function resolve(o: VggOptions): { blocks: readonly (readonly number[])[]; side: number; inC: number; hidden: number } {
  const blocks = typeof o.config === 'string' ? VGG_CONFIGS[o.config] : o.config;
  if (!blocks || blocks.length === 0 || blocks.some((b) => b.length === 0 || b.some((m) => !Number.isInteger(m) || m < 1))) {
    throw new Error(`vgg: config must be a known name (${Object.keys(VGG_CONFIGS).join(', ')}) or non-empty blocks of positive integer multipliers`);
  }
  const inputSize = o.inputSize ?? 32;
  const side = Math.floor(inputSize / 2 ** blocks.length);
  if (side < 1) throw new Error(`vgg: inputSize ${inputSize} is too small for ${blocks.length} max-pools`);
  return { blocks, side, inC: o.inputChannels ?? 3, hidden: o.hiddenLayers ?? 2 };
}

export class Vgg extends Module {
  readonly blocks: Conv2D[][];
  readonly classifier: Dense[];

  constructor(readonly options: VggOptions, readonly width: number, seed?: number) {
    super();
    const next = seedStream(seed ?? Math.floor(Math.random() * 2 ** 31));
    const { blocks, side, inC, hidden } = resolve(options);
    let channels = inC;
    this.blocks = blocks.map((block, b) => block.map((m, j) => {
      const conv = this.addModule(`block${b}_conv${j}`, new Conv2D(channels, m * width, { seed: next() }));
      channels = m * width;
      return conv;
    }));
    let features = channels * side * side;
    this.classifier = [];
    for (let i = 0; i <= hidden; i++) {
      const units = i < hidden ? channels : options.classes;
      this.classifier.push(this.addModule(`classifier${i}`, new Dense(features, units, i < hidden ? 'relu' : 'linear', next())));
      features = units;
    }
  }

  /** x: [B, inputSize, inputSize, inputChannels] -> logits [B, classes]. */
  apply(x: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      let h = x as tf.Tensor4D;
      for (const block of this.blocks) {
        for (const conv of block) h = tf.relu(conv.apply(h));
        h = tf.maxPool(h, 2, 2, 'valid');
      }
      let f: tf.Tensor = tf.reshape(h, [h.shape[0], -1]);
      const p = this.options.dropout ?? 0;
      this.classifier.forEach((layer, i) => {
        if (this.training && p > 0 && i < this.classifier.length - 1) f = tf.dropout(f, p);
        f = layer.apply(f);
      });
      return f as tf.Tensor2D;
    });
  }
}

export function vggCounts(o: VggOptions): QuadraticCount {
  const { blocks, side, inC, hidden } = resolve(o);
  const ms = blocks.flat();
  let a = 0, b = 9 * inC * ms[0] + ms[0];
  for (let i = 1; i < ms.length; i++) { a += 9 * ms[i - 1] * ms[i]; b += ms[i]; }
  const last = ms[ms.length - 1], flat = last * side * side;
  if (hidden === 0) return { a, b: b + flat * o.classes, c: o.classes };
  a += flat * last + (hidden - 1) * last * last;
  b += hidden * last + last * o.classes;
  return { a, b, c: o.classes };
}

export function vggFamily(options: VggOptions): ArchitectureFamily {
  const label = typeof options.config === 'string' ? options.config : `vgg[${options.config.map((b) => b.join(',')).join('|')}]`;
  const name = `${label} (C=${options.classes})`;
  requireInteger(name, 'classes', options.classes, 2);
  requireInteger(name, 'hiddenLayers', options.hiddenLayers ?? 2, 0);
  return defineFamily({
    name, widthUnit: 'first-block channels', counts: vggCounts(options),
    construct: (width, seed) => new Vgg(options, width, seed),
  });
}
