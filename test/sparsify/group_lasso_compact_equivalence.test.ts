import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MaskedParameter } from '../../src/nn/masked_parameter.js';
import { GROUP_KINDS, groupCount, type GroupKind } from '../../src/sparsify/group_lasso_layout.js';
import { groupMasks } from '../../src/sparsify/group_lasso_pruning.js';
import type { SparseTextClassifier } from '../../src/nn/sparse_text_classifier.js';
import { rng } from '../helpers.js';
import { checkCompactEquivalence } from './compact_fixtures.js';

const TOLERANCE = 1e-5;

/** Prunes about a quarter of the groups of every kind the layout has (words, inputs, neurons, gate columns). */
function pruneRandomGroups(model: SparseTextClassifier, seed: number): void {
  const gl = model.groupLasso!;
  const rand = rng(seed);
  const kept: Partial<Record<GroupKind, Uint8Array>> = {};
  for (const kind of GROUP_KINDS) {
    if (!gl.layout.groups[kind]) continue;
    const k = Uint8Array.from({ length: groupCount(gl.layout.shape, kind) }, () => (rand() < 0.25 ? 0 : 1));
    k[0] = 0; // at least one of each kind
    kept[kind] = k;
  }
  const masks = groupMasks(gl.layout, kept);
  for (const name of ['embedding', 'inputWeights', 'hiddenWeights', 'outputWeights'] as const) {
    const t = gl.tensors[name];
    if (t instanceof MaskedParameter) t.applyMask(masks[name]);
  }
}

for (const cell of ['lstm', 'gru'] as const) {
  test(`${cell}, method group-lasso: compact logits equal the full eval model for every preset, and keep what compression() counts`, () => {
    const t = checkCompactEquivalence(cell, 'group-lasso', 71, TOLERANCE, (model, p) => pruneRandomGroups(model, 300 + p));
    assert.ok(t.constants > 5 && t.prunedHidden > 0 && t.prunedWords > 0 && t.prunedInputs > 0 && t.prunedWeights > 0,
      `constant gates ${t.constants}, pruned neurons ${t.prunedHidden}, words ${t.prunedWords}, inputs ${t.prunedInputs}, weights ${t.prunedWeights}`);
  });
}
