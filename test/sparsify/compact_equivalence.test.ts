import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/engine/tf.js';
import { CLASSIFIER_PRESETS, type ClassifierPreset } from '../../src/sparsify/presets.js';
import { C, fullLogits, maxAbsDiff, randomBatch, trainedLikeClassifier, T } from './compact_fixtures.js';

const PRESETS = Object.keys(CLASSIFIER_PRESETS) as ClassifierPreset[];
const TOLERANCE = 1e-5;

for (const cell of ['lstm', 'gru'] as const) {
  test(`${cell}: compact logits equal the full eval model for every preset (hard sigmoid and sigmoid)`, () => {
    let constants = 0, saturated = 0, prunedHidden = 0, prunedWords = 0;
    PRESETS.forEach((preset, p) => {
      for (const gateActivation of ['hardSigmoid', 'sigmoid'] as const) {
        const model = trainedLikeClassifier(preset, cell, 11 + p, { gateActivation });
        const compact = model.compact();
        const { ids, lengths } = randomBatch(100 + p);
        const diff = maxAbsDiff(compact.logitsArray(ids, lengths, T), fullLogits(model, ids, lengths));
        assert.ok(diff <= TOLERANCE, `${cell} ${preset} ${gateActivation}: max |compact - full| = ${diff}`);
        assert.equal(compact.forwardFor(lengths.length), 'host');
        const fused = compact.withForward('fused');
        const fusedDiff = maxAbsDiff(fused.logitsArray(ids, lengths, T), fullLogits(model, ids, lengths));
        fused.dispose();
        assert.ok(fusedDiff <= TOLERANCE, `${cell} ${preset} ${gateActivation}: max |fused compact - full| = ${fusedDiff}`);
        // the tensor API agrees with the host one
        const viaTensors = tf.tidy(() => compact.logits(tf.tensor2d(ids, [lengths.length, T], 'int32'),
          tf.tensor1d(lengths, 'int32')).dataSync());
        assert.deepEqual(Array.from(viaTensors), Array.from(compact.logitsArray(ids, lengths, T)));
        const s = compact.summary;
        constants += s.constantGates;
        prunedHidden += s.hidden.total - s.hidden.kept;
        prunedWords += s.words.total - s.words.kept;
        const { constantGates, gateConstants } = compact.cell;
        gateConstants.forEach((k, i) => { if (constantGates[i] && (k === 0 || k === 1)) saturated++; });
        if (preset === 'dense') assert.equal(s.hidden.kept, s.hidden.total);
        model.dispose();
      }
    });
    // the fixture really exercises the folding
    assert.ok(constants > 5 && saturated > 0 && prunedHidden > 0 && prunedWords > 0,
      `constant gates ${constants}, kappa in {0, 1}: ${saturated}, pruned neurons ${prunedHidden}, pruned words ${prunedWords}`);
  });

  test(`${cell}: forced dense and forced CSR storage give the same logits`, () => {
    const model = trainedLikeClassifier('w+g+n', cell, 5);
    const dense = model.compact({ format: 'dense' }), csr = model.compact({ format: 'csr' });
    assert.equal(dense.cell.hiddenWeights.format, 'dense');
    assert.equal(csr.cell.hiddenWeights.format, 'csr');
    assert.equal(csr.data.embedding.format, 'csr');
    const { ids, lengths } = randomBatch(7);
    const a = dense.logitsArray(ids, lengths, T), b = csr.logitsArray(ids, lengths, T);
    assert.ok(maxAbsDiff(a, b) <= 1e-6, `dense vs csr: ${maxAbsDiff(a, b)}`);
    assert.equal(a.length, lengths.length * C);
    model.dispose();
  });
}

for (const cell of ['lstm', 'gru'] as const) test(`${cell}: the compact model keeps exactly what classifier.compression() counts`, () => {
  const gateTypes = cell === 'lstm' ? 4 : 3;
  PRESETS.forEach((preset, p) => {
    const model = trainedLikeClassifier(preset, cell, 31 + p);
    const report = model.compression();
    const s = model.compact().summary;
    assert.deepEqual(s.words, report.keptWords, `${preset}: words`);
    assert.deepEqual(s.inputs, report.keptInputs, `${preset}: inputs`);
    assert.deepEqual(s.hidden, report.keptHidden, `${preset}: hidden`);
    assert.deepEqual(s.gates, { kept: report.keptGates.kept, total: report.keptGates.total }, `${preset}: gates`);
    // every §3.3 removed gate of a kept neuron is folded; a few more may be, when all their kept weights fell away
    assert.ok(s.constantGates >= report.constantGates.kept, `${preset}: constant ${s.constantGates} < ${report.constantGates.kept}`);
    assert.equal(s.liveColumns + s.constantGates, gateTypes * s.hidden.kept);
    assert.equal(Object.keys(report.keptGates.byGate).join(''), cell === 'lstm' ? 'ifgo' : 'rzn');
    assert.equal(Object.values(report.keptGates.byGate).reduce((a, b) => a + b, 0), report.keptGates.kept);
    model.dispose();
  });
});

test('any word id works: pruned words share the zero row; out-of-range ids and lengths are refused', () => {
  const model = trainedLikeClassifier('sparsevd-voc', 'lstm', 3);
  const compact = model.compact();
  const kept = new Set(compact.data.keptWords);
  const pruned = Array.from({ length: model.vocabSize }, (_, v) => v).filter((v) => !kept.has(v));
  assert.ok(pruned.length >= 2, 'the fixture prunes words');
  // two sequences that differ only by which pruned word they read give the same logits
  const ids = Int32Array.from([pruned[0], 1, pruned[0], pruned[1], 1, pruned[1]]);
  const out = compact.logitsArray(ids, Int32Array.from([3, 3]), 3);
  assert.deepEqual(Array.from(out.subarray(0, C)), Array.from(out.subarray(C)));
  assert.throws(() => compact.logitsArray(Int32Array.from([0, model.vocabSize]), Int32Array.from([2]), 2), /ids\[0, 1\]/);
  assert.throws(() => compact.logitsArray(Int32Array.from([0, 1]), Int32Array.from([3]), 2), /lengths\[0\]/);
  model.dispose();
});

test('binary dropout is off in eval mode, so a model trained with it compacts to the same logits', () => {
  for (const cell of ['lstm', 'gru'] as const) {
    const model = trainedLikeClassifier('w+n', cell, 41, { inputDropout: 0.3, hiddenDropout: 0.2 });
    const { ids, lengths } = randomBatch(9);
    const diff = maxAbsDiff(model.compact().logitsArray(ids, lengths, T), fullLogits(model, ids, lengths));
    assert.ok(diff <= TOLERANCE, `${cell}: max |compact - full| = ${diff}`);
    model.dispose();
  }
});
