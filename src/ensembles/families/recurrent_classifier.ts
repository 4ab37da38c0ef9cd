// LSTM / GRU text classifier family: Embedding(V, e) -> L recurrent layers of width h -> Linear(h, C) on the last
// hidden state. The width is h; the embedding dimension e is fixed (V e is part of the constant term).
//   LSTM: P(h) = (4 + 8(L-1)) h^2 + (4e + 4 + 4(L-1) + C) h + V e + C      (kernel, recurrent kernel, one bias)
//   GRU:  P(h) = (3 + 6(L-1)) h^2 + (3e + 6 + 6(L-1) + C) h + V e + C      (plus a recurrent bias, as PyTorch)
import { tf } from '../../engine/tf.js';
import { Module } from '../../nn/module.js';
import { Dense } from '../../nn/dense.js';
import { Embedding } from '../../nn/embedding.js';
import { GRU, LSTM } from '../../nn/recurrent.js';
import { seedStream } from '../../nn/init.js';
import type { GateActivation } from '../../engine/ops/rnn_options.js';
import { defineFamily, requireInteger, type ArchitectureFamily, type QuadraticCount } from '../family.js';

export type RecurrentCell = 'lstm' | 'gru';

export interface RecurrentClassifierOptions {
  cell: RecurrentCell;
  vocabularySize: number;
  embeddingDim: number;
  classes: number;
  /** Stacked recurrent layers (default 1). */
  layers?: number;
  gateActivation?: GateActivation;
}

export class RecurrentClassifier extends Module {
  readonly embedding: Embedding;
  readonly recurrent: (LSTM | GRU)[];
  readonly output: Dense;

  constructor(readonly options: RecurrentClassifierOptions, readonly width: number, seed?: number) {
    super();
    const next = seedStream(seed ?? Math.floor(Math.random() * 2 ** 31));
    const o = options;
    this.embedding = this.addModule('embedding', new Embedding(o.vocabularySize, o.embeddingDim, next()));
    this.recurrent = Array.from({ length: o.layers ?? 1 }, (_, i) => {
      const config = { gateActivation: o.gateActivation, seed: next() };
      const inputSize = i === 0 ? o.embeddingDim : width;
      return this.addModule(`rnn${i}`, o.cell === 'lstm' ? new LSTM(inputSize, width, config) : new GRU(inputSize, width, config));
    });
    this.output = this.addModule('output', new Dense(width, o.classes, 'linear', next()));
  }

  /**
   * ids: int32 [B, T] -> logits [B, classes] from the last layer's final hidden state. lengths: int32 [B] real lengths
   * with `padding` on the given side (default: every sequence is T long).
   */
  apply(ids: tf.Tensor, lengths?: tf.Tensor1D, padding: 'left' | 'right' = 'right'): tf.Tensor2D {
    return tf.tidy(() => {
      let h = this.embedding.apply(ids) as tf.Tensor3D;
      const depth = this.recurrent.length;
      for (let i = 0; i < depth - 1; i++) h = this.recurrent[i].apply(h, { lengths, padding, returnSequences: true }).output as tf.Tensor3D;
      const last = this.recurrent[depth - 1].apply(h, { lengths, padding, returnSequences: false }).h;
      return this.output.apply(last) as tf.Tensor2D;
    });
  }
}

export function recurrentClassifierCounts(o: RecurrentClassifierOptions): QuadraticCount {
  const L = o.layers ?? 1, e = o.embeddingDim, C = o.classes, constant = o.vocabularySize * e + C;
  return o.cell === 'lstm'
    ? { a: 4 + 8 * (L - 1), b: 4 * e + 4 + 4 * (L - 1) + C, c: constant }
    : { a: 3 + 6 * (L - 1), b: 3 * e + 6 + 6 * (L - 1) + C, c: constant };
}

export function recurrentClassifierFamily(options: RecurrentClassifierOptions): ArchitectureFamily {
  const name = `${options.cell}-classifier (V=${options.vocabularySize}, e=${options.embeddingDim}, C=${options.classes}${(options.layers ?? 1) > 1 ? `, L=${options.layers}` : ''})`;
  if (options.cell !== 'lstm' && options.cell !== 'gru') throw new Error(`recurrent classifier: cell must be 'lstm' or 'gru', got ${String(options.cell)}`);
  requireInteger(name, 'vocabularySize', options.vocabularySize, 1);
  requireInteger(name, 'embeddingDim', options.embeddingDim, 1);
  requireInteger(name, 'classes', options.classes, 2);
  requireInteger(name, 'layers', options.layers ?? 1, 1);
  return defineFamily({
    name, widthUnit: 'hidden units', counts: recurrentClassifierCounts(options),
    construct: (width, seed) => new RecurrentClassifier(options, width, seed),
  });
}
