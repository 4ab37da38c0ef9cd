import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { Adam } from '../../src/engine/optim/adam.js';
import { SparseTextClassifier } from '../../src/nn/sparse_text_classifier.js';
import { SparseVD } from '../../src/nn/bayes/sparse_vd.js';
import { sparseSoftmaxCrossEntropy } from '../../src/train/losses.js';
import { CLASSIFIER_PRESETS, presetConfig, type ClassifierPreset } from '../../src/sparsify/presets.js';
import '../helpers.js';
import { assertClose, hostLogAlpha, values } from './bayes/bayes_test_utils.js';
import { asGroupVariable } from './bayes/sparse_vd_parts.js';

const V = 10, E = 4, H = 5, C = 2, T = 4;
const PRESETS = Object.keys(CLASSIFIER_PRESETS) as ClassifierPreset[];

/** A separable toy task: class 0 sequences use words 1-4, class 1 words 5-8; left-padded with id 0. */
function toyBatch(): { ids: tf.Tensor2D; lengths: tf.Tensor1D; labels: tf.Tensor1D } {
  const lengths = [4, 2, 3, 4, 2, 3, 4, 3], labels = [0, 1, 0, 1, 0, 1, 0, 1];
  const ids: number[] = [];
  lengths.forEach((len, b) => {
    for (let t = 0; t < T; t++) ids.push(t < T - len ? 0 : (labels[b] === 0 ? 1 : 5) + ((b * 3 + t) % 4));
  });
  return { ids: tf.tensor2d(ids, [lengths.length, T], 'int32'), lengths: tf.tensor1d(lengths, 'int32'),
    labels: tf.tensor1d(labels, 'int32') };
}

/** Every (mean, log sigma) pair of the model's Bayesian tensors, found by parameter name. */
function bayesPairs(model: SparseTextClassifier): { name: string; mean: tf.Variable; logSigma: tf.Variable }[] {
  const params = model.namedParameters();
  const out = [];
  for (const [name, logSigma] of params) {
    if (!/[lL]ogSigma$/.test(name)) continue;
    const meanName = [name.replace(/LogSigma$/, 'Theta'), name.replace(/logSigma$/, 'theta'), name.replace(/logSigma$/, 'mu')]
      .find((n) => n !== name && params.has(n));
    assert.ok(meanName, `no mean for ${name}`);
    out.push({ name, mean: params.get(meanName)!, logSigma });
  }
  return out;
}

/** Molchanov KL summed on the host from the spec's constants. */
function hostKl(model: SparseTextClassifier): number {
  let kl = 0;
  for (const { mean, logSigma } of bayesPairs(model)) {
    const m = mean.dataSync(), s = logSigma.dataSync();
    for (let i = 0; i < m.length; i++) {
      const a = hostLogAlpha(m[i], s[i]);
      kl += 0.63576 - 0.63576 / (1 + Math.exp(-(1.8732 + 1.48695 * a))) + 0.5 * Math.log1p(Math.exp(-a));
    }
  }
  return kl;
}

/** Moves every mean away from 0 (|mean| >= 0.5) so that nothing starts pruned. */
function keepEverything(model: SparseTextClassifier): void {
  for (const { mean } of bayesPairs(model)) mean.assign(tf.tidy(() => tf.add(mean, tf.mul(tf.sign(tf.add(mean, 1e-9)), 0.5))));
}

function setElements(v: tf.Variable, indices: number[], value: number): void {
  const data = Float32Array.from(v.dataSync());
  for (const i of indices) data[i] = value;
  v.assign(tf.tensor(data, v.shape));
}

const PRUNED_LOG_SIGMA = 5; // log alpha = 10 - log theta^2 >= 3 for |theta| <= 33

test('each preset has exactly the Bayesian tensors its config names, and kl() sums their KL', () => {
  const expectedPairs: Record<ClassifierPreset, string[]> = {
    'dense': [],
    'sparsevd': ['embedding', 'lstm.kernel', 'lstm.recurrentKernel', 'output'],
    'sparsevd-voc': ['embedding', 'vocabularyGroups', 'lstm.kernel', 'lstm.recurrentKernel', 'output'],
    'w+n': ['embedding', 'vocabularyGroups', 'lstm.kernel', 'lstm.recurrentKernel', 'lstm.inputGroups', 'lstm.hiddenGroups', 'output'],
    'w+g+n': ['embedding', 'vocabularyGroups', 'lstm.kernel', 'lstm.recurrentKernel', 'lstm.inputGroups', 'lstm.hiddenGroups', 'lstm.gateGroups', 'output'],
  };
  for (const preset of PRESETS) {
    const model = new SparseTextClassifier(V, E, H, C, preset, { seed: 1 });
    assert.deepEqual(model.sparsity, presetConfig(preset));
    const owners = bayesPairs(model).map((p) => p.name.replace(/\.?[lL]ogSigma$/, '')).sort();
    assert.deepEqual(owners, [...expectedPairs[preset]].sort(), preset);
    const kl = values(model.kl())[0];
    if (preset === 'dense') assert.equal(kl, 0);
    else assert.ok(Math.abs(kl - hostKl(model)) <= 1e-4 * hostKl(model), `${preset}: kl ${kl} vs host ${hostKl(model)}`);
    assert.equal(model.lstm.gateActivation, 'hardSigmoid');
    model.dispose();
  }
});

test('objective = mean NLL + KL / trainSize, with the repo KL on request', () => {
  const { ids, lengths, labels } = toyBatch();
  const model = new SparseTextClassifier(V, E, H, C, 'w+g+n', { seed: 2 }).eval();
  for (const form of ['molchanov', 'repo'] as const) {
    const nll = values(tf.tidy(() => sparseSoftmaxCrossEntropy(model.logits(ids, lengths), labels)))[0];
    const kl = values(model.kl(form))[0];
    const objective = values(model.objective(ids, lengths, labels, 250, form))[0];
    assert.ok(Math.abs(objective - (nll + kl / 250)) < 1e-4, `${form}: ${objective} vs ${nll} + ${kl} / 250`);
  }
  assert.throws(() => model.objective(ids, lengths, labels, 0), /trainSize/);
  model.dispose();
  tf.dispose([ids, lengths, labels]);
});

test('eval mode is deterministic; train mode samples', () => {
  const { ids, lengths, labels } = toyBatch();
  const model = new SparseTextClassifier(V, E, H, C, 'w+g+n', { seed: 3 });
  const before = tf.memory().numTensors;
  const train1 = values(model.logits(ids, lengths)), train2 = values(model.logits(ids, lengths));
  assert.notDeepEqual(train1, train2);
  model.eval();
  const eval1 = values(model.logits(ids, lengths)), eval2 = values(model.logits(ids, lengths));
  assert.deepEqual(eval1, eval2);
  assert.equal(eval1.length, ids.shape[0] * C);
  assert.equal(tf.memory().numTensors, before, 'logits leaks no tensors');
  model.dispose();
  tf.dispose([ids, lengths, labels]);
});

test('z_voc scales each word\'s embedded row: mu[w] = 2 matches doubling that embedding row', () => {
  const { ids, lengths, labels } = toyBatch();
  const model = new SparseTextClassifier(V, E, H, C, 'sparsevd-voc', { seed: 4 }).eval();
  keepEverything(model);
  const table = (model.embedding.table as SparseVD).theta;
  const original = values(tf.clone(table));
  setElements(asGroupVariable(model.vocabularyGroups).z.theta, [6], 2);
  const scaled = values(model.logits(ids, lengths));
  setElements(asGroupVariable(model.vocabularyGroups).z.theta, [6], 1);
  const row = Float32Array.from(original);
  for (let e = 0; e < E; e++) row[6 * E + e] *= 2;
  table.assign(tf.tensor(row, table.shape));
  assertClose(scaled, values(model.logits(ids, lengths)), 1e-5, 'logits');
  model.dispose();
  tf.dispose([ids, lengths, labels]);
});

test('train mode draws z_voc per sequence: identical sequences differ only through it', () => {
  const ids = tf.tensor2d([0, 3, 6, 3, 0, 3, 6, 3], [2, T], 'int32'), lengths = tf.tensor1d([3, 3], 'int32');
  const model = new SparseTextClassifier(V, E, H, C, 'sparsevd-voc', { seed: 9 });
  for (const { logSigma } of bayesPairs(model)) logSigma.assign(tf.fill(logSigma.shape, -20));
  const spread = (): number => {
    const [a0, a1, b0, b1] = values(model.logits(ids, lengths));
    return Math.max(Math.abs(a0 - b0), Math.abs(a1 - b1));
  };
  assert.ok(spread() < 1e-3, 'without z_voc noise the two rows agree');
  asGroupVariable(model.vocabularyGroups).z.logSigma.assign(tf.fill([V], -1));
  assert.ok(spread() > 1e-3, 'each sequence draws its own z_voc');
  model.dispose();
  tf.dispose([ids, lengths]);
});

test('a few Adam steps on a separable toy task lower the objective and the NLL', () => {
  const { ids, lengths, labels } = toyBatch();
  for (const preset of ['sparsevd', 'w+g+n'] as const) {
    const model = new SparseTextClassifier(V, E, H, C, preset, { seed: 5 });
    const evaluate = (): [number, number] => {
      model.eval();
      const objective = values(model.objective(ids, lengths, labels, 1000));
      const nll = values(tf.tidy(() => sparseSoftmaxCrossEntropy(model.logits(ids, lengths), labels)));
      model.train();
      return [objective[0], nll[0]];
    };
    const [objective0, nll0] = evaluate();
    const optimizer = new Adam({ learningRate: 0.05 });
    for (let step = 0; step < 20; step++) optimizer.minimize(() => model.objective(ids, lengths, labels, 1000), model.parameters()).dispose();
    const [objective1, nll1] = evaluate();
    assert.ok(objective1 < objective0 - 0.1, `${preset}: objective ${objective0} -> ${objective1}`);
    assert.ok(nll1 < nll0 / 2, `${preset}: NLL ${nll0} -> ${nll1}`);
    optimizer.dispose();
    model.dispose();
  }
  tf.dispose([ids, lengths, labels]);
});

test('dense preset: nothing is prunable-by-alpha, compression 1', () => {
  const report = new SparseTextClassifier(V, E, H, C, 'dense', { seed: 6 }).compression();
  assert.equal(report.compressionRatio, 1);
  assert.equal(report.prunableWeights, V * E + 4 * H * (E + H) + H * C);
  assert.equal(report.keptWords.kept, V);
});

test('fresh SparseVD model: only weights with |theta| < e^-4.5 (log alpha = -6 - log theta^2 >= 3) start pruned', () => {
  const model = new SparseTextClassifier(V, E, H, C, 'w+g+n', { seed: 7 });
  const report = model.compression();
  const hostKept = (p: SparseVD): number => {
    const theta = Array.from(p.theta.dataSync()), logSigma = p.logSigma.dataSync();
    return theta.filter((t, i) => hostLogAlpha(t, logSigma[i]) < 3).length;
  };
  // Groups start at mu = 1 (log alpha = -6), so every word, input, neuron and gate is kept.
  assert.deepEqual([report.keptWords.kept, report.keptInputs.kept, report.keptHidden.kept, report.keptGates.kept], [V, E, H, 4 * H]);
  assert.equal(report.perTensor.embedding!.kept, hostKept(model.embedding.table as SparseVD));
  assert.equal(report.perTensor.inputWeights.kept, hostKept(model.lstm.kernel as SparseVD));
  assert.equal(report.perTensor.hiddenWeights.kept, hostKept(model.lstm.recurrentKernel as SparseVD));
  assert.ok(report.compressionRatio >= 1 && report.compressionRatio < 1.5, `${report.compressionRatio}`);
  keepEverything(model);
  assert.equal(model.compression().compressionRatio, 1);
  model.dispose();
});

test('compression counts weights and groups forced to log alpha >= 3 as pruned, with §3.3 propagation', () => {
  const model = new SparseTextClassifier(V, E, H, C, 'w+g+n', { seed: 8 });
  keepEverything(model);
  const total = V * E + 4 * H * (E + H) + H * C;
  const recurrent = model.lstm.recurrentKernel as SparseVD;
  setElements(recurrent.logSigma, [0, 7, 13], PRUNED_LOG_SIGMA);
  let report = model.compression();
  assert.equal(report.perTensor.hiddenWeights.kept, H * 4 * H - 3);
  assert.equal(report.nonzeroWeights, total - 3);
  assert.equal(report.compressionRatio, total / (total - 3));
  setElements(recurrent.logSigma, [0, 7, 13], -3);

  // Hidden neuron j: its 4 gate columns of W_x (4E) and W_h (4H), its W_h row (4H, 4 shared) and its W_out row (C).
  const j = 2;
  setElements(asGroupVariable(model.lstm.hiddenGroups).z.logSigma, [j], PRUNED_LOG_SIGMA);
  report = model.compression();
  assert.equal(report.keptHidden.kept, H - 1);
  assert.equal(report.keptGates.kept, 4 * (H - 1));
  assert.equal(report.nonzeroWeights, total - (4 * E + 8 * H - 4 + C));
  setElements(asGroupVariable(model.lstm.hiddenGroups).z.logSigma, [j], -3);

  // Word v: its embedding row; gate (k = f, j = 1): nothing is removed but the gate becomes constant.
  setElements(asGroupVariable(model.vocabularyGroups).z.logSigma, [4], PRUNED_LOG_SIGMA);
  setElements(asGroupVariable(model.lstm.gateGroups).z.logSigma, [H + 1], PRUNED_LOG_SIGMA);
  report = model.compression();
  assert.equal(report.keptWords.kept, V - 1);
  assert.equal(report.perTensor.embedding!.kept, (V - 1) * E);
  assert.equal(report.keptGates.byGate.f, H - 1);
  assert.equal(report.constantGates.kept, 1);
  model.dispose();
});
