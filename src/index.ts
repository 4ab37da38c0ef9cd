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
export { sparseVdSample } from './engine/ops/sparse_vd_sample.js';
export { Adam, SGD, clipByGlobalNorm, globalNorm, FusedOptimizer } from './engine/optim/index.js';
export type { AdamOptions, SGDOptions, ClippedGradients, OptimizerOptions, OptimizerState } from './engine/optim/index.js';

// Modules and training
export { Module } from './nn/module.js';
export { Dense, type DenseActivation } from './nn/dense.js';
export { Embedding } from './nn/embedding.js';
export { LSTM, GRU, type RecurrentConfig } from './nn/recurrent.js';
export { sparseSoftmaxCrossEntropy } from './train/losses.js';
export type { TrainingTask, TaskBatch, SplitMetrics, KeptStructure } from './train/task.js';
export type { EpochRecord } from './train/metrics_record.js';
export { train, deriveSeed, type TrainerOptions, type TrainResult } from './train/trainer.js';
export { StepCappedTask } from './train/step_capped_task.js';
export { saveCheckpoint, loadCheckpoint, type Checkpoint } from './train/checkpoint.js';
export { toJson, METRICS_FILE, STRUCTURE_FILE, CONFIG_FILE, CHECKPOINT_FILE } from './train/run_files.js';
export { writeFileAtomic } from './data/write_file_atomic.js';
export { ClassificationTask, vocabularyOfIds, PROBABILITY_CLIP, type ClassificationBatch, type ClassificationTaskOptions } from './train/tasks/classification_task.js';

// Bayesian sparsification (SparseVD)
export { logAlpha, klMolchanov, klRepo, klElementwise, sparseVdKl, LOG_ALPHA_CLIP, PRUNE_LOG_ALPHA, type KlForm } from './nn/bayes/kl.js';
export { SparseVD, INITIAL_LOG_SIGMA } from './nn/bayes/sparse_vd.js';
export { normalNoise, type NoiseSource } from './nn/bayes/noise.js';
export { BayesianDense } from './nn/bayes/bayesian_dense.js';
export { SparseVDDense } from './nn/bayes/sparse_vd_dense.js';
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
export { loadMobyDickChars, type MobyDickCharCorpus } from './data/moby_dick_char.js';
export { loadSpamAssassin, readSpamAssassinMessages, messageText, isSpamGroup, SPAM_ASSASSIN_PACKAGE, type SpamAssassinDataset, type SpamAssassinOptions, type SpamAssassinMessage } from './data/spam_assassin.js';
export { resolveImdbDirectory, parsimonyCacheDir, IMDB_ARCHIVE } from './data/imdb_archive.js';

// Structural masks and compression metrics of sparsified LSTMs
export { deriveLstmStructure, deriveRecurrentStructure, propagateLstmMasks, LSTM_GATES, type Mask, type LstmGate, type LstmShape, type LstmWeightMasks, type LstmGroupMasks, type LstmKeptSets, type LstmStructure } from './sparsify/structure.js';
export { compressionReport, compressionRatio, sparsityPercent, countNonzero, type CompressionReport, type KeptCount, type GateCounts, type LstmTensorCounts } from './sparsify/compression.js';

// Bayesian recurrent layers (SparseVD kernels, group variables on inputs, hidden units and gates)
export { BayesianRecurrent, type BayesianRecurrentConfig, type BayesianSequenceOptions, type RecurrentWeightKind, type RecurrentKernel, type RecurrentDraw } from './nn/bayes/bayesian_recurrent.js';
export { BayesianLSTM } from './nn/bayes/bayesian_lstm.js';
export { BayesianGRU } from './nn/bayes/bayesian_gru.js';

// Sparsification presets (spec §3.2 config strings) and the sparsified LSTM text classifier
export { CLASSIFIER_PRESETS, parseClassifierConfig, presetConfig, resolveClassifierSparsity, isClassifierPreset, type ClassifierPreset, type ClassifierSparsity, type WeightKind } from './sparsify/presets.js';
export { SparseTextClassifier, type SparseTextClassifierOptions } from './nn/sparse_text_classifier.js';

// Sparsified one-hot LSTM language models (spec §3.2 LM config strings, §2.4 output noise, §6.1 PTB batching)
export { LANGUAGE_MODEL_PRESETS, parseLanguageModelConfig, resolveLanguageModelSparsity, isLanguageModelPreset, languageModelConfigString, type LanguageModelPreset, type LanguageModelSparsity } from './sparsify/lm_presets.js';
export { BayesianSequenceDense } from './nn/bayes/bayesian_sequence_dense.js';
export { BayesianSampledDense } from './nn/bayes/bayesian_sampled_dense.js';
export { SparseLanguageModel, type SparseLanguageModelOptions, type LanguageModelLevel, type OneHotInputPath, type LanguageModelState, type LanguageModelOutput } from './nn/sparse_language_model.js';
export type { TokenBatch } from './data/lm_token_batch.js';
export { CHAR_WINDOW_LENGTH, charWindowCount, charWindowStarts, charBatchCount, charTrainBatches, charEvalBatches, tokenBatch } from './data/char_lm_windows.js';
export { WORD_LM_COLUMNS, WORD_LM_BPTT, wordColumnLength, wordBatchCount, wordStreamBatches } from './data/word_lm_stream.js';
export { CharLmTask, type LanguageModelTaskOptions } from './train/tasks/char_lm_task.js';
export { WordLmTask } from './train/tasks/word_lm_task.js';
export { lstmKeptStructure } from './train/tasks/lstm_kept_structure.js';

// Run reports (`parsimony report`): markdown + SVG plots of a training run directory
export { readRunFiles, parseMetricsJsonl, parseStructure, parseConfig, type RunFiles } from './report/run_files.js';
export { writeRunReport, REPORT_FILE, type RunReportOptions, type RunReport } from './report/write_report.js';
export { choosePrimaryMetric, bestValidationEpoch, knownDirection, type PrimaryMetric } from './report/best_epoch.js';
export { gateHeatmap, gateHeatmapSpec, type GateHeatmap, type GateRun } from './report/gate_heatmap.js';
export { learningCurvesSpec, compressionSpec, keptStructureSpec } from './report/plots.js';
export { renderSvg } from './report/render_svg.js';

// Compact (inference-only) text classifiers: pruned words, neurons and gates removed (spec §3.4)
export { deriveGruStructure, GRU_GATES, type GruGate, type GruStructure } from './sparsify/gru_structure.js';
export { CSR_MAX_DENSITY, chooseMatrixFormat, storeMatrix, denseValues, accumulateRowTimesMatrix, type MatrixFormat, type MatrixFormatChoice, type DenseMatrix, type CsrMatrix, type StoredMatrix } from './sparsify/csr.js';
export { type CompactCell, type CompactCellKind, type CompactSummary, type CompactTextClassifierData } from './sparsify/compact_model.js';
export { CompactTextClassifier, FUSED_MIN_WORK, type CompactForward, type CompactClassifierOptions } from './sparsify/compact_text_classifier.js';
export { compactTextClassifier, type CompactOptions } from './sparsify/compact_build.js';
export { saveCompactModel, loadCompactModel, COMPACT_MODEL_FORMAT, COMPACT_MODEL_VERSION } from './sparsify/compact_serialization.js';

// Corpus-built word vectors (PPMI + randomized truncated SVD) for the classifiers' embeddings (practical note 2)
export { randomizedSvd, csrTimesDense, csrTransposeTimesDense, transposeCsr, orthonormalColumns, symmetricEigen, type SparseRowMatrix, type RandomizedSvdOptions, type TruncatedSvd } from './nn/randomized_svd.js';
export { buildPpmiEmbeddings, cooccurrenceMatrix, ppmiMatrix, unpaddedSequences, type CooccurrenceOptions, type PpmiEmbeddingOptions, type PpmiEmbeddings } from './data/ppmi_embeddings.js';
export { buildOrLoadPpmiEmbeddings, readPpmiCache, writePpmiCache, cacheHeader, corpusChecksum, type PpmiCacheHeader } from './data/ppmi_embedding_cache.js';

// Binary variational dropout (Gal & Ghahramani; spec §2.5), the P1 ingredient: per-sequence masks through the fused ops
export { BinaryDropout, bernoulliNoise, combineMasks } from './nn/binary_dropout.js';
export { CLASSIFIER_DROPOUT_PRESETS, isClassifierDropoutPreset, type ClassifierDropoutPreset } from './sparsify/presets.js';

// Memory-split ensembles (spec memory-split.md): width-parameterised families with exact parameter counts, the
// budget planner, and ensemble metrics (averaged probabilities, accuracy, NLL, temperature scaling, CNLL)
export { Conv2D, type Conv2DOptions } from './ensembles/layers/conv2d.js';
export { BatchNorm, type BatchNormOptions } from './ensembles/layers/batch_norm.js';
export { defineFamily, evaluateQuadratic, quadraticFromCounts, type ArchitectureFamily, type MemberModel, type QuadraticCount } from './ensembles/family.js';
export { Mlp, mlpFamily, mlpCounts, type MlpOptions } from './ensembles/families/mlp.js';
export { SmallCnn, smallCnnFamily, smallCnnCounts, type SmallCnnOptions } from './ensembles/families/small_cnn.js';
export { Vgg, vggFamily, vggCounts, VGG_CONFIGS, type VggOptions } from './ensembles/families/vgg.js';
export { ResidualNetwork, type ResidualNetworkOptions, type ResidualBlockKind } from './ensembles/families/residual_network.js';
export { resNetFamily, preResNetFamily, residualCounts, type ResNetOptions, type PreResNetOptions } from './ensembles/families/resnet.js';
export { wideResNetFamily, wideResNetWidth, type WideResNetOptions } from './ensembles/families/wide_resnet.js';
export { RecurrentClassifier, recurrentClassifierFamily, recurrentClassifierCounts, type RecurrentCell, type RecurrentClassifierOptions } from './ensembles/families/recurrent_classifier.js';
export { planMemorySplit, memorySplitTable, formatMemorySplitTable, solveWidth, type MemorySplitPlan } from './ensembles/planner.js';
export { classScores, softmaxRows, averageProbabilities, accuracy, negativeLogLikelihood, NLL_PROBABILITY_CLIP, type ClassScores } from './ensembles/class_scores.js';
export { fitTemperature, nllAtTemperature, temperatureScaledNll, calibratedNll, calibratedNllAfterAveraging, fitSharedTemperature, logProbabilities, goldenSectionMinimize, type TemperatureSearch, type TemperatureFit, type CalibratedNll, type CalibratedNllOptions } from './ensembles/temperature_scaling.js';
export { meanAndSpread, disjointGroups, summarizeRuns, type MeanAndSpread } from './ensembles/run_statistics.js';
export { evaluateEnsemble, type EnsembleMetrics } from './ensembles/evaluate_ensemble.js';
// Memory-split sweeps (issue 5 second slice): Fashion-MNIST, member training in worker threads, the (budget, k) grid with
// resume, analysis (optimal k, split advantage, power laws) and its report
export { loadFashionMnist, parseIdxImages, parseIdxLabels, findIdxFile, FASHION_MNIST_DIR, FASHION_MNIST_CLASSES, type FashionMnist, type FashionMnistOptions, type ImageSplit } from './data/fashion_mnist.js';
export { imageMemberDataset, sequenceMemberDataset, shareMemberDataset, checkMemberDataset, type MemberDataset, type MemberSplit } from './ensembles/member_dataset.js';
export { memberFamily, type MemberFamilySpec, type SweepArchitecture } from './ensembles/member_family.js';
export { trainMember, type MemberTrainingOptions, type MemberResult } from './ensembles/train_member.js';
export { MemberPool, poolSize, type MemberJob, type MemberPoolOptions, type PoolSize } from './ensembles/member_pool.js';
export { runSweep, memberSeed, ensembleRunMetrics, type SweepOptions, type SweepSummary } from './ensembles/sweep.js';
export { readSweepCells, readCellRecord, writeCellRecord, readSweepSettings, type SplitCellRecord, type SplitRunMetrics, type SweepSettings } from './ensembles/sweep_record.js';
export { fitPowerLaw, fitPowerLawWithAsymptote, powerLawAt, type PowerLawFit, type PowerLawOptions } from './ensembles/power_law.js';
export { analyzeSplitSweep, type SplitAnalysis, type BudgetAnalysis, type SplitAdvantage } from './ensembles/split_analysis.js';
export { writeSplitReport, splitReportMarkdown, type SplitReportFiles } from './ensembles/split_report.js';

// Malware logs (issue 4, spec malware.md sections 1-3): log format, readers, shipped datasets, dedup, behaviour patterns
export type { LogLine, Log } from './malware/log_line.js';
export { parseLogLine, LogLineSyntaxError } from './malware/log_line_parser.js';
export { formatCallLine, formatJsonLine } from './malware/log_line_format.js';
export { LogLineReader, LogFormatError, readLogFile, readLogStream, parseLogText, firstInvalidUtf8, type LogErrorPolicy, type LogReadOptions, type LogProblem, type LogReadResult } from './malware/log_reader.js';
export { splitByteLines, openDataStream, DEFAULT_MAX_LINE_BYTES, type ByteLine } from './malware/byte_lines.js';
export { sampleLog, collapseRuns, datasetStats, type ApiCallDataset, type ApiCallSample, type ApiCallDatasetStats } from './malware/api_call_dataset.js';
export { deduplicateSamples, contentKey, formatDedupReport, type DedupContent, type DedupReport } from './malware/deduplicate.js';
export { loadMalbehavd, resolveMalbehavdFile, MALBEHAVD_FILE, MALBEHAVD_LABELS } from './malware/malbehavd.js';
export { loadMalApi2019, readApiIndex, MAL_API_FAMILIES, CUCKOO_PSEUDO_EVENTS, type MalApiOptions } from './malware/mal_api_2019.js';
export { normaliseApiName, normaliseArgument, type EntityKind, type NormalisedArgument, type NormaliserOptions } from './malware/argument_normaliser.js';
export { PatternAccumulator, extractPatterns, DEFAULT_MAX_PARTS, type PatternFamily, type PatternOptions, type BehaviourPattern } from './malware/behaviour_patterns.js';
// Malware models (issue 4, spec malware.md sections 4-6): pattern encoding, P1 autoencoder features, monotone model, streaming
export { fnv1a64, fnv1a64Hex, HashedPatternEncoder, VocabularyPatternEncoder, encodePattern, denseRows, DEFAULT_HASH_SIZE, type PatternEncoder } from './malware/pattern_encoding.js';
export { PatternAutoencoder, autoencoderTrainingSet, type AutoencoderOptions, type AutoencoderFitOptions, type WeightedPatterns } from './malware/pattern_autoencoder.js';
export { encodeLogPatterns, aggregateCodes, indicatorFeatures } from './malware/log_features.js';
export { FeatureClassifier, type FeatureClassifierOptions, type ClassifierFitOptions } from './malware/feature_classifier.js';
export { MonotonicPatternModel, makePatternBatch, disposeBatch, type MonotoneClassifierKind, type MonotonicModelOptions, type MonotonicFitOptions, type EncodedLog, type PatternBatch } from './malware/monotonic_model.js';
export { scoreLog, embedPattern, classifyPooled, type MonotonicWeights, type HostMatrix } from './malware/monotonic_weights.js';
export { StreamingScorer } from './malware/streaming_scorer.js';
export { rocAuc } from './malware/roc_auc.js';
// Malware detector shipping and real-time use (issue 4 part 6): detector file, training/eval, scorer pool, HTTP service
export { detectorScorer, detectorScore, type MalwareDetector, type DetectorProvenance } from './malware/malware_detector.js';
export { saveDetector, loadDetector, detectorToJson, detectorFromJson, DETECTOR_FORMAT, DETECTOR_VERSION } from './malware/detector_file.js';
export { tprAtFpr, thresholdAtFpr, ratesAtThreshold, formatTprAtFpr, type TprAtFpr } from './malware/low_fpr.js';
export { loadLabelledLogs, stratifiedSplit, DEFAULT_MALWARE_DATA_DIR, type LabelledLog, type LabelledLogs, type LabelledLogOptions } from './malware/labelled_logs.js';
export { trainDetector, evaluateDetector, heldOutItems, formatEvaluation, type DetectorTrainingOptions, type DetectorEvaluation, type TrainedDetector } from './malware/detector_training.js';
export { ScorerPool, ProcessScorer, DEFAULT_MAX_PROCESSES, DEFAULT_IDLE_MS, DEFAULT_SERVICE_MAX_LINE_BYTES, type ScorerPoolOptions, type LineCounts } from './malware/scorer_pool.js';
export { createScoreServer, processState, type ScoreServerOptions, type ProcessState, type PostLogsReply, type ServiceStats } from './malware/score_server.js';
