// The compact forward on the engine's fused ops (lstmSequence / gruSequence) for compact models too big for the
// host loop to win: the kept weights are laid out again in the ops' full gate layout (gates x Hk columns), a
// constant gate as an all-zero column whose bias gives exactly kappa (act(b), or for the GRU n gate
// tanh(b_n + r b_hn m_n)), so the op computes what the host loop does.
import { tf } from '../engine/tf.js';
import { lstmSequence } from '../engine/ops/lstm_sequence.js';
import { gruSequence } from '../engine/ops/gru_sequence.js';
import { denseValues } from './csr.js';
import { gateCount, type CompactTextClassifierData } from './compact_model.js';

/** The compact weights as tensors in the fused ops' layout; dispose() frees them. */
export class FusedCompactWeights {
  private readonly embedding: tf.Tensor2D;
  private readonly kernel: tf.Tensor2D;
  private readonly recurrentKernel: tf.Tensor2D;
  private readonly bias: tf.Tensor1D;
  private readonly recurrentBias: tf.Tensor1D | null;
  private readonly hiddenScale: tf.Tensor2D | null;
  private readonly outputWeights: tf.Tensor2D;
  private readonly outputBias: tf.Tensor1D;

  constructor(private readonly data: CompactTextClassifierData) {
    const { cell } = data;
    const Hk = cell.hiddenSize, slots = gateCount(cell.kind) * Hk;
    const Wk = data.embedding.rows, Dk = data.embedding.cols, Gk = cell.inputWeights.cols;
    const spread = (live: Float32Array, rows: number): Float32Array => {
      const out = new Float32Array(rows * slots);
      for (let s = 0; s < slots; s++) {
        const c = cell.gateColumns[s];
        if (c >= 0) for (let r = 0; r < rows; r++) out[r * slots + s] = live[r * Gk + c];
      }
      return out;
    };
    // one extra all-zero embedding row for pruned words
    const table = new Float32Array((Wk + 1) * Dk);
    table.set(denseValues(data.embedding));
    this.embedding = tf.tensor2d(table, [Wk + 1, Dk]);
    this.kernel = tf.tensor2d(spread(denseValues(cell.inputWeights), Dk), [Dk, slots]);
    this.recurrentKernel = tf.tensor2d(spread(denseValues(cell.hiddenWeights), Hk), [Hk, slots]);
    this.bias = tf.tensor1d(cell.gateBias);
    if (cell.kind === 'gru') {
      const rb = new Float32Array(slots);
      rb.set(cell.candidateRecurrentBias!, 2 * Hk);
      this.recurrentBias = tf.tensor1d(rb);
      this.hiddenScale = tf.tensor2d(cell.hiddenScale!, [1, Hk]);
    } else {
      this.recurrentBias = null;
      this.hiddenScale = null;
    }
    this.outputWeights = tf.tensor2d(denseValues(data.outputWeights), [Hk, data.classes]);
    this.outputBias = tf.tensor1d(data.outputBias);
  }

  /** rows: [B * T] embedding row of every position (padded ones any valid row); lengths [B]. Returns [B * C]. */
  logits(rows: Int32Array, lengths: Int32Array, steps: number): Float32Array {
    const B = lengths.length, Hk = this.data.cell.hiddenSize, C = this.data.classes;
    if (Hk === 0 || B === 0 || steps === 0) {
      const out = new Float32Array(B * C);
      for (let b = 0; b < B; b++) out.set(this.data.outputBias, b * C);
      return out;
    }
    const result = tf.tidy(() => {
      const x = tf.reshape(tf.gather(this.embedding, tf.tensor1d(rows, 'int32')), [B, steps, this.embedding.shape[1]]) as tf.Tensor3D;
      const options = { lengths: tf.tensor1d(lengths, 'int32'), padding: 'left' as const, returnSequences: false,
        gateActivation: this.data.cell.gateActivation };
      const h = this.data.cell.kind === 'lstm'
        ? lstmSequence(x, this.kernel, this.recurrentKernel, this.bias, options).h
        : gruSequence(x, this.kernel, this.recurrentKernel, this.bias, { ...options,
          recurrentBias: this.recurrentBias!, hiddenMask: tf.broadcastTo(this.hiddenScale!, [B, Hk]) as tf.Tensor2D }).h;
      return tf.add(tf.matMul(h, this.outputWeights), this.outputBias);
    });
    const out = Float32Array.from(result.dataSync());
    result.dispose();
    return out;
  }

  dispose(): void {
    tf.dispose([this.embedding, this.kernel, this.recurrentKernel, this.bias, this.outputWeights, this.outputBias]);
    if (this.recurrentBias) this.recurrentBias.dispose();
    if (this.hiddenScale) this.hiddenScale.dispose();
  }
}
