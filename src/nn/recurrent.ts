// LSTM and GRU layers over the fused sequence ops (native on the native backend, plain tfjs elsewhere).
import { tf } from '../engine/tf.js';
import { lstmSequence } from '../engine/ops/lstm_sequence.js';
import { gruSequence } from '../engine/ops/gru_sequence.js';
import type { GateActivation, GruSequenceResult, LstmSequenceResult, RnnSequenceOptions } from '../engine/ops/rnn_options.js';
import { Module } from './module.js';
import { seedStream, uniformInit } from './init.js';

export interface RecurrentConfig {
  gateActivation?: GateActivation;
  seed?: number;
}

abstract class Recurrent extends Module {
  readonly kernel: tf.Variable;
  readonly recurrentKernel: tf.Variable;
  readonly bias: tf.Variable;
  readonly gateActivation: GateActivation;

  protected constructor(readonly inputSize: number, readonly hiddenSize: number, gates: number, config: RecurrentConfig) {
    super();
    const next = seedStream(config.seed ?? Math.floor(Math.random() * 2 ** 31));
    const bound = 1 / Math.sqrt(hiddenSize); // PyTorch's LSTM/GRU init
    this.gateActivation = config.gateActivation ?? 'sigmoid';
    this.kernel = this.addParameter('kernel', uniformInit([inputSize, gates * hiddenSize], bound, next()));
    this.recurrentKernel = this.addParameter('recurrentKernel', uniformInit([hiddenSize, gates * hiddenSize], bound, next()));
    this.bias = this.addParameter('bias', uniformInit([gates * hiddenSize], bound, next()));
  }
}

export class LSTM extends Recurrent {
  constructor(inputSize: number, hiddenSize: number, config: RecurrentConfig = {}) {
    super(inputSize, hiddenSize, 4, config);
  }

  /** x: [B, T, inputSize]. */
  apply(x: tf.Tensor3D, options: RnnSequenceOptions = {}): LstmSequenceResult {
    return lstmSequence(x, this.kernel as tf.Tensor2D, this.recurrentKernel as tf.Tensor2D, this.bias as tf.Tensor1D,
      { gateActivation: this.gateActivation, ...options });
  }
}

export class GRU extends Recurrent {
  readonly recurrentBias: tf.Variable;

  constructor(inputSize: number, hiddenSize: number, config: RecurrentConfig = {}) {
    super(inputSize, hiddenSize, 3, config);
    const bound = 1 / Math.sqrt(hiddenSize);
    this.recurrentBias = this.addParameter('recurrentBias',
      uniformInit([3 * hiddenSize], bound, config.seed === undefined ? undefined : config.seed + 7919));
  }

  apply(x: tf.Tensor3D, options: RnnSequenceOptions = {}): GruSequenceResult {
    return gruSequence(x, this.kernel as tf.Tensor2D, this.recurrentKernel as tf.Tensor2D, this.bias as tf.Tensor1D,
      { gateActivation: this.gateActivation, recurrentBias: this.recurrentBias as tf.Tensor1D, ...options });
  }
}
