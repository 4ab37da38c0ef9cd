import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { Adam } from '../../src/engine/optim/adam.js';
import { lstmSequence } from '../../src/engine/ops/lstm_sequence.js';
import { BinaryDropout } from '../../src/nn/binary_dropout.js';
import { BayesianLSTM } from '../../src/nn/bayes/bayesian_lstm.js';
import { SparseTextClassifier } from '../../src/nn/sparse_text_classifier.js';
import { parseClassifierConfig, presetConfig, resolveClassifierSparsity } from '../../src/sparsify/presets.js';
import { sparseSoftmaxCrossEntropy } from '../../src/train/losses.js';
import { randomArray, rng } from '../helpers.js';

test('masks are Bernoulli(1 - p) / (1 - p): values {0, 1/(1-p)}, mean 1, drop fraction p; none in eval mode', () => {
  const dropout = new BinaryDropout(500, 0.3, 7);
  const mask = dropout.apply(40)!;
  assert.deepEqual(mask.shape, [40, 500]);
  const v = Array.from(mask.dataSync());
  const zeros = v.filter((x) => x === 0).length;
  assert.ok(v.every((x) => x === 0 || Math.abs(x - 1 / 0.7) < 1e-6));
  const mean = v.reduce((a, x) => a + x, 0) / v.length;
  assert.ok(Math.abs(mean - 1) < 0.02, `mean ${mean}`);
  assert.ok(Math.abs(zeros / v.length - 0.3) < 0.015, `drop fraction ${zeros / v.length}`);
  mask.dispose();
  dropout.eval();
  assert.equal(dropout.apply(40), null);
  assert.equal(new BinaryDropout(5, 0).apply(3), null);
  assert.throws(() => new BinaryDropout(5, 1), /rate must be in \[0, 1\)/);
});

test('the same seed (or reseedNoise) reproduces the masks', () => {
  const a = new BinaryDropout(50, 0.5, 3), b = new BinaryDropout(50, 0.5, 3);
  assert.deepEqual(a.apply(4)!.dataSync(), b.apply(4)!.dataSync());
  a.reseedNoise(9);
  const first = a.apply(4)!.dataSync();
  a.reseedNoise(9);
  assert.deepEqual(a.apply(4)!.dataSync(), first);
});

test('LSTM dropout: one mask per sequence reused at every step, as the fused op with fixed [B, D] / [B, H] masks', () => {
  const B = 6, T = 5, D = 8, H = 10, rand = rng(2);
  const lstm = new BayesianLSTM(D, H, { weights: 'dense', inputDropout: 0.4, hiddenDropout: 0.4, seed: 3 });
  const x = tf.tensor3d(randomArray(B * T * D, rand), [B, T, D]);
  // Draw the masks the layer will draw, by restarting its noise streams from the same seed.
  lstm.reseedNoise(11);
  const inputMask = lstm.inputDropout!.apply(B)!, hiddenMask = lstm.hiddenDropout!.apply(B)!;
  lstm.reseedNoise(11);
  const out = lstm.apply(x, { returnSequences: true }).output;
  const ref = lstmSequence(x, lstm.kernel as tf.Tensor2D, lstm.recurrentKernel as tf.Tensor2D, lstm.bias as tf.Tensor1D,
    { inputMask, hiddenMask, gateActivation: lstm.gateActivation, returnSequences: true }).output;
  assert.deepEqual(out.dataSync(), ref.dataSync());
  // A dropped hidden unit is 0 at every timestep of its sequence; a kept one is (almost surely) never 0.
  const h = out.arraySync() as number[][][], m = hiddenMask.arraySync() as number[][];
  for (let b = 0; b < B; b++) for (let j = 0; j < H; j++) for (let t = 0; t < T; t++)
    assert.equal(h[b][t][j] === 0, m[b][j] === 0, `sequence ${b} unit ${j} step ${t}`);
  // Eval mode: no masks at all.
  lstm.eval();
  const evalOut = lstm.apply(x, { returnSequences: true }).output;
  const plain = lstmSequence(x, lstm.kernel as tf.Tensor2D, lstm.recurrentKernel as tf.Tensor2D, lstm.bias as tf.Tensor1D,
    { gateActivation: lstm.gateActivation, returnSequences: true }).output;
  assert.deepEqual(evalOut.dataSync(), plain.dataSync());
  tf.dispose([x, inputMask, hiddenMask, out, ref, evalOut, plain]);
});

test('dropout multiplies with the group-variable samples and leaves the other parameters\' init unchanged', () => {
  const without = new BayesianLSTM(4, 3, { weights: 'sparsevd', hiddenGroups: true, seed: 5 });
  const withDropout = new BayesianLSTM(4, 3, { weights: 'sparsevd', hiddenGroups: true, hiddenDropout: 0.5, seed: 5 });
  for (const [name, p] of without.namedParameters()) assert.deepEqual(withDropout.namedParameters().get(name)!.dataSync(), p.dataSync(), name);
  const x = tf.ones([3, 2, 4]) as tf.Tensor3D;
  withDropout.reseedNoise(1);
  const z = withDropout.hiddenGroups!.apply(3), m = withDropout.hiddenDropout!.apply(3)!;
  const product = tf.mul(z, m).dataSync();
  withDropout.reseedNoise(1);
  const out = withDropout.apply(x).h.dataSync();
  for (let i = 0; i < product.length; i++) if (product[i] === 0) assert.ok(out[i] === 0, `unit ${i}: ${out[i]}`);
  assert.ok(product.some((v) => v === 0));
});

test('binary-dropout preset = DCDCCD with p_x = p_h = 0.3; rates can be added to any preset through options', () => {
  const preset = resolveClassifierSparsity('binary-dropout');
  assert.deepEqual(preset, { ...parseClassifierConfig('DCDCCD'), inputDropout: 0.3, hiddenDropout: 0.3 });
  assert.deepEqual(presetConfig('binary-dropout'), preset);
  const model = new SparseTextClassifier(10, 4, 5, 2, 'binary-dropout', { seed: 1 });
  assert.equal(model.lstm.inputDropout?.rate, 0.3);
  assert.equal(model.lstm.hiddenDropout?.rate, 0.3);
  assert.equal(model.kl().dataSync()[0], 0);
  const sparse = new SparseTextClassifier(10, 4, 5, 2, 'sparsevd', { seed: 1, hiddenDropout: 0.2 });
  assert.equal(sparse.lstm.inputDropout, null);
  assert.equal(sparse.lstm.hiddenDropout?.rate, 0.2);
  assert.equal(sparse.sparsity.hiddenDropout, 0.2);
  assert.equal(new SparseTextClassifier(10, 4, 5, 2, 'dense', { seed: 1 }).lstm.hiddenDropout, null);
  assert.throws(() => resolveClassifierSparsity('binary'), /binary-dropout/);
});

test('a few Adam steps with binary dropout lower the loss on a separable toy task', () => {
  const V = 10, T = 4, lengths = [4, 2, 3, 4, 2, 3, 4, 3], labelList = [0, 1, 0, 1, 0, 1, 0, 1];
  const idList: number[] = [];
  lengths.forEach((len, b) => {
    for (let t = 0; t < T; t++) idList.push(t < T - len ? 0 : (labelList[b] === 0 ? 1 : 5) + ((b * 3 + t) % 4));
  });
  const ids = tf.tensor2d(idList, [8, T], 'int32'), lens = tf.tensor1d(lengths, 'int32'), labels = tf.tensor1d(labelList, 'int32');
  const model = new SparseTextClassifier(V, 6, 8, 2, 'binary-dropout', { seed: 4 });
  const evalNll = (): number => {
    model.eval();
    const nll = tf.tidy(() => sparseSoftmaxCrossEntropy(model.logits(ids, lens), labels).dataSync()[0]);
    model.train();
    return nll;
  };
  const before = evalNll();
  const optimizer = new Adam({ learningRate: 0.05 });
  for (let step = 0; step < 25; step++) optimizer.minimize(() => model.objective(ids, lens, labels, 1000), model.parameters()).dispose();
  const after = evalNll();
  assert.ok(after < before / 2, `NLL ${before} -> ${after}`);
  optimizer.dispose();
  model.dispose();
  tf.dispose([ids, lens, labels]);
});
