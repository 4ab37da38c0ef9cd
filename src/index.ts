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

// Bayesian sparsification (SparseVD)
export { logAlpha, klMolchanov, klRepo, klElementwise, LOG_ALPHA_CLIP, PRUNE_LOG_ALPHA, type KlForm } from './nn/bayes/kl.js';
export { SparseVD, INITIAL_LOG_SIGMA } from './nn/bayes/sparse_vd.js';
export { normalNoise, type NoiseSource } from './nn/bayes/noise.js';
export { BayesianDense } from './nn/bayes/bayesian_dense.js';
export { BayesianEmbedding } from './nn/bayes/bayesian_embedding.js';
export { GroupVariable } from './nn/bayes/group_variable.js';

// Text datasets (IMDB, AG News, PTB word/char)
export { DataFileError } from './data/data_file_error.js';
export { readTextFile, resolveDataFile } from './data/text_file.js';
export { NumpyRandomState } from './data/numpy_random.js';
export { padSequencesLeft, type PaddedSequences } from './data/sequence_padding.js';
export { countTokens, vocabularyFromCounts, type TokenVocabulary } from './data/token_vocabulary.js';
export { readNpz, type NpyArray } from './data/npz.js';
export { prepareClassificationSplits, type ClassificationDataset, type ClassificationOptions, type LabelledSequences, type LabelledSplit } from './data/classification_dataset.js';
export { splitWords, textsToRanks, END_OF_DOCUMENT, type TextVocabularyOptions } from './data/text_classification_vocabulary.js';
export { loadImdb, readAclImdbSplit, readImdbKerasNpz, type ImdbDataset } from './data/imdb.js';
export { loadAgNews, readAgNewsCsv, AG_NEWS_CLASSES, type AgNewsRow, type AgNewsOptions } from './data/ag_news.js';
export { loadPtbWord, END_OF_SENTENCE, type LanguageModelCorpus } from './data/ptb_word.js';
export { loadPtbChar } from './data/ptb_char.js';

// Structural masks and compression metrics of sparsified LSTMs
export { deriveLstmStructure, propagateLstmMasks, LSTM_GATES, type Mask, type LstmGate, type LstmShape, type LstmWeightMasks, type LstmGroupMasks, type LstmKeptSets, type LstmStructure } from './sparsify/structure.js';
export { compressionReport, compressionRatio, sparsityPercent, countNonzero, type CompressionReport, type KeptCount, type GateCounts, type LstmTensorCounts } from './sparsify/compression.js';

// Bayesian recurrent layers (SparseVD kernels, group variables on inputs, hidden units and gates)
export { BayesianRecurrent, type BayesianRecurrentConfig, type BayesianSequenceOptions, type RecurrentWeightKind, type RecurrentKernel, type RecurrentDraw } from './nn/bayes/bayesian_recurrent.js';
export { BayesianLSTM } from './nn/bayes/bayesian_lstm.js';
export { BayesianGRU } from './nn/bayes/bayesian_gru.js';

// Sparsification presets (spec §3.2 config strings) and the sparsified LSTM text classifier
export { CLASSIFIER_PRESETS, parseClassifierConfig, presetConfig, resolveClassifierSparsity, isClassifierPreset, type ClassifierPreset, type ClassifierSparsity, type WeightKind } from './sparsify/presets.js';
export { SparseTextClassifier, type SparseTextClassifierOptions } from './nn/sparse_text_classifier.js';
