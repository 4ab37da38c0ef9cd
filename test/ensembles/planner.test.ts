import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defineFamily } from '../../src/ensembles/family.js';
import { vggFamily } from '../../src/ensembles/families/vgg.js';
import { wideResNetFamily } from '../../src/ensembles/families/wide_resnet.js';
import { mlpFamily } from '../../src/ensembles/families/mlp.js';
import { formatMemorySplitTable, memorySplitTable, planMemorySplit } from '../../src/ensembles/planner.js';

const KS = [1, 2, 4, 8, 16, 32, 64];
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

test('WRN-28-10 on CIFAR-100 split into 2..64 members: the spec §1.3 widths and realised totals', () => {
  const wrn = wideResNetFamily({ depth: 28, classes: 100 });
  const budget = wrn.parameterCount(160); // 36,755,940
  const plans = memorySplitTable(wrn, budget, KS);
  assert.deepEqual(plans.map((p) => p.width), [160, 113, 80, 56, 40, 28, 20]);
  assert.deepEqual(plans.map((p) => round3(p.totalParameters / budget)), [1.0, 0.999, 1.003, 0.985, 1.008, 0.992, 1.019]);
  // the abstract's "16 thinner WRNs": 16 x WRN-28 at w = 40 (about WRN-28-2.5), 2.3M each, 37.0M total, +0.8 %
  const sixteen = plans[4];
  assert.equal(sixteen.memberParameters, 2_315_460);
  assert.equal(sixteen.totalParameters, 37_047_360);
  assert.ok(Math.abs(sixteen.relativeError - 291_420 / 36_755_940) < 1e-12, `${sixteen.relativeError}`);
  assert.ok(sixteen.exactWidth > 39.5 && sixteen.exactWidth < 40, `${sixteen.exactWidth}`);
  assert.equal(plans[0].relativeError, 0);
});

test('VGG16 on CIFAR-100 split at the standard budget P(64): the spec §1.3 widths and ratios', () => {
  const vgg = vggFamily({ config: 'vgg16', classes: 100 });
  const budget = vgg.parameterCount(64);
  const plans = memorySplitTable(vgg, budget, KS);
  assert.deepEqual(plans.map((p) => p.width), [64, 45, 32, 23, 16, 11, 8]);
  assert.deepEqual(plans.map((p) => round3(p.totalParameters / budget)), [1.0, 0.99, 1.004, 1.04, 1.012, 0.963, 1.027]);
});

test('the width with the closest total wins; ties go to the smaller width', () => {
  // P(w) = w^2: B/k = 12.5 has root 3.54 (rounds to 4, |16 - 12.5| = 3.5) but 9 is 3.5 away too: tie -> 3
  const square = defineFamily({ name: 'square', widthUnit: 'units', counts: { a: 1, b: 0, c: 0 }, construct: () => { throw new Error('not built'); } });
  const tie = planMemorySplit(square, 25, 2);
  assert.equal(tie.width, 3);
  assert.equal(tie.totalParameters, 18);
  assert.ok(Math.abs(tie.relativeError - -0.28) < 1e-12);
  // B = 30.6: root 5.53; P(5) = 25 is 5.6 away, P(6) = 36 is 5.4 away -> 6
  assert.equal(planMemorySplit(square, 30.6, 1).width, 6);
  // B = 30.1: root 5.49; 25 is 5.1 away, 36 is 5.9 away -> 5
  assert.equal(planMemorySplit(square, 30.1, 1).width, 5);
  // a linear family (a = 0): P(w) = 10 w + 3, B / k = 48 -> w = 4.5 exactly; 43 and 53 tie -> 4
  const linear = defineFamily({ name: 'linear', widthUnit: 'units', counts: { a: 0, b: 10, c: 3 }, construct: () => { throw new Error('not built'); } });
  assert.equal(planMemorySplit(linear, 96, 2).exactWidth, 4.5);
  assert.equal(planMemorySplit(linear, 96, 2).width, 4);
});

test('budgets below the minimum width give the minimum width, flagged, with the (large) error reported', () => {
  const mlp = mlpFamily({ inputSize: 784, depth: 2, classes: 10 });
  const plan = planMemorySplit(mlp, 1000, 4); // 250 per member < P(1) = 807
  assert.equal(plan.width, 1);
  assert.equal(plan.atMinimumWidth, true);
  assert.equal(plan.totalParameters, 4 * 807);
  assert.ok(plan.relativeError > 2);
  const below = planMemorySplit(mlp, 40, 8); // 5 per member < c = 10: no real root
  assert.ok(Number.isNaN(below.exactWidth));
  assert.equal(below.width, 1);
  assert.equal(planMemorySplit(mlp, 100_000, 1).atMinimumWidth, false);
  assert.throws(() => planMemorySplit(mlp, 100, 0), /k \(members\) must be an integer >= 1/);
  assert.throws(() => planMemorySplit(mlp, -5, 1), /budget must be a positive number/);
});

test('the markdown table lists every k with its width and error', () => {
  const md = formatMemorySplitTable(memorySplitTable(wideResNetFamily({ depth: 28, classes: 100 }), 36_755_940, [1, 16]));
  assert.match(md, /\| 16 \| 40 \| 2,315,460 \| 37,047,360 \| 0\.79 % \|/);
  assert.equal(md.split('\n').length, 4);
});
