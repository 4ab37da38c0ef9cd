// Parsimony's public API.
export { tf } from './engine/tf.js';

// Engine
export { NativeBackend, NATIVE_BACKEND, registerNativeBackend, useBestBackend, isNativeActive } from './engine/backend.js';
export { setNumThreads, getNumThreads } from './engine/threads.js';
export { lstmSequence } from './engine/ops/lstm_sequence.js';
export { gruSequence, type GruSequenceOptions } from './engine/ops/gru_sequence.js';
export type { GateActivation, RnnSequenceOptions, LstmSequenceResult, GruSequenceResult } from './engine/ops/rnn_options.js';
export { logSoftmax } from './engine/ops/log_softmax.js';
export { randomNormal, randomUniform, bernoulli } from './engine/ops/random.js';
export { Adam, SGD, clipByGlobalNorm, globalNorm, FusedOptimizer } from './engine/optim/index.js';
export type { AdamOptions, SGDOptions, ClippedGradients, OptimizerOptions, OptimizerState } from './engine/optim/index.js';

// Modules and training
export { Module } from './nn/module.js';
export { Dense, type DenseActivation } from './nn/dense.js';
export { Embedding } from './nn/embedding.js';
export { LSTM, GRU, type RecurrentConfig } from './nn/recurrent.js';
export { sparseSoftmaxCrossEntropy } from './train/losses.js';
