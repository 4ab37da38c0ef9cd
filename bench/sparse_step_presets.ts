// Quick profile: NLL forward+backward time per sparsification config on IMDB sizes.
import { tf } from '../src/engine/tf.js';
import { useBestBackend } from '../src/engine/backend.js';
import { SparseTextClassifier } from '../src/nn/sparse_text_classifier.js';
await useBestBackend();
const B = 128, T = 200;
const ids = tf.tensor2d(Int32Array.from({ length: B * T }, (_, i) => (i * 7919) % 20003), [B, T], 'int32');
const lengths = tf.tensor1d(new Int32Array(B).fill(T), 'int32');
for (const cfg of process.argv.slice(2)) {
  const model = new SparseTextClassifier(20003, 300, 128, 2, cfg, { seed: 1 });
  const f = () => { const g = tf.variableGrads(() => tf.sum(model.logits(ids, lengths))); tf.dispose([g.value, ...Object.values(g.grads)]); };
  f();
  const t0 = performance.now();
  for (let i = 0; i < 3; i++) f();
  console.log(`${cfg}: ${((performance.now() - t0) / 3).toFixed(1)} ms`);
  model.dispose();
}
