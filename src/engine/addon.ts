// Loads the N-API addon (native/, built by scripts/build-native.mjs). If it cannot load, Parsimony keeps
// working on the plain tfjs kernels and says so once.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageRoot } from './tf.js';

/** Functions exported by native/src/*.cc. Arrays are used in place (zero-copy); shapes are passed as numbers. */
export interface NativeAddon {
  sgemm(transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number, A: Float32Array,
    lda: number, B: Float32Array, ldb: number, beta: number, C: Float32Array, ldc: number): void;
  /** out[i] = act(op(a[i]) op(b[i]) + bias); aBatchStride/bBatchStride 0 broadcast one matrix over the batch. */
  batchMatMul(a: Float32Array, b: Float32Array, out: Float32Array, batch: number, M: number, N: number, K: number,
    transA: boolean, transB: boolean, aBatchStride: number, bBatchStride: number, bias: Float32Array | null,
    activation: number, leakyreluAlpha?: number): void;
  gemmLibrary(): string;
  availableGemmLibraries(): string;
  selectGemmLibrary(name: string): boolean;
  setNumThreads(n: number): void;
  numThreads(): number;
  /** Switches per-shape GEMM accounting on/off; returns and clears what was recorded so far. */
  gemmProfile(enable: boolean): GemmShapeStats[];
  // elementwise.cc, reduce.cc, gather.cc, random.cc; op and layout codes: src/engine/kernels/{unary,binary,reduce}.ts
  unary(op: number, x: Float32Array, out: Float32Array): void;
  /** tfjs Step: out = x > 0 ? 1 : alpha, NaN stays NaN. */
  step(x: Float32Array, out: Float32Array, alpha: number): void;
  /** out [M, N] = a op b; each operand's layout says whether it is full, a scalar, a row [N] or a column [M]. */
  binary(op: number, a: Float32Array, aLayout: number, b: Float32Array, bLayout: number, out: Float32Array, M: number, N: number): void;
  softmax(x: Float32Array, out: Float32Array, rows: number, cols: number): void;
  logSoftmax(x: Float32Array, out: Float32Array, rows: number, cols: number): void;
  /** dx = dy - exp(y) * sum(dy) per row, where y = logSoftmax(x). */
  logSoftmaxGrad(dy: Float32Array, y: Float32Array, out: Float32Array, rows: number, cols: number): void;
  /** out[o, k] = op over r of x[o, r, k] (x viewed as [outer, reduceSize, inner]; reduceSize > 0). */
  reduce(op: number, x: Float32Array, out: Float32Array, outer: number, reduceSize: number, inner: number): void;
  /** out[o, i, :] = params[o, indices[i], :]; throws on an index outside [0, dimSize). */
  gather(params: Float32Array, indices: Int32Array, out: Float32Array, outer: number, dimSize: number, sliceSize: number): void;
  unsortedSegmentSum(data: Float32Array, segmentIds: Int32Array, out: Float32Array, numSegments: number, sliceSize: number): void;
  transpose(x: Float32Array, out: Float32Array, shape: Int32Array, perm: Int32Array): void;
  // conv.cc (src/engine/kernels/conv.ts): NHWC; geometry packs the Conv2DInfo / Pool2DInfo fields conv.ts lists.
  conv2d(x: Float32Array, filter: Float32Array, y: Float32Array, geometry: Int32Array): void;
  conv2dBackpropInput(dy: Float32Array, filter: Float32Array, dx: Float32Array, geometry: Int32Array): void;
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, dfilter: Float32Array, geometry: Int32Array): void;
  maxPool(x: Float32Array, y: Float32Array, geometry: Int32Array): void;
  /** dx = dy routed to each window's first maximum of x (tfjs's cpu tie rule). */
  maxPoolGrad(dy: Float32Array, x: Float32Array, dx: Float32Array, geometry: Int32Array): void;
  /** Philox fills; an omitted seed draws a fresh stream from a process-wide generator. */
  randomUniform(out: Float32Array, lo: number, hi: number, seed?: number): void;
  randomNormal(out: Float32Array, mean: number, std: number, seed?: number): void;
  bernoulli(out: Float32Array, p: number, seed?: number): void;
  // lstm.cc (src/engine/ops/lstm_sequence.ts): absent optional tensors are null; outputs are filled in place.
  lstmForward(x: Float32Array, kernel: Float32Array | null, recurrentKernel: Float32Array, bias: Float32Array,
    h0: Float32Array | null, c0: Float32Array | null, inputMask: Float32Array | null, hiddenMask: Float32Array | null,
    gateMask: Float32Array | null, lengths: Int32Array | null, B: number, T: number, D: number, H: number,
    hardSigmoid: boolean, padLeft: boolean, hs: Float32Array, cs: Float32Array, gates: Float32Array,
    preMask: Float32Array | null, hFinal: Float32Array, cFinal: Float32Array): void;
  /** Overwrites `gates` (the forward's saved activations) with the pre-activation gradient. */
  lstmBackward(x: Float32Array, kernel: Float32Array | null, recurrentKernel: Float32Array, h0: Float32Array | null,
    c0: Float32Array | null, inputMask: Float32Array | null, hiddenMask: Float32Array | null, gateMask: Float32Array | null,
    lengths: Int32Array | null, hs: Float32Array, cs: Float32Array, gates: Float32Array, preMask: Float32Array | null,
    dOutput: Float32Array | null, dhFinal: Float32Array, dcFinal: Float32Array, B: number, T: number, D: number,
    H: number, hardSigmoid: boolean, padLeft: boolean, dX: Float32Array, dKernel: Float32Array | null,
    dRecurrentKernel: Float32Array, dBias: Float32Array, dh0: Float32Array, dc0: Float32Array,
    dInputMask: Float32Array | null, dHiddenMask: Float32Array | null, dGateMask: Float32Array | null): void;
  // gru.cc (src/engine/ops/gru_sequence.ts): one argument object each; outputs are filled in place.
  gruForward(args: GruForwardArgs): void;
  /** Overwrites args.gates and args.q (the forward's saved tensors: back-propagated once). */
  gruBackward(args: GruBackwardArgs): void;
  // optim.cc (src/engine/optim/): updates run in place on params and optimizer slots; gradScale multiplies each
  // gradient first (global-norm clipping, 1 otherwise).
  /** Returns the global L2 norm of grads (double accumulation); with outs (may alias grads) writes the clipped grads. */
  clipByGlobalNorm(grads: Float32Array[], outs: Float32Array[] | null, maxNorm: number): number;
  adamUpdate(params: Float32Array[], grads: Float32Array[], m: Float32Array[], v: Float32Array[], gradScale: number,
    beta1: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number, oneMinusAccBeta1: number,
    oneMinusAccBeta2: number, epsilon: number, negLr: number): void;
  /** accumulations is empty for plain SGD (momentum 0). */
  momentumUpdate(params: Float32Array[], grads: Float32Array[], accumulations: Float32Array[], gradScale: number,
    momentum: number, negLr: number, nesterov: boolean): void;
  // loss.cc (src/engine/ops/sparse_softmax_cross_entropy.ts): logits viewed as [labels.length, classes]; both throw
  // on a label outside [0, classes).
  /** Fills logSumExp (one per row) and returns the mean over rows of logSumExp - logits[row, label]. */
  sparseSoftmaxCrossEntropy(logits: Float32Array, labels: Int32Array, classes: number, logSumExp: Float32Array): number;
  /** dlogits = (exp(logits - logSumExp) - onehot(labels)) * scale. */
  sparseSoftmaxCrossEntropyGrad(logits: Float32Array, labels: Int32Array, classes: number, logSumExp: Float32Array,
    scale: number, dlogits: Float32Array): void;
  // sparse_vd.cc (src/engine/ops/sparse_vd.ts): form 0 = Molchanov, 1 = the authors' repo variant.
  /** Sum of KL(clip(log alpha)) over the elements, accumulated in double. */
  sparseVdKl(theta: Float32Array, logSigma: Float32Array, form: number): number;
  /** scale * d(sum KL) / d(theta, logSigma), written to dTheta and dLogSigma. */
  sparseVdKlGrad(theta: Float32Array, logSigma: Float32Array, form: number, scale: number, dTheta: Float32Array,
    dLogSigma: Float32Array): void;
  /** out = theta + exp(logSigma) * eps; sigmaEps = exp(logSigma) * eps. */
  sparseVdSample(theta: Float32Array, logSigma: Float32Array, eps: Float32Array, out: Float32Array, sigmaEps: Float32Array): void;
  // Further entries are declared next to the code that uses them (see NativeAddonExtensions).
  [name: string]: unknown;
}

export interface GemmShapeStats {
  transA: boolean; transB: boolean; M: number; N: number; K: number; calls: number; seconds: number;
}

/** Sizes and flags of a fused GRU call (x [batch, steps, inputSize], hiddenSize units, gates r, z, n). */
export interface GruCallDims {
  batch: number; steps: number; inputSize: number; hiddenSize: number; hardSigmoid: boolean; leftPadding: boolean;
}

/** Absent optional inputs are null. hs [B,T,H] receives every step's h; gates [B,T,3H], q [B,T,H] and (with a gate
 * mask) preMask [B,T,3H] are given only for training, and then hs is required too. */
export interface GruForwardArgs extends GruCallDims {
  x: Float32Array; kernel: Float32Array; recurrentKernel: Float32Array; bias: Float32Array;
  recurrentBias: Float32Array | null; h0: Float32Array | null; inputMask: Float32Array | null;
  hiddenMask: Float32Array | null; gateMask: Float32Array | null; lengths: Int32Array | null;
  hLast: Float32Array; hs: Float32Array | null; gates: Float32Array | null; q: Float32Array | null;
  preMask: Float32Array | null;
}

/** dOutput: gradient w.r.t. every step's h (null when only the final h was returned); dhLast: w.r.t. the final h.
 * A mask's gradient output is given exactly when the mask is. */
export interface GruBackwardArgs extends GruCallDims {
  dOutput: Float32Array | null; dhLast: Float32Array;
  x: Float32Array; kernel: Float32Array; recurrentKernel: Float32Array; h0: Float32Array | null;
  inputMask: Float32Array | null; hiddenMask: Float32Array | null; gateMask: Float32Array | null;
  lengths: Int32Array | null; hs: Float32Array; gates: Float32Array; q: Float32Array; preMask: Float32Array | null;
  dx: Float32Array; dKernel: Float32Array; dRecurrentKernel: Float32Array; dBias: Float32Array;
  dRecurrentBias: Float32Array; dh0: Float32Array; dInputMask: Float32Array | null;
  dHiddenMask: Float32Array | null; dGateMask: Float32Array | null;
}

let cached: NativeAddon | null | undefined;
let loadError: string | undefined;

/** The addon, or null when it is not built or disabled with PARSIMONY_NATIVE=0. */
export function loadAddon(): NativeAddon | null {
  if (cached !== undefined) return cached;
  if (process.env.PARSIMONY_NATIVE === '0') {
    loadError = 'disabled by PARSIMONY_NATIVE=0';
    cached = null;
    return cached;
  }
  const path = join(packageRoot, 'build', 'Release', 'parsimony_native.node');
  try {
    const addon = createRequire(import.meta.url)(path) as NativeAddon;
    const gemm = process.env.PARSIMONY_GEMM;
    if (gemm && !addon.selectGemmLibrary(gemm)) {
      throw new Error(`PARSIMONY_GEMM=${gemm}: not built in (available: ${addon.availableGemmLibraries()})`);
    }
    cached = addon;
  } catch (err) {
    loadError = `${path}: ${(err as Error).message}`;
    cached = null;
  }
  return cached;
}

/** The addon; throws a clear error when it is unavailable (for code paths that only exist natively). */
export function requireAddon(): NativeAddon {
  const addon = loadAddon();
  if (!addon) throw new Error(`Parsimony native addon unavailable (${loadError}). Run \`npm run build:native\`.`);
  return addon;
}

export function addonLoadError(): string | undefined {
  loadAddon();
  return loadError;
}
