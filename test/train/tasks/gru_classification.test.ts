import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '../../helpers.js';
import { SparseTextClassifier } from '../../../src/nn/sparse_text_classifier.js';
import { ClassificationTask } from '../../../src/train/tasks/classification_task.js';
import { train } from '../../../src/train/trainer.js';
import { SPARSIFICATION_METHODS } from '../../../src/sparsify/sparsification_method.js';
import { TOY_VOCAB, toyDataset } from '../toy_classification.js';
import { H, trainedLikeClassifier } from '../../sparsify/compact_fixtures.js';

test('GRU classifiers train with every method: structure.json holds the r, z, n gate states', async () => {
  for (const method of SPARSIFICATION_METHODS) {
    const model = new SparseTextClassifier(TOY_VOCAB, 4, 3, 2, 'w+g+n', { seed: 4, cell: 'gru', method });
    const task = new ClassificationTask(model, toyDataset(), { batchSize: 16, description: `toy gru ${method}` });
    const out = mkdtempSync(join(tmpdir(), 'parsimony-gru-'));
    const { records } = await train(task, { epochs: 1, learningRate: 1e-2, seed: 3, outDir: out, progress: null });
    assert.ok(Number.isFinite(records[0].trainObjective), method);
    const saved = JSON.parse(readFileSync(join(out, 'structure.json'), 'utf8')) as { gateStates: Record<string, unknown> };
    assert.deepEqual(Object.keys(saved.gateStates), ['r', 'z', 'n'], method);
    model.dispose();
  }
});

test('GRU keptStructure: removed neurons are -1, constant gates are the compact model\'s, with their constants', () => {
  let constants = 0, removed = 0;
  for (const [i, preset] of ['sparsevd', 'w+n', 'w+g+n'].entries()) {
    const model = trainedLikeClassifier(preset, 'gru', 90 + i);
    const task = new ClassificationTask(model, toyDataset(), { batchSize: 16, description: 'toy' });
    const kept = task.keptStructure();
    const structure = model.structure(), compact = model.compact();
    const states = kept.gateStates!;
    let zeros = 0;
    for (const gate of ['r', 'z', 'n']) {
      assert.equal(states[gate].length, H);
      for (let j = 0; j < H; j++) {
        assert.equal(states[gate][j] === -1, !structure.hidden[j], `${preset} ${gate}${j}: removed iff the neuron is`);
        const constant = states[gate][j] === 0;
        if (constant) zeros++;
        assert.equal(Number.isNaN(kept.constantGateValues![gate][j]), !constant, `${preset} ${gate}${j}: a value iff constant`);
      }
    }
    assert.equal(zeros, compact.cell.constantGates.reduce((n, c) => n + c, 0), preset);
    constants += zeros;
    removed += H - compact.summary.hidden.kept;
    compact.dispose();
    model.dispose();
  }
  assert.ok(constants > 0 && removed > 0, `constants ${constants}, removed ${removed}`);
});
