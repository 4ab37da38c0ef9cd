import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { resolveRunConfig, buildClassificationTask } from '../../src/cli/classifier_run.js';
import { resolveLanguageModelRunConfig } from '../../src/cli/language_model_run.js';
import { SparseTextClassifier } from '../../src/nn/sparse_text_classifier.js';
import type { ClassificationDataset } from '../../src/data/classification_dataset.js';

test('--kl: molchanov by default, repo accepted, anything else refused naming the field', () => {
  assert.equal(resolveRunConfig({ task: 'spam', preset: 'sparsevd', epochs: 1 }).kl, 'molchanov');
  assert.equal(resolveRunConfig({ task: 'spam', preset: 'sparsevd', epochs: 1, kl: 'repo' }).kl, 'repo');
  assert.equal(resolveLanguageModelRunConfig({ task: 'moby-dick', preset: 'sparsevd', epochs: 1 }).kl, 'molchanov');
  assert.throws(() => resolveRunConfig({ epochs: 1 }, { task: 'spam', preset: 'sparsevd', kl: 'gauss' }, 'f.json'), /kl: expected one of molchanov, repo/);
});

test('--kl repo lowers the classification objective by the repo constant (~0.67 per SparseVD weight / N), same NLL', () => {
  const split = (n: number) => ({ ids: Int32Array.from({ length: n * 4 }, (_, i) => 3 + (i % 7)), lengths: new Int32Array(n).fill(4), count: n, maxLength: 4, labels: Int32Array.from({ length: n }, (_, i) => i % 2) });
  const dataset: ClassificationDataset = { train: split(8), validation: split(4), test: split(4), vocabularySize: 12 };
  const objective = (kl: 'molchanov' | 'repo') => {
    const config = resolveRunConfig({ task: 'spam', preset: 'sparsevd', epochs: 1, batch: 8, kl });
    const model = new SparseTextClassifier(12, 4, 3, 2, 'sparsevd', { seed: 3 });
    model.eval(); // deterministic NLL, so only the KL term differs
    const task = buildClassificationTask(config, { dataset, fullTrain: dataset.train, summary: '' }, model);
    const [batch] = task.trainBatches(1, () => 0.5);
    const value = tf.tidy(() => task.objective(batch).dataSync()[0]);
    const weights = [...model.namedParameters()].filter(([path]) => /[Tt]heta$/.test(path)).reduce((n, [, p]) => n + p.size, 0); // SparseVD means
    batch.dispose();
    model.dispose();
    return { value, weights };
  };
  const m = objective('molchanov'), r = objective('repo');
  // KL - KL_repo is 0.666-0.675 per weight over log alpha in [-8, 8] (spec §2.2); N = 8 documents
  const perWeight = (m.value - r.value) * 8 / m.weights;
  assert.ok(perWeight > 0.66 && perWeight < 0.68, `molchanov - repo = ${perWeight} per weight`);
});
