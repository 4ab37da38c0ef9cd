// Small CNN family (spec §6.3 B): conv3x3 [c, c] - maxpool - [2c, 2c] - maxpool - conv 4c - global average pool -
// linear(4c, C); convs with bias + ReLU. P(c) = 135 c^2 + (9 I + 10 + 4 C) c + C (I input channels), 135c^2+59c+10
// for grey 10-class images.
import { tf } from '../../engine/tf.js';
import { Module } from '../../nn/module.js';
import { Dense } from '../../nn/dense.js';
import { seedStream } from '../../nn/init.js';
import { Conv2D } from '../layers/conv2d.js';
import { defineFamily, requireInteger, type ArchitectureFamily, type QuadraticCount } from '../family.js';

export interface SmallCnnOptions {
  /** Image channels I (1 for Fashion-MNIST). */
  inputChannels: number;
  classes: number;
  /** Average-pool the input by this factor first (the spec's 28x28 -> 14x14 is 2; default 1 = none). No parameters. */
  inputPool?: number;
}

/** Channel multipliers of the five convs; the pools follow conv 2 and conv 4. */
const SMALL_CNN_CHANNELS = [1, 1, 2, 2, 4] as const;

export class SmallCnn extends Module {
  readonly convs: Conv2D[];
  readonly output: Dense;

  constructor(readonly options: SmallCnnOptions, readonly width: number, seed?: number) {
    super();
    const next = seedStream(seed ?? Math.floor(Math.random() * 2 ** 31));
    let inC = options.inputChannels;
    this.convs = SMALL_CNN_CHANNELS.map((m, i) => {
      const conv = this.addModule(`conv${i}`, new Conv2D(inC, m * width, { seed: next() }));
      inC = m * width;
      return conv;
    });
    this.output = this.addModule('output', new Dense(inC, options.classes, 'linear', next()));
  }

  /** x: [B, H, W, inputChannels] -> logits [B, classes]. */
  apply(x: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const pool = this.options.inputPool ?? 1;
      let h = x as tf.Tensor4D;
      if (pool > 1) h = tf.avgPool(h, pool, pool, 'valid');
      this.convs.forEach((conv, i) => {
        h = tf.relu(conv.apply(h));
        if (i === 1 || i === 3) h = tf.maxPool(h, 2, 2, 'valid');
      });
      return this.output.apply(tf.mean(h, [1, 2])) as tf.Tensor2D;
    });
  }
}

export function smallCnnCounts(o: SmallCnnOptions): QuadraticCount {
  return { a: 135, b: 9 * o.inputChannels + 10 + 4 * o.classes, c: o.classes };
}

export function smallCnnFamily(options: SmallCnnOptions): ArchitectureFamily {
  const name = `small-cnn (I=${options.inputChannels}, C=${options.classes})`;
  requireInteger(name, 'inputChannels', options.inputChannels, 1);
  requireInteger(name, 'classes', options.classes, 2);
  requireInteger(name, 'inputPool', options.inputPool ?? 1, 1);
  return defineFamily({
    name, widthUnit: 'first-layer channels', counts: smallCnnCounts(options),
    construct: (width, seed) => new SmallCnn(options, width, seed),
  });
}
