import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runDemo } from '../../src/cli/demo.js';

test('the Quick start demo trains a tiny char LM end to end and lowers its validation loss', async () => {
  const opts = { stepsPerEpoch: 15, hidden: 32, batch: 8, seqLen: 16, vocab: 32, learningRate: 1e-2, seed: 3 };
  const log = console.log;
  console.log = () => {};
  try {
    const short = await runDemo({ ...opts, epochs: 1 });
    const longer = await runDemo({ ...opts, epochs: 3 });
    assert.ok(Number.isFinite(short.validBpc) && short.validBpc < Math.log2(32), `bpc ${short.validBpc} not below uniform`);
    assert.ok(longer.validBpc < short.validBpc, `more training should help: ${longer.validBpc} vs ${short.validBpc}`);
    assert.ok(longer.stepsPerSecond > 0);
  } finally {
    console.log = log;
  }
});
