// Profile of one IMDB-sized sparse training step and its parts (SparseVD KL, sampling, NLL forward+backward, eval):
// `npx tsx bench/sparse_step_profile.ts [preset]`. A quick look, not a benchmark of record (no PyTorch side).
import { tf } from '../src/engine/tf.js';
import { useBestBackend } from '../src/engine/backend.js';
import { Adam } from '../src/engine/optim/adam.js';
import { SparseTextClassifier } from '../src/nn/sparse_text_classifier.js';
import { randomNormal } from '../src/engine/ops/random.js';

await useBestBackend();
const preset = process.argv[2] ?? 'sparsevd';
const model = new SparseTextClassifier(20003, 300, 128, 2, preset, { seed: 1 });
const B = 128, T = 200;
const ids = tf.tensor2d(Int32Array.from({ length: B * T }, (_, i) => (i * 7919) % 20003), [B, T], 'int32');
const lengths = tf.tensor1d(new Int32Array(B).fill(T), 'int32');
const labels = tf.tensor1d(Int32Array.from({ length: B }, (_, i) => i % 2), 'int32');
const opt = new Adam({ learningRate: 5e-4 });
const params = model.parameters();
const time = (name: string, f: () => void, n = 5) => {
  f();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) f();
  console.log(`${name}: ${((performance.now() - t0) / n).toFixed(1)} ms`);
};
time('step', () => { tf.dispose(opt.minimize(() => model.objective(ids, lengths, labels, 21250), params)); });
time('kl fwd', () => { tf.dispose(model.kl()); });
time('kl fwd+bwd', () => { const g = tf.variableGrads(() => model.kl()); tf.dispose([g.value, ...Object.values(g.grads)]); });
time('nll fwd+bwd', () => { const g = tf.variableGrads(() => tf.sum(model.logits(ids, lengths))); tf.dispose([g.value, ...Object.values(g.grads)]); });
time('embed sample', () => { tf.dispose(model.embedding.apply(ids)); });
console.log('tensors', tf.memory().numTensors);
time('randn 6M', () => { tf.dispose(randomNormal([20003, 300])); });
const emb = model.embedding as unknown as { table: { sample(): tf.Tensor } };
time('table sample', () => { tf.dispose(emb.table.sample()); });
time('gather fwd+bwd', () => { const g = tf.variableGrads(() => tf.sum(model.embedding.apply(ids))); tf.dispose([g.value, ...Object.values(g.grads)]); });
model.eval();
time('eval logits', () => { tf.dispose(model.logits(ids, lengths)); });
model.train();
