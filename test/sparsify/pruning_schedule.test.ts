import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PruningSchedule, type PruningScheduleConfig } from '../../src/sparsify/pruning_schedule.js';

// t0 = 10, dt = 5, n = 4 (events at 10, 15, 20, 25, 30), s_i = 0.1, s_f = 0.9, then 7 fine-tuning steps
const CONFIG: PruningScheduleConfig = { warmupSteps: 10, pruningEvents: 5, frequency: 5, initialSparsity: 0.1, finalSparsity: 0.9, fineTuneSteps: 7 };

test('the cubic targets at the pruning events, by hand', () => {
  const s = new PruningSchedule(CONFIG);
  assert.equal(s.lastPruningStep, 30);
  assert.equal(s.totalSteps, 38);
  // s_t = 0.9 + (0.1 - 0.9) (1 - (t - 10) / 20)^3
  const expected: [number, number][] = [[10, 0.1], [15, 0.9 - 0.8 * 0.421875], [20, 0.9 - 0.8 * 0.125], [25, 0.9 - 0.8 * 0.015625], [30, 0.9]];
  for (const [t, target] of expected) {
    const step = s.at(t);
    assert.equal(step.phase, 'pruning');
    assert.equal(step.prune, true, `step ${t}`);
    assert.ok(Math.abs(step.targetSparsity - target) < 1e-12, `step ${t}: ${step.targetSparsity} vs ${target}`);
  }
  // between events nothing is pruned and the target is the last event's
  assert.deepEqual(s.at(17), { phase: 'pruning', prune: false, targetSparsity: s.sparsityAt(15), penalty: true, masksFrozen: false });
});

test('phases: warm-up (penalty on, no pruning), pruning, fine-tuning (penalty off, masks frozen)', () => {
  const s = new PruningSchedule(CONFIG);
  assert.deepEqual(s.at(0), { phase: 'warmup', prune: false, targetSparsity: 0, penalty: true, masksFrozen: false });
  assert.equal(s.at(9).phase, 'warmup');
  assert.equal(s.at(10).phase, 'pruning');
  assert.deepEqual(s.at(31), { phase: 'fine-tune', prune: false, targetSparsity: 0.9, penalty: false, masksFrozen: true });
  assert.equal(s.at(1000).phase, 'fine-tune');
  const pruneSteps = Array.from({ length: s.totalSteps }, (_, t) => t).filter((t) => s.at(t).prune);
  assert.deepEqual(pruneSteps, [10, 15, 20, 25, 30]);
  // the targets never decrease
  let last = 0;
  for (let t = 0; t < s.totalSteps; t++) {
    assert.ok(s.at(t).targetSparsity >= last, `step ${t}`);
    last = s.at(t).targetSparsity;
  }
  assert.equal(new PruningSchedule({ ...CONFIG, penaltyWhilePruning: false }).at(12).penalty, false);
  // one event: prunes straight to s_f at t0
  const once = new PruningSchedule({ ...CONFIG, pruningEvents: 1 });
  assert.deepEqual([once.at(10).prune, once.at(10).targetSparsity, once.at(11).phase], [true, 0.9, 'fine-tune']);
  assert.throws(() => s.at(-1), /step must be a non-negative integer, got -1/);
});

test('the state round-trips through JSON, and bad state names the field', () => {
  const s = new PruningSchedule(CONFIG);
  const back = PruningSchedule.fromJSON(JSON.parse(JSON.stringify(s)), 'ckpt.json');
  assert.deepEqual(back.toJSON(), s.toJSON());
  assert.equal(s.toJSON().kind, 'zhu-gupta-cubic');
  for (let t = 0; t < s.totalSteps; t++) assert.deepEqual(back.at(t), s.at(t));
  assert.throws(() => PruningSchedule.fromJSON({ ...s.toJSON(), kind: 'linear' }, 'ckpt.json'), /ckpt\.json: field "kind" is "linear"/);
  assert.throws(() => PruningSchedule.fromJSON({ ...s.toJSON(), frequency: 0 }, 'ckpt.json'), /ckpt\.json: field "frequency" must be an integer >= 1, got 0/);
  assert.throws(() => PruningSchedule.fromJSON({ ...s.toJSON(), finalSparsity: '0.9' }, 'ckpt.json'), /field "finalSparsity" must be a number in \[0, 1\]/);
  assert.throws(() => new PruningSchedule({ ...CONFIG, initialSparsity: 0.95 }), /initialSparsity 0\.95 exceeds finalSparsity 0\.9/);
  assert.throws(() => PruningSchedule.fromJSON(null, 'ckpt.json'), /ckpt\.json: expected an object/);
});
