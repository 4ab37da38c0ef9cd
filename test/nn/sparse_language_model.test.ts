import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { SparseLanguageModel } from '../../src/nn/sparse_language_model.js';
import { SparseVD } from '../../src/nn/bayes/sparse_vd.js';
import { LANGUAGE_MODEL_PRESETS, type LanguageModelPreset } from '../../src/sparsify/lm_presets.js';
import { lstmKeptStructure } from '../../src/train/tasks/lstm_kept_structure.js';
import '../helpers.js';
import { assertClose, values } from './bayes/bayes_test_utils.js';
import { asGroupVariable } from './bayes/sparse_vd_parts.js';

const V = 7, H = 5;
const PRESETS = Object.keys(LANGUAGE_MODEL_PRESETS) as LanguageModelPreset[];
const ids = (): tf.Tensor2D => tf.tensor2d([[1, 3, 3, 6], [0, 2, 5, 1], [4, 4, 0, 6]], [3, 4], 'int32');

function gram(m: number[], rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let a = 0; a < cols; a++) for (let b = 0; b < cols; b++) {
    let s = 0;
    for (let r = 0; r < rows; r++) s += m[r * cols + a] * m[r * cols + b];
    out.push(s);
  }
  return out;
}

const identity = (n: number): number[] => Array.from({ length: n * n }, (_, i) => (Math.floor(i / n) === i % n ? 1 : 0));

test('spec §6.3 LM init: orthogonal W_x, W_h blocks and output; forget bias 0 (char) / 1 (word); log sigma -3', () => {
  for (const level of ['char', 'word'] as const) {
    const model = new SparseLanguageModel(V, H, 'sparsevd', { level, seed: 1 });
    const wx = values(tf.clone((model.lstm.kernel as SparseVD).theta)), wh = values(tf.clone((model.lstm.recurrentKernel as SparseVD).theta));
    for (let k = 0; k < 4; k++) {
      const block = (m: number[], rows: number) => Array.from({ length: rows * H }, (_, i) => m[Math.floor(i / H) * 4 * H + k * H + (i % H)]);
      assertClose(gram(block(wx, V), V, H), identity(H), 1e-5, `${level} W_x block ${k}^T W_x block ${k}`);
      assertClose(gram(block(wh, H), H, H), identity(H), 1e-5, `${level} W_h block ${k}`);
    }
    const out = values(tf.transpose((model.output as { weight: SparseVD }).weight.theta)); // [V, H]: orthonormal columns
    assertClose(gram(out, V, H), identity(H), 1e-5, `${level} output`);
    const bias = values(tf.clone(model.lstm.bias));
    const forget = level === 'char' ? 0 : 1;
    assertClose(bias, bias.map((_, i) => (i >= H && i < 2 * H ? forget : 0)), 0, `${level} LSTM bias`);
    assertClose(values(tf.clone((model.lstm.kernel as SparseVD).logSigma)).slice(0, 3), [-3, -3, -3], 0, 'log sigma');
    model.dispose();
  }
});

test('the gather input path computes the one-hot path\'s logits, state and gradients (same seeds: same draws; every preset)', () => {
  for (const preset of PRESETS) {
    const a = new SparseLanguageModel(V, H, preset, { level: 'word', seed: 3, inputPath: 'oneHot' });
    const b = new SparseLanguageModel(V, H, preset, { level: 'word', seed: 3, inputPath: 'gather' });
    // make the groups non-trivial: a few mu away from 1, one pruned
    for (const m of [a, b]) {
      for (const g of [m.lstm.inputGroups, m.lstm.hiddenGroups, m.lstm.gateGroups]) {
        if (g) asGroupVariable(g).z.theta.assign(tf.tidy(() => tf.concat([tf.tensor1d([1e-4]), tf.linspace(0.5, 1.5, g.size - 1)])));
      }
    }
    const x = ids();
    const state = { h: tf.fill([3, H], 0.1) as tf.Tensor2D, c: tf.fill([3, H], -0.2) as tf.Tensor2D };
    const run = (m: SparseLanguageModel) => {
      const theta = m.lstm.kernel instanceof tf.Variable ? m.lstm.kernel : m.lstm.kernel.theta;
      const { value, grads } = tf.variableGrads(() => tf.tidy(() => {
        const r = m.forward(x, state);
        return tf.addN([tf.sum(tf.square(r.logits)), tf.sum(r.h), tf.sum(r.c)]) as tf.Scalar;
      }), [theta]);
      const fwd = m.forward(x, state);
      m.eval();
      const ev = m.forward(x, state);
      m.train();
      const out = { loss: values(value), logits: values(fwd.logits), h: values(fwd.h), c: values(fwd.c),
        g: values(Object.values(grads)[0]), evalLogits: values(ev.logits) };
      tf.dispose([fwd.output, ev.output, ev.h, ev.c]);
      return out;
    };
    const ra = run(a), rb = run(b);
    assertClose(rb.loss, ra.loss, 1e-4 * Math.abs(ra.loss[0]), `${preset} loss`);
    assertClose(rb.logits, ra.logits, 1e-4, `${preset} logits`);
    assertClose(rb.evalLogits, ra.evalLogits, 1e-4, `${preset} eval logits`);
    assertClose(rb.h, ra.h, 1e-5, `${preset} h`);
    assertClose(rb.c, ra.c, 1e-5, `${preset} c`);
    assertClose(rb.g, ra.g, 1e-3 * Math.max(1, ...ra.g.map(Math.abs)), `${preset} d/dW_x`);
    tf.dispose([x, state.h, state.c]);
    a.dispose();
    b.dispose();
  }
});

test('kl() sums the LSTM and output KL; the dense preset has none', () => {
  const dense = new SparseLanguageModel(V, H, 'dense', { level: 'char', seed: 2 });
  assert.equal(values(dense.kl())[0], 0);
  dense.dispose();
  const model = new SparseLanguageModel(V, H, 'w+g+n', { level: 'char', seed: 2 });
  const expected = values(model.lstm.kl())[0] + values((model.output as { kl(): tf.Scalar }).kl())[0];
  assertClose(values(model.kl()), [expected], 1e-3, 'kl');
  model.dispose();
});

test('compression and kept structure of a hand-built LCIL model follow §3.3 (one-hot: word kept = input kept)', () => {
  const model = new SparseLanguageModel(3, 1, 'sparsevd-voc', { level: 'char', seed: 4 });
  const kx = model.lstm.kernel as SparseVD, kh = model.lstm.recurrentKernel as SparseVD;
  const out = (model.output as { weight: SparseVD }).weight;
  // everything pruned (log sigma 5: log alpha clips to 8 >= 3) except the listed elements (theta 1, log sigma -3)
  const set = (p: SparseVD, rows: number, cols: number, kept: [number, number][]) => {
    const logSigma = new Float32Array(rows * cols).fill(5);
    for (const [r, c] of kept) logSigma[r * cols + c] = -3;
    p.theta.assign(tf.ones([rows, cols]));
    p.logSigma.assign(tf.tensor2d(logSigma, [rows, cols]));
  };
  set(kx, 3, 4, [[0, 0], [2, 1]]); // word 0 -> gate i; word 2 -> gate f, but z_x removes word 2
  set(kh, 1, 4, []);
  set(out, 1, 3, [[0, 1]]); // neuron 0 kept by its output row
  asGroupVariable(model.lstm.inputGroups).z.theta.assign(tf.tensor1d([1, 1, 1e-4]));
  model.lstm.bias.assign(tf.tensor1d([0.1, 0.2, 0.3, 0.4]));
  const report = model.compression();
  assert.equal(report.prunableWeights, 12 + 4 + 3);
  assert.equal(report.nonzeroWeights, 2); // W_x (0, 0) and W_out (0, 1); (2, 1) goes with word 2
  assert.equal(report.compressionRatio, 19 / 2);
  assert.deepEqual(report.keptWords, { kept: 1, total: 3 });
  assert.deepEqual(report.keptInputs, { kept: 1, total: 3 });
  assert.deepEqual(report.keptHidden, { kept: 1, total: 1 });
  assert.deepEqual(report.keptGates.byGate, { i: 1, f: 1, g: 0, o: 0 });
  const kept = lstmKeptStructure(model.structure(), ['a', 'b', 'c'], model.lstm.bias.dataSync(), 'sigmoid');
  assert.deepEqual(kept.keptWords, ['a']);
  assert.deepEqual(Object.fromEntries(Object.entries(kept.gateStates!).map(([k, v]) => [k, Array.from(v)])), { i: [1], f: [1], g: [0], o: [0] });
  assertClose(kept.constantGateValues!.g, [Math.tanh(0.3)], 1e-6, 'constant g');
  assertClose(kept.constantGateValues!.o, [1 / (1 + Math.exp(-0.4))], 1e-6, 'constant o');
  assert.ok(Number.isNaN(kept.constantGateValues!.i[0]));
  model.dispose();
});

test('a bad preset names the valid ones', () => {
  assert.throws(() => new SparseLanguageModel(V, H, 'LCLCCL', { level: 'char' }), /valid presets: dense \(DCCD\)/);
});
