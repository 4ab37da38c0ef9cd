import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CLASSIFIER_PRESETS, type ClassifierPreset } from '../../src/sparsify/presets.js';
import { fullLogits, maxAbsDiff, randomBatch, trainedLikeClassifier, T } from './compact_fixtures.js';

const PRESETS = Object.keys(CLASSIFIER_PRESETS) as ClassifierPreset[];
const TOLERANCE = 1e-5;

for (const cell of ['lstm', 'gru'] as const) {
  test(`${cell}, method l0: compact logits equal the full eval model for every preset, and keep what compression() counts`, () => {
    let constants = 0, prunedHidden = 0, prunedWords = 0, prunedWeights = 0;
    PRESETS.forEach((preset, p) => {
      for (const gateActivation of ['hardSigmoid', 'sigmoid'] as const) {
        const model = trainedLikeClassifier(preset, cell, 51 + p, { gateActivation, method: 'l0' });
        assert.equal(model.method, 'l0');
        const compact = model.compact();
        const { ids, lengths } = randomBatch(200 + p);
        const full = fullLogits(model, ids, lengths);
        const diff = maxAbsDiff(compact.logitsArray(ids, lengths, T), full);
        assert.ok(diff <= TOLERANCE, `${cell} ${preset} ${gateActivation}: max |compact - full| = ${diff}`);
        const fused = compact.withForward('fused');
        const fusedDiff = maxAbsDiff(fused.logitsArray(ids, lengths, T), full);
        fused.dispose();
        assert.ok(fusedDiff <= TOLERANCE, `${cell} ${preset} ${gateActivation}: max |fused compact - full| = ${fusedDiff}`);
        const report = model.compression(), s = compact.summary;
        assert.deepEqual(s.words, report.keptWords, `${preset}: words`);
        assert.deepEqual(s.hidden, report.keptHidden, `${preset}: hidden`);
        assert.deepEqual(s.gates, { kept: report.keptGates.kept, total: report.keptGates.total }, `${preset}: gates`);
        constants += s.constantGates;
        prunedHidden += s.hidden.total - s.hidden.kept;
        prunedWords += s.words.total - s.words.kept;
        if (preset !== 'dense') prunedWeights += report.prunableWeights - report.nonzeroWeights;
        if (preset === 'dense') assert.equal(report.nonzeroWeights, report.prunableWeights);
        model.dispose();
      }
    });
    assert.ok(constants > 5 && prunedHidden > 0 && prunedWords > 0 && prunedWeights > 0,
      `constant gates ${constants}, pruned neurons ${prunedHidden}, pruned words ${prunedWords}, pruned weights ${prunedWeights}`);
  });
}
