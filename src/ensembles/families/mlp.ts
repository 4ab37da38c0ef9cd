// MLP family: `depth` hidden ReLU layers of `width` units (spec §6.3 A): P(h) = (D-1) h^2 + (d + D + C) h + C.
import { tf } from '../../engine/tf.js';
import { Module } from '../../nn/module.js';
import { Dense } from '../../nn/dense.js';
import { seedStream } from '../../nn/init.js';
import { defineFamily, requireInteger, type ArchitectureFamily, type QuadraticCount } from '../family.js';

export interface MlpOptions {
  /** Input features d (flattened; 784 for 28x28 images). */
  inputSize: number;
  /** Hidden layers D (all of the same width). */
  depth: number;
  classes: number;
}

export class Mlp extends Module {
  readonly hidden: Dense[];
  readonly output: Dense;

  constructor(readonly options: MlpOptions, readonly width: number, seed?: number) {
    super();
    const next = seedStream(seed ?? Math.floor(Math.random() * 2 ** 31));
    this.hidden = Array.from({ length: options.depth }, (_, i) =>
      this.addModule(`hidden${i}`, new Dense(i === 0 ? options.inputSize : width, width, 'relu', next())));
    this.output = this.addModule('output', new Dense(width, options.classes, 'linear', next()));
  }

  /** x: [B, inputSize] or any [B, ...] that flattens to it -> logits [B, classes]. */
  apply(x: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      let h: tf.Tensor = x.rank === 2 ? x : tf.reshape(x, [x.shape[0], -1]);
      for (const layer of this.hidden) h = layer.apply(h);
      return this.output.apply(h) as tf.Tensor2D;
    });
  }
}

export function mlpCounts(o: MlpOptions): QuadraticCount {
  return { a: o.depth - 1, b: o.inputSize + o.depth + o.classes, c: o.classes };
}

export function mlpFamily(options: MlpOptions): ArchitectureFamily {
  const name = `mlp-${options.depth}x (d=${options.inputSize}, C=${options.classes})`;
  requireInteger(name, 'inputSize', options.inputSize, 1);
  requireInteger(name, 'depth', options.depth, 1);
  requireInteger(name, 'classes', options.classes, 2);
  return defineFamily({
    name, widthUnit: 'hidden units', counts: mlpCounts(options),
    construct: (width, seed) => new Mlp(options, width, seed),
  });
}
