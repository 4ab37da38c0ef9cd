// A compact text classifier (spec §3.4): the inference-only form of a sparsified SparseTextClassifier with the pruned
// words, inputs, neurons and gates physically removed. Its forward is a tight host loop per sequence: each kept
// word's input projection (embedding row times the input weights) is precomputed once into a table, so a step is
// one table row plus h_{t-1} U over the kept neurons and live gate columns (dense or CSR). Large compact models
// (little pruning) run on the engine's fused ops instead (compact_fused.ts).
import { tf } from '../engine/tf.js';
import { accumulateRowTimesMatrix, denseValues } from './csr.js';
import { gateCount, type CompactCell, type CompactSummary, type CompactTextClassifierData } from './compact_model.js';
import { lstmFinalHidden, lstmWork } from './compact_lstm.js';
import { gruFinalHidden, gruWork } from './compact_gru.js';
import { FusedCompactWeights } from './compact_fused.js';

/** 'host': the tight host loop; 'fused': the engine's lstmSequence / gruSequence; 'auto': by FUSED_MIN_WORK. */
export type CompactForward = 'auto' | 'host' | 'fused';

/**
 * 'auto' runs the fused op when batch x Hk x live gate columns (recurrent weights) reaches this, else the host loop.
 * The host loop costs ~2.5 ns per recurrent weight per step per sequence (activations included) and nothing per
 * call; the fused op batches the sequences into GEMMs but pays tfjs dispatch per call. Measured at T = 200 on this
 * project's 2-core machine (docs/performance.md, compact section): at batch 128 the host loop won at 256 weights
 * (24 vs 44 ms) and lost at 1,024 (71 vs 39 ms); at batch 1 it won at 16,384 weights (7 ms) and the unpruned
 * IMDB GRU (49,152) and LSTM (65,536) ran in ~1-1.5 ms fused; the reference pruning levels (<= 180 weights) stay on
 * the host loop even at batch 128 (23,040).
 */
export const FUSED_MIN_WORK = 40000;

export interface CompactClassifierOptions {
  forward?: CompactForward;
}

export class CompactTextClassifier {
  /** Which forward logits() runs ('auto': per call, by FUSED_MIN_WORK). */
  readonly forward: CompactForward;
  /** [V]: embedding / projection-table row of each word id; pruned words share the last row, which is all zero. */
  private readonly wordRow: Int32Array;
  /** Host loop: [(Wk + 1), Gk], embedding times input weights per kept word, then one zero row (made on first use). */
  private projections: Float32Array | null = null;
  private fused: FusedCompactWeights | null = null;

  constructor(readonly data: CompactTextClassifierData, options: CompactClassifierOptions = {}) {
    checkCompactData(data);
    const { keptWords, vocabSize } = data;
    const Wk = keptWords.length;
    this.wordRow = new Int32Array(vocabSize).fill(Wk);
    keptWords.forEach((v, w) => { this.wordRow[v] = w; });
    this.forward = options.forward ?? 'auto';
  }

  /** The forward a call with this batch size runs. */
  forwardFor(batch: number): 'host' | 'fused' {
    if (this.forward !== 'auto') return this.forward;
    const cell = this.data.cell;
    return batch * cell.hiddenSize * cell.hiddenWeights.cols >= FUSED_MIN_WORK ? 'fused' : 'host';
  }

  get cell(): CompactCell {
    return this.data.cell;
  }

  get summary(): CompactSummary {
    return this.data.summary;
  }

  get vocabSize(): number {
    return this.data.vocabSize;
  }

  get classes(): number {
    return this.data.classes;
  }

  /** The same model with another forward (shares the data). */
  withForward(forward: CompactForward): CompactTextClassifier {
    return new CompactTextClassifier(this.data, { forward });
  }

  /**
   * ids: [batch * steps] row-major, left-padded as the full model takes them; lengths: [batch] real tokens per
   * sequence (0..steps). Returns logits [batch * classes]. Padded positions are never read.
   */
  logitsArray(ids: ArrayLike<number>, lengths: ArrayLike<number>, steps: number): Float32Array {
    const B = lengths.length, T = steps, V = this.data.vocabSize, Wk = this.data.keptWords.length;
    if (!Number.isInteger(T) || T < 0) throw new RangeError(`CompactTextClassifier.logits: steps must be a non-negative integer, got ${T}`);
    if (ids.length !== B * T) throw new RangeError(`CompactTextClassifier.logits: ids has ${ids.length} entries, expected batch ${B} x steps ${T}`);
    const rows = new Int32Array(B * T).fill(Wk);
    const lens = new Int32Array(B);
    for (let b = 0; b < B; b++) {
      const L = lengths[b];
      if (!Number.isInteger(L) || L < 0 || L > T) throw new RangeError(`CompactTextClassifier.logits: lengths[${b}] = ${L}, expected an integer in [0, ${T}]`);
      lens[b] = L;
      for (let s = T - L; s < T; s++) {
        const id = ids[b * T + s];
        if (!Number.isInteger(id) || id < 0 || id >= V) throw new RangeError(`CompactTextClassifier.logits: ids[${b}, ${s}] = ${id}, expected a word id in [0, ${V})`);
        rows[b * T + s] = this.wordRow[id];
      }
    }
    if (this.forwardFor(B) === 'fused') {
      this.fused ??= new FusedCompactWeights(this.data);
      return this.fused.logits(rows, lens, T);
    }
    return this.hostLogits(rows, lens, T);
  }

  private hostLogits(rows: Int32Array, lengths: Int32Array, T: number): Float32Array {
    const B = lengths.length, C = this.data.classes, cell = this.data.cell;
    const projections = this.projections ??= projectionTable(this.data);
    const h = new Float64Array(cell.hiddenSize);
    const logits = new Float64Array(C);
    const out = new Float32Array(B * C);
    const lstm = cell.kind === 'lstm' ? lstmWork(cell) : null;
    const gru = cell.kind === 'gru' ? gruWork(cell) : null;
    for (let b = 0; b < B; b++) {
      const start = b * T + T - lengths[b], end = (b + 1) * T;
      if (lstm) lstmFinalHidden(cell, projections, rows, start, end, h, lstm);
      else gruFinalHidden(cell, projections, rows, start, end, h, gru!);
      logits.set(this.data.outputBias);
      accumulateRowTimesMatrix(h, this.data.outputWeights, logits);
      for (let c = 0; c < C; c++) out[b * C + c] = logits[c];
    }
    return out;
  }

  /** The full model's logits(ids [B, T] int32, lengths [B] int32) -> [B, classes], on the compact weights. */
  logits(ids: tf.Tensor2D, lengths: tf.Tensor1D): tf.Tensor2D {
    const [B, T] = ids.shape;
    const out = this.logitsArray(ids.dataSync(), lengths.dataSync(), T);
    return tf.tensor2d(out, [B, this.data.classes]);
  }

  /** Frees the fused path's tensors (the host path holds none). */
  dispose(): void {
    this.fused?.dispose();
    this.fused = null;
  }
}

/** E_k W_x on the engine's GEMM (the dense preset's table is 20,003 x 512), plus the zero row of pruned words. */
function projectionTable(data: CompactTextClassifierData): Float32Array {
  const { embedding, cell } = data;
  const Wk = embedding.rows, Dk = embedding.cols, Gk = cell.inputWeights.cols;
  const table = new Float32Array((Wk + 1) * Gk);
  if (Wk === 0 || Dk === 0 || Gk === 0) return table;
  const product = tf.tidy(() => tf.matMul(tf.tensor2d(denseValues(embedding), [Wk, Dk]),
    tf.tensor2d(denseValues(cell.inputWeights), [Dk, Gk])));
  table.set(product.dataSync());
  product.dispose();
  return table;
}

/** Consistency of the sizes of a compact model (names the field on failure; loadCompactModel adds the file). */
export function checkCompactData(data: CompactTextClassifierData): void {
  const fail = (field: string, why: string): never => { throw new Error(`compact model: ${field} ${why}`); };
  const { cell, keptWords, keptInputs, keptHidden, embedding, outputWeights, outputBias, vocabSize: V, classes: C } = data;
  const Wk = keptWords.length, Dk = keptInputs.length, Hk = keptHidden.length, Gk = cell.inputWeights.cols;
  const slots = gateCount(cell.kind) * Hk;
  const shape = (field: string, m: { rows: number; cols: number }, rows: number, cols: number): void => {
    if (m.rows !== rows || m.cols !== cols) fail(field, `is [${m.rows}, ${m.cols}], expected [${rows}, ${cols}]`);
  };
  if (cell.hiddenSize !== Hk) fail('cell.hiddenSize', `is ${cell.hiddenSize}, expected ${Hk} (keptHidden)`);
  shape('embedding', embedding, Wk, Dk);
  shape('cell.inputWeights', cell.inputWeights, Dk, Gk);
  shape('cell.hiddenWeights', cell.hiddenWeights, Hk, Gk);
  shape('outputWeights', outputWeights, Hk, C);
  if (outputBias.length !== C) fail('outputBias', `has ${outputBias.length} entries, expected ${C}`);
  for (const [field, a] of [['cell.gateColumns', cell.gateColumns], ['cell.constantGates', cell.constantGates],
    ['cell.gateConstants', cell.gateConstants], ['cell.gateBias', cell.gateBias]] as const) {
    if (a.length !== slots) fail(field, `has ${a.length} entries, expected ${slots} (gates x ${Hk} kept neurons)`);
  }
  for (let s = 0; s < slots; s++) {
    const c = cell.gateColumns[s];
    if (!Number.isInteger(c) || c < -1 || c >= Gk) fail('cell.gateColumns', `[${s}] = ${c}, expected -1 or a column in [0, ${Gk})`);
    if (c < 0 && !cell.constantGates[s] && !(cell.kind === 'gru' && s >= 2 * Hk)) {
      fail('cell.constantGates', `[${s}] is 0 but the slot has no column`);
    }
  }
  if (cell.kind === 'gru') {
    if (cell.candidateRecurrentBias?.length !== Hk) fail('cell.candidateRecurrentBias', `must have ${Hk} entries for a GRU`);
    if (cell.hiddenScale?.length !== Hk) fail('cell.hiddenScale', `must have ${Hk} entries for a GRU`);
  }
  keptWords.forEach((v, i) => { if (!(v >= 0 && v < V)) fail('keptWords', `[${i}] = ${v}, expected a word id in [0, ${V})`); });
}
