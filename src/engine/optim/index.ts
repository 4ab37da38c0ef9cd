// Fused optimizers: one in-place native call per update on the native backend, plain tf ops elsewhere.
export { Adam, type AdamOptions } from './adam.js';
export { SGD, type SGDOptions } from './sgd.js';
export { clipByGlobalNorm, globalNorm, type ClippedGradients } from './clip_global_norm.js';
export { FusedOptimizer, type OptimizerOptions, type OptimizerState, type VariableSet, type GradientSet } from './optimizer.js';
