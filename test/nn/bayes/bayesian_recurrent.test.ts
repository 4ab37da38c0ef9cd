// BayesianLSTM and BayesianGRU share one base; every behaviour is checked on both, against the fused ops run by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../src/engine/tf.js';
import { lstmSequence } from '../../../src/engine/ops/lstm_sequence.js';
import { gruSequence } from '../../../src/engine/ops/gru_sequence.js';
import type { RnnSequenceOptions } from '../../../src/engine/ops/rnn_options.js';
import { BayesianLSTM } from '../../../src/nn/bayes/bayesian_lstm.js';
import { BayesianGRU } from '../../../src/nn/bayes/bayesian_gru.js';
import type { BayesianRecurrentConfig, BayesianSequenceOptions } from '../../../src/nn/bayes/bayesian_recurrent.js';
import { SparseVD } from '../../../src/nn/bayes/sparse_vd.js';
import { rng, randomArray } from '../../helpers.js';
import { assertClose, hostLogAlpha, values } from './bayes_test_utils.js';
import { asGroupVariable } from './sparse_vd_parts.js';

const B = 3, T = 4, D = 3, H = 4;
const ALL_GROUPS = { inputGroups: true, hiddenGroups: true, gateGroups: true };

type Layer = BayesianLSTM | BayesianGRU;
type Masks = Pick<RnnSequenceOptions, 'inputMask' | 'hiddenMask' | 'gateMask'>;

interface Kind {
  name: string;
  gates: number;
  make(config: BayesianRecurrentConfig): Layer;
  /** The plain fused op with the given weights and masks, as the layer should call it. */
  byHand(layer: Layer, x: tf.Tensor3D, kernel: tf.Tensor2D, recurrentKernel: tf.Tensor2D, masks: Masks,
    options: BayesianSequenceOptions): tf.Tensor;
  /** Options the layer passes through unchanged (state, lengths, padding, returnSequences). */
  passthrough(): BayesianSequenceOptions;
}

const state = (seed: number): tf.Tensor2D => tf.tensor2d(randomArray(B * H, rng(seed), -0.5, 0.5), [B, H]);
const common = (): BayesianSequenceOptions =>
  ({ lengths: tf.tensor1d([4, 2, 3], 'int32'), padding: 'left', returnSequences: false, h0: state(90) });

const KINDS: Kind[] = [
  {
    name: 'BayesianLSTM', gates: 4,
    make: (config) => new BayesianLSTM(D, H, config),
    byHand: (layer, x, kernel, recurrentKernel, masks, options) => lstmSequence(x, kernel, recurrentKernel,
      layer.bias as tf.Tensor1D, { ...options, ...masks, gateActivation: layer.gateActivation }).output,
    passthrough: () => ({ ...common(), c0: state(91) }),
  },
  {
    name: 'BayesianGRU', gates: 3,
    make: (config) => new BayesianGRU(D, H, config),
    byHand: (layer, x, kernel, recurrentKernel, masks, options) => gruSequence(x, kernel, recurrentKernel,
      layer.bias as tf.Tensor1D, { ...options, ...masks, gateActivation: layer.gateActivation,
        recurrentBias: (layer as BayesianGRU).recurrentBias as tf.Tensor1D }).output,
    passthrough: common,
  },
];

function input(seed: number): tf.Tensor3D {
  return tf.tensor3d(randomArray(B * T * D, rng(seed)), [B, T, D]);
}

/** Every SparseVD tensor of the layer: its Bayesian kernels and the group variables. */
function bayesTensors(layer: Layer): SparseVD[] {
  const kernels = [layer.kernel, layer.recurrentKernel].filter((k): k is SparseVD => k instanceof SparseVD);
  const groups = [layer.inputGroups, layer.hiddenGroups, layer.gateGroups].flatMap((z) => (z ? [asGroupVariable(z).z] : []));
  return [...kernels, ...groups];
}

/** Spreads theta and log sigma so that some elements have log alpha >= 3 (pruned in eval) and most do not. */
function randomise(layer: Layer, seed: number): void {
  const rand = rng(seed);
  for (const p of bayesTensors(layer)) {
    p.theta.assign(tf.tensor(randomArray(p.theta.size, rand, -1.5, 1.5), p.shape));
    p.logSigma.assign(tf.tensor(randomArray(p.theta.size, rand, -4, 1.5), p.shape));
  }
}

/** theta with the log alpha >= 3 elements zeroed, computed on the host from the spec's definition. */
function hostMasked(p: SparseVD): number[] {
  const theta = p.theta.dataSync(), logSigma = p.logSigma.dataSync();
  return Array.from(theta, (t, i) => (hostLogAlpha(t, logSigma[i]) < 3 ? t : 0));
}

function maxAbsDiff(a: number[], b: number[]): number {
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

function setLogSigma(layer: Layer, value: number): void {
  for (const p of bayesTensors(layer)) p.logSigma.assign(tf.fill(p.shape, value));
}

for (const kind of KINDS) {
  const G = kind.gates * H;

  test(`${kind.name}: eval mode = the fused op with the masked theta and the masked group means`, () => {
    const layer = kind.make({ weights: 'sparsevd', ...ALL_GROUPS, seed: 1 });
    randomise(layer, 2);
    layer.eval();
    const kernel = layer.kernel as SparseVD, recurrent = layer.recurrentKernel as SparseVD;
    const pruned = [kernel, recurrent].flatMap(hostMasked).filter((w) => w === 0).length;
    assert.ok(pruned > 0 && pruned < (D + H) * G / 2, `some but not most weights pruned (${pruned})`);
    const groupMask = (z: SparseVD, n: number): tf.Tensor2D =>
      tf.tensor2d(Array.from({ length: B }, () => hostMasked(z)).flat(), [B, n]);
    const x = input(3);
    const options = kind.passthrough();
    const expected = values(kind.byHand(layer, x,
      tf.tensor2d(hostMasked(kernel), [D, G]), tf.tensor2d(hostMasked(recurrent), [H, G]),
      { inputMask: groupMask(asGroupVariable(layer.inputGroups).z, D), hiddenMask: groupMask(asGroupVariable(layer.hiddenGroups).z, H),
        gateMask: groupMask(asGroupVariable(layer.gateGroups).z, G) }, options));
    const out = layer.apply(x, options);
    assert.deepEqual(out.output.shape, [B, H]);
    assertClose(values(out.output), expected, 1e-6, 'eval output');
    layer.dispose();
  });

  test(`${kind.name}: with log sigma -20 everywhere, train mode matches eval mode`, () => {
    const layer = kind.make({ weights: 'sparsevd', ...ALL_GROUPS, seed: 4 });
    randomise(layer, 5);
    setLogSigma(layer, -20);
    const x = input(6);
    const train = values(layer.apply(x).output);
    const evaluated = values(layer.eval().apply(x).output);
    assertClose(train, evaluated, 1e-5, 'train vs eval');
    layer.dispose();
  });

  test(`${kind.name}: train mode draws one weight sample per call, shared by the sequences; groups per sequence`, () => {
    const xRows = randomArray(2 * T * D, rng(7));
    const x = tf.tensor3d([...xRows.subarray(0, T * D), ...xRows], [B, T, D]); // rows 0 and 1 are identical
    const row = (out: number[], b: number): number[] => out.slice(b * T * H, (b + 1) * T * H);

    const plain = kind.make({ weights: 'sparsevd', seed: 8 });
    const first = values(plain.apply(x).output), second = values(plain.apply(x).output);
    assert.ok(maxAbsDiff(first, second) > 1e-4, 'two calls draw different weights');
    assertClose(row(first, 1), row(first, 0), 1e-6, 'identical rows share the weight sample');

    const grouped = kind.make({ weights: 'sparsevd', hiddenGroups: true, seed: 8 });
    const out = values(grouped.apply(x).output);
    assert.ok(maxAbsDiff(row(out, 0), row(out, 1)) > 1e-4, 'per-sequence group samples differ');
    [plain, grouped].forEach((m) => m.dispose());
  });

  test(`${kind.name}: kl() sums the KL of every Bayesian tensor; dense kernels add none`, () => {
    const layer = kind.make({ weights: 'sparsevd', ...ALL_GROUPS, seed: 9 });
    randomise(layer, 10);
    for (const form of ['molchanov', 'repo'] as const) {
      const parts = bayesTensors(layer).map((p) => values(p.kl(form))[0]);
      assert.equal(parts.length, 5);
      assertClose(values(layer.kl(form)), [parts.reduce((s, v) => s + v, 0)], 1e-3, `kl ${form}`);
    }

    const dense = kind.make({ weights: 'dense', seed: 9 });
    assert.deepEqual(values(dense.kl()), [0]);
    const x = input(11);
    assert.deepEqual(values(dense.apply(x).output), values(dense.apply(x).output), 'dense, no groups: deterministic');
    const denseGrouped = kind.make({ weights: 'dense', gateGroups: true, seed: 9 });
    assertClose(values(denseGrouped.kl()), values(asGroupVariable(denseGrouped.gateGroups).kl()), 1e-6, 'dense + gate groups');
    [layer, dense, denseGrouped].forEach((m) => m.dispose());
  });

  test(`${kind.name}: gradients reach theta, log sigma, the biases and the group variables`, () => {
    const layer = kind.make({ weights: 'sparsevd', ...ALL_GROUPS, seed: 12 });
    const x = input(13);
    const probe = tf.tensor3d(randomArray(B * T * H, rng(14)), [B, T, H]);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x).output, probe)));
    value.dispose();
    const names = [...layer.namedParameters().keys()];
    const expected = ['kernelTheta', 'kernelLogSigma', 'recurrentKernelTheta', 'recurrentKernelLogSigma', 'bias',
      ...['inputGroups', 'hiddenGroups', 'gateGroups'].flatMap((g) => [`${g}.mu`, `${g}.logSigma`])];
    for (const name of expected) assert.ok(names.includes(name), `parameter ${name}`);
    for (const [name, v] of layer.namedParameters()) {
      const g = values(grads[v.name]);
      assert.ok(g.every(Number.isFinite) && g.some((e) => e !== 0), `gradient reaches ${name}`);
    }
    layer.dispose();
  });

  test(`${kind.name}: the same seed reproduces the initial parameters and the noise`, () => {
    const [a, b] = [0, 1].map(() => kind.make({ weights: 'sparsevd', ...ALL_GROUPS, seed: 15 }));
    for (const [name, v] of a.namedParameters()) assert.deepEqual(values(tf.clone(v)), values(tf.clone(b.namedParameters().get(name)!)), name);
    const x = input(16);
    for (let call = 0; call < 2; call++) assert.deepEqual(values(a.apply(x).output), values(b.apply(x).output), `call ${call}`);
    [a, b].forEach((m) => m.dispose());
  });
}
