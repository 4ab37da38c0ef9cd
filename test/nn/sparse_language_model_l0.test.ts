// SparseLanguageModel with method 'l0' (spec §5 on the LM presets of §3.2): what each preset gates, how often each
// gate is drawn, the gathered-row input path, the penalty by hand, eval determinism and pruned gates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { SparseLanguageModel } from '../../src/nn/sparse_language_model.js';
import { L0Tensor } from '../../src/nn/bayes/l0_tensor.js';
import { L0Dense } from '../../src/nn/bayes/l0_dense.js';
import { L0GroupGate } from '../../src/nn/bayes/l0_group_gate.js';
import type { NoiseSource } from '../../src/nn/bayes/noise.js';
import { HARD_CONCRETE_BETA, HARD_CONCRETE_GAMMA, HARD_CONCRETE_ZETA } from '../../src/nn/bayes/hard_concrete.js';
import { LANGUAGE_MODEL_PRESETS, resolveLanguageModelSparsity, type LanguageModelPreset } from '../../src/sparsify/lm_presets.js';
import '../helpers.js';
import { assertClose, values } from './bayes/bayes_test_utils.js';

const V = 7, H = 5, G = 4 * H;
const PRESETS = Object.keys(LANGUAGE_MODEL_PRESETS) as LanguageModelPreset[];
const ids = (): tf.Tensor2D => tf.tensor2d([[1, 3, 3, 6], [0, 3, 5, 1], [4, 4, 0, 6]], [3, 4], 'int32');
const l0 = (level: 'char' | 'word', preset: string, extra: object = {}) =>
  new SparseLanguageModel(V, H, preset, { level, seed: 3, method: 'l0', l0: { lambda: 0.3 }, ...extra });

/** The model's L0 noise sources by name, each wrapped to record the shapes it is asked for. */
function recordDraws(model: SparseLanguageModel): Map<string, number[][]> {
  const owners: [string, { noise: NoiseSource } | null][] = [
    ['kernel', model.lstm.kernel instanceof L0Tensor ? model.lstm.kernel : null],
    ['recurrentKernel', model.lstm.recurrentKernel instanceof L0Tensor ? model.lstm.recurrentKernel : null],
    ['output', model.output instanceof L0Dense ? model.output.weight : null],
    ['inputGroups', model.lstm.inputGroups as L0GroupGate | null],
    ['hiddenGroups', model.lstm.hiddenGroups as L0GroupGate | null],
    ['gateGroups', model.lstm.gateGroups as L0GroupGate | null],
  ];
  const shapes = new Map<string, number[][]>();
  for (const [name, owner] of owners) {
    if (!owner) continue;
    const inner = owner.noise, seen: number[][] = [];
    shapes.set(name, seen);
    (owner as { noise: NoiseSource }).noise = Object.assign((shape: number[]) => { seen.push(shape); return inner(shape); }, { reseed: inner.reseed });
  }
  return shapes;
}

test('L0 on every LM preset: the preset decides which tensors and groups are gated, the method only how', () => {
  for (const preset of PRESETS) {
    const s = resolveLanguageModelSparsity(preset);
    const model = l0('char', preset);
    assert.equal(model.lstm.kernel instanceof L0Tensor, s.lstmWeights === 'sparsevd', `${preset} W_x`);
    assert.equal(model.lstm.recurrentKernel instanceof L0Tensor, s.lstmWeights === 'sparsevd', `${preset} W_h`);
    assert.equal(model.output instanceof L0Dense, s.outputWeights === 'sparsevd', `${preset} output`);
    assert.equal(model.lstm.inputGroups instanceof L0GroupGate, s.inputGroups, `${preset} z_x (vocabulary)`);
    assert.equal(model.lstm.hiddenGroups instanceof L0GroupGate, s.hiddenGroups, `${preset} z_h`);
    assert.equal(model.lstm.gateGroups instanceof L0GroupGate, s.gateGroups, `${preset} z_gate`);
    const names = [...model.namedParameters().keys()];
    assert.ok(!names.some((n) => /logSigma|LogSigma|\.mu$/.test(n)), `${preset}: no SparseVD parameter in ${names}`);
    if (preset === 'w+g+n') {
      assert.deepEqual(names.filter((n) => /[lL]ogAlpha$/.test(n)).sort(), ['lstm.gateGroups.logAlpha', 'lstm.hiddenGroups.logAlpha',
        'lstm.kernelLogAlpha', 'lstm.recurrentKernelLogAlpha', 'output.logAlpha']);
    }
    model.dispose();
  }
});

test('train mode: one weight-gate draw per mini-batch, group gates per sequence; the word LM draws only the W_x rows it uses', () => {
  for (const level of ['char', 'word'] as const) {
    for (const preset of ['sparsevd-voc', 'w+g+n'] as const) {
      const model = l0(level, preset);
      const draws = recordDraws(model);
      const x = ids();
      tf.dispose(Object.values(model.forward(x)));
      const distinct = new Set(x.arraySync().flat()).size; // 7 ids, 6 distinct
      const expected: Record<string, number[][]> = {
        kernel: [level === 'char' ? [V, G] : [distinct, G]], recurrentKernel: [[H, G]], output: [[H, V]],
        ...(preset === 'sparsevd-voc' ? { inputGroups: [[3, V]] } : { hiddenGroups: [[3, H]], gateGroups: [[3, G]] }),
      };
      assert.deepEqual(Object.fromEntries(draws), expected, `${level} ${preset}`);
      x.dispose();
      model.dispose();
    }
  }
});

test('the word LM\'s gathered rows compute the one-hot path\'s function (eval mode, and train mode with decided W_x gates)', () => {
  for (const preset of PRESETS) {
    const [a, b] = (['oneHot', 'gather'] as const).map((inputPath) => l0('word', preset, { inputPath }));
    for (const m of [a, b]) {
      // W_x gates far from 0 either way are 0 or 1 whatever u is, so both paths use the same W_x in train mode.
      if (m.lstm.kernel instanceof L0Tensor) m.lstm.kernel.logAlpha.assign(tf.tidy(() => tf.mul(tf.sign(tf.randomNormal([V, G], 0, 1, 'float32', 9)), 100)));
    }
    const x = ids(), state = { h: tf.fill([3, H], 0.1) as tf.Tensor2D, c: tf.fill([3, H], -0.2) as tf.Tensor2D };
    for (const mode of ['train', 'eval'] as const) {
      const [la, lb] = [a, b].map((m) => { m[mode](); m.reseedNoise(4); const r = m.forward(x, state); tf.dispose([r.output, r.h, r.c]); return values(r.logits); });
      assertClose(lb, la, 1e-4, `${preset} ${mode} logits`);
    }
    tf.dispose([x, state.h, state.c]);
    a.dispose(); b.dispose();
  }
});

test('penalty by hand: P(z != 0)(lambda + theta^2 / 2) per weight, lambda x its weights per group (z_h: W_h row + output row)', () => {
  const v = 3, h = 1, g = 4 * h, lambda = 0.3;
  const model = new SparseLanguageModel(v, h, 'w+g+n', { level: 'char', seed: 4, method: 'l0', l0: { lambda } });
  const pNonzero = (a: number) => 1 / (1 + Math.exp(-(a - HARD_CONCRETE_BETA * Math.log(-HARD_CONCRETE_GAMMA / HARD_CONCRETE_ZETA))));
  const ramp = (n: number, from: number, step: number) => Array.from({ length: n }, (_, i) => from + step * i);
  const kx = model.lstm.kernel as L0Tensor, kh = model.lstm.recurrentKernel as L0Tensor, out = (model.output as L0Dense).weight;
  const zh = model.lstm.hiddenGroups as L0GroupGate, zg = model.lstm.gateGroups as L0GroupGate;
  let expected = 0;
  for (const [t, n] of [[kx, v * g], [kh, h * g], [out, h * v]] as const) {
    const theta = ramp(n, -0.6, 0.1), logAlpha = ramp(n, -2, 0.3);
    t.theta.assign(tf.tensor(theta, t.shape));
    t.logAlpha.assign(tf.tensor(logAlpha, t.shape));
    theta.forEach((w, i) => { expected += pNonzero(logAlpha[i]) * (lambda + 0.5 * w * w); });
  }
  zh.logAlpha.assign(tf.tensor1d([0.4]));
  expected += lambda * (g + v) * pNonzero(0.4);
  const gateAlpha = ramp(g, -1, 0.5);
  zg.logAlpha.assign(tf.tensor1d(gateAlpha));
  expected += lambda * (v + h) * gateAlpha.reduce((s, a) => s + pNonzero(a), 0);
  assertClose(values(model.kl()), [expected], 1e-4 * expected, 'penalty');
  assertClose([pNonzero(0)], [0.83182], 1e-5, 'P(z != 0) at log alpha 0 (spec §5)');
  model.dispose();
});

test('eval mode is deterministic; pruned gates give zero weights, and structure / compression count them', () => {
  const model = l0('char', 'w+g+n');
  const kx = model.lstm.kernel as L0Tensor, out = (model.output as L0Dense).weight;
  // test gate = clip(sigmoid(log alpha) 1.2 - 0.1, 0, 1) is 0 for log alpha <= ln(1/11): prune W_x row 2, output column 0,
  // hidden unit 4 and the forget gate of unit 1.
  const rowTwo = tf.tidy(() => tf.tile(tf.reshape(tf.equal(tf.range(0, V, 1, 'int32'), 2), [V, 1]), [1, G]));
  kx.logAlpha.assign(tf.tidy(() => tf.where(rowTwo, tf.fill([V, G], -5), kx.logAlpha)));
  rowTwo.dispose();
  out.logAlpha.assign(tf.tidy(() => tf.concat([tf.fill([H, 1], -5), tf.slice(out.logAlpha, [0, 1], [H, V - 1])], 1)));
  (model.lstm.hiddenGroups as L0GroupGate).logAlpha.assign(tf.tensor1d([0, 0, 0, 0, -5]));
  (model.lstm.gateGroups as L0GroupGate).logAlpha.assign(tf.tidy(() => tf.mul(tf.reshape(tf.oneHot(tf.tensor1d([H + 1], 'int32'), G), [G]), -5)));
  model.eval();
  const wx = values(kx.evalWeight()), wo = values(out.evalWeight());
  assert.ok(wx.slice(2 * G, 3 * G).every((w) => w === 0) && wx.slice(0, 2 * G).every((w) => w !== 0), 'W_x row 2 pruned, the others kept');
  assert.ok(wo.every((w, i) => (i % V === 0) === (w === 0)), 'output column 0 pruned');
  const x = ids();
  const run = () => { const r = model.forward(x); tf.dispose([r.output, r.h, r.c]); return values(r.logits); };
  assert.deepEqual(run(), run(), 'eval forward is deterministic');
  const hTrace = tf.tidy(() => values(tf.slice(model.forward(x).output, [0, 0, 4], [3, 4, 1])));
  assert.ok(hTrace.every((h) => h === 0), 'a pruned z_h zeroes that unit\'s output');
  const report = model.compression();
  assert.equal(report.keptInputs.kept, V - 1, 'vocabulary entry 2 has no kept W_x weight');
  assert.equal(report.keptHidden.kept, H - 1);
  assert.equal(report.keptGates.kept, G - 4 - 1, 'the pruned unit\'s 4 gates and one forget gate');
  assert.equal(report.constantGates.kept, 1, 'the forget gate of a kept unit is constant');
  assert.equal(report.prunableWeights, V * G + H * G + H * V);
  assert.ok(report.nonzeroWeights < report.prunableWeights - G && report.compressionRatio > 1, JSON.stringify(report));
  x.dispose();
  model.dispose();
});
