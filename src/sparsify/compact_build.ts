// SparseTextClassifier -> CompactTextClassifier (spec §3.4): effective weights theta * M_W * mu of z_x / z_h / z_gate /
// z_voc (for L0: theta * test gate, times the groups' test gates), restricted to the §3.3 kept words, inputs and hidden neurons; gate columns left all zero become constants.
import { tf } from '../engine/tf.js';
import { isPrunable, type PrunableTensor } from '../nn/bayes/prunable_tensor.js';
import { BayesianGRU } from '../nn/bayes/bayesian_gru.js';
import type { GroupGate } from '../nn/bayes/group_gate.js';
import type { SparseTextClassifier } from '../nn/sparse_text_classifier.js';
import { CSR_MAX_DENSITY, storeMatrix, type MatrixFormatChoice } from './csr.js';
import { countNonzero } from './compression.js';
import { foldLstmGates } from './compact_lstm.js';
import { foldGruGates } from './compact_gru.js';
import { gateCount, type CompactCell, type CompactTextClassifierData } from './compact_model.js';
import { CompactTextClassifier, type CompactForward } from './compact_text_classifier.js';

export interface CompactOptions {
  /** Storage of every matrix: 'auto' (default) picks CSR below `csrMaxDensity` nonzeros, else dense; or force one. */
  format?: MatrixFormatChoice;
  /** Density threshold of 'auto' (default CSR_MAX_DENSITY, calibrated in csr.ts). */
  csrMaxDensity?: number;
  /** Which forward logits() runs: 'auto' (default; see FUSED_MIN_WORK), 'host' or 'fused'. */
  forward?: CompactForward;
}

/** The eval-mode parameters on the host, group variables as their masked means (null = group not used). */
interface HostParameters {
  embedding: Float32Array; inputWeights: Float32Array; hiddenWeights: Float32Array; outputWeights: Float32Array;
  bias: Float32Array; recurrentBias: Float32Array | null; outputBias: Float32Array;
  vocabulary: Float32Array | null; inputs: Float32Array | null; hidden: Float32Array | null; gates: Float32Array | null;
}

export function compactTextClassifier(model: SparseTextClassifier, options: CompactOptions = {}): CompactTextClassifier {
  const format = options.format ?? 'auto';
  const threshold = options.csrMaxDensity ?? CSR_MAX_DENSITY;
  const store = (values: ArrayLike<number>, rows: number, cols: number) => storeMatrix(values, rows, cols, format, threshold);
  const rnn = model.lstm;
  const kind = rnn instanceof BayesianGRU ? 'gru' : 'lstm';
  const gates = gateCount(kind);
  const V = model.vocabSize, D = model.embeddingDim, H = model.hiddenSize, C = model.classes, G = gates * H;
  const p = hostParameters(model);
  const kept = model.structure(); // the §3.3 kept sets, as classifier.compression() counts them

  const keptWords = indicesOf(kept.words), keptInputs = indicesOf(kept.inputs), keptHidden = indicesOf(kept.hidden);
  const Wk = keptWords.length, Dk = keptInputs.length, Hk = keptHidden.length;
  const scale = (a: Float32Array | null, i: number): number => (a ? a[i] : 1);

  // effective embedding of the kept words and inputs
  const embedding = new Float32Array(Wk * Dk);
  keptWords.forEach((v, w) => {
    for (let e = 0; e < Dk; e++) embedding[w * Dk + e] = p.embedding[v * D + keptInputs[e]] * scale(p.vocabulary, v);
  });

  // effective input / recurrent columns of every gate slot of the kept neurons; z_h folds into U's rows for the LSTM
  // only (the GRU's z h_{t-1} reads the masked h, so it keeps mu_h as hiddenScale)
  const hiddenRowScale = (l: number): number => (kind === 'lstm' ? scale(p.hidden, l) : 1);
  const slots = gates * Hk;
  const slotX = new Float64Array(Dk * slots), slotH = new Float64Array(Hk * slots);
  const gateColumns = new Int32Array(slots).fill(-1);
  let live = 0;
  for (let k = 0; k < gates; k++) {
    for (let j = 0; j < Hk; j++) {
      const slot = k * Hk + j, col = k * H + keptHidden[j], m = scale(p.gates, col);
      let any = false;
      for (let d = 0; d < Dk; d++) {
        const w = p.inputWeights[keptInputs[d] * G + col] * scale(p.inputs, keptInputs[d]) * m;
        slotX[d * slots + slot] = w;
        if (w !== 0) any = true;
      }
      for (let l = 0; l < Hk; l++) {
        const w = p.hiddenWeights[keptHidden[l] * G + col] * hiddenRowScale(keptHidden[l]) * m;
        slotH[l * slots + slot] = w;
        if (w !== 0) any = true;
      }
      if (any) gateColumns[slot] = live++;
    }
  }
  const inputWeights = new Float32Array(Dk * live), hiddenWeights = new Float32Array(Hk * live);
  for (let slot = 0; slot < slots; slot++) {
    const c = gateColumns[slot];
    if (c < 0) continue;
    for (let d = 0; d < Dk; d++) inputWeights[d * live + c] = slotX[d * slots + slot];
    for (let l = 0; l < Hk; l++) hiddenWeights[l * live + c] = slotH[l * slots + slot];
  }

  const outputWeights = new Float32Array(Hk * C);
  keptHidden.forEach((j, jj) => {
    for (let c = 0; c < C; c++) outputWeights[jj * C + c] = p.outputWeights[j * C + c] * hiddenRowScale(j);
  });

  let cell: CompactCell;
  const base = { gateActivation: rnn.gateActivation, hiddenSize: Hk, inputWeights: store(inputWeights, Dk, live),
    hiddenWeights: store(hiddenWeights, Hk, live), gateColumns };
  if (kind === 'lstm') {
    cell = { kind, ...base, ...foldLstmGates(p.bias, H, keptHidden, gateColumns, rnn.gateActivation) };
  } else {
    const candidateRecurrentBias = Float32Array.from(keptHidden, (j) => p.recurrentBias![2 * H + j] * scale(p.gates, 2 * H + j));
    const hiddenScale = Float32Array.from(keptHidden, (j) => scale(p.hidden, j));
    cell = { kind, ...base, candidateRecurrentBias, hiddenScale,
      ...foldGruGates(p.bias, p.recurrentBias!, H, keptHidden, gateColumns, candidateRecurrentBias, rnn.gateActivation) };
  }
  const data: CompactTextClassifierData = {
    cell, vocabSize: V, classes: C, keptWords, keptInputs, keptHidden,
    embedding: store(embedding, Wk, Dk), outputWeights: store(outputWeights, Hk, C), outputBias: p.outputBias,
    summary: {
      words: { kept: Wk, total: V }, inputs: { kept: Dk, total: D }, hidden: { kept: Hk, total: H },
      gates: { kept: countNonzero(kept.gates), total: G }, constantGates: slots - live, liveColumns: live,
    },
  };
  return new CompactTextClassifier(data, { forward: options.forward });
}

function hostParameters(model: SparseTextClassifier): HostParameters {
  const rnn = model.lstm;
  const group = (g: GroupGate | null): Float32Array | null => (g ? hostTensor(g.evalValues()) : null);
  return {
    embedding: hostValue(model.embedding.table),
    inputWeights: hostValue(rnn.kernel),
    hiddenWeights: hostValue(rnn.recurrentKernel),
    outputWeights: hostValue('weight' in model.output ? model.output.weight : model.output.kernel),
    bias: hostValue(rnn.bias),
    recurrentBias: rnn instanceof BayesianGRU ? hostValue(rnn.recurrentBias) : null,
    outputBias: hostValue(model.output.bias),
    vocabulary: group(model.vocabularyGroups),
    inputs: group(rnn.inputGroups),
    hidden: group(rnn.hiddenGroups),
    gates: group(rnn.gateGroups),
  };
}

/** Eval-mode value: a prunable tensor's evalWeight() (pruned elements zeroed), the parameter itself otherwise. */
function hostValue(p: PrunableTensor | tf.Variable): Float32Array {
  if (!isPrunable(p)) return Float32Array.from(p.dataSync());
  return hostTensor(p.evalWeight());
}

/** The values of a fresh tensor, which is then freed. */
function hostTensor(t: tf.Tensor): Float32Array {
  const out = Float32Array.from(t.dataSync());
  t.dispose();
  return out;
}

function indicesOf(bits: Uint8Array): Int32Array {
  const out: number[] = [];
  bits.forEach((b, i) => { if (b) out.push(i); });
  return Int32Array.from(out);
}
