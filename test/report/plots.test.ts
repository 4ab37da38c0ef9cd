import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compressionSpec, keptStructureSpec, learningCurvesSpec, metricNames } from '../../src/report/plots.js';
import { renderSvg } from '../../src/report/render_svg.js';
import type { GateCounts } from '../../src/sparsify/compression.js';
import type { EpochRecord } from '../../src/train/metrics_record.js';
import { syntheticEpoch } from './synthetic_run.js';

/** A word-LM-like run: perplexity falls from 10^4 to 100, one NaN epoch, GRU gate names. */
function lmEpochs(): EpochRecord[] {
  return [1, 2, 3, 4].map((epoch) => {
    const e = syntheticEpoch(epoch, 4);
    // CompressionReport types byGate with the LSTM gate names; a GRU task's report carries r, z, n.
    const gru = { kept: 6, total: 12, byGate: { r: 2, z: 2, n: 2 } as unknown as GateCounts['byGate'] };
    return {
      ...e,
      validation: { perplexity: epoch === 3 ? NaN : 10 ** (5 - epoch) },
      test: { perplexity: 1.1 * 10 ** (5 - epoch) },
      compression: { ...e.compression, keptGates: gru, constantGates: { ...gru, kept: 1, byGate: { r: 1, z: 0, n: 0 } as unknown as GateCounts['byGate'] } },
    };
  });
}

test('a metric spanning decades gets a log axis; NaN points are left out', async () => {
  const epochs = lmEpochs();
  assert.deepEqual(metricNames(epochs), ['perplexity']);
  const svg = await renderSvg(learningCurvesSpec(epochs));
  assert.ok(svg.startsWith('<svg'));
  assert.ok(svg.includes('perplexity (log)'));
  assert.ok(!svg.includes('NaN'));
  // The accuracy of the synthetic classifier run spans less than a decade: linear axis.
  const linear = await renderSvg(learningCurvesSpec([1, 2, 3].map((e) => syntheticEpoch(e, 3))));
  assert.ok(linear.includes('>accuracy<') && !linear.includes('accuracy (log)'));
});

test('kept-structure panels follow the model\'s gate names (GRU r, z, n)', async () => {
  const svg = await renderSvg(keptStructureSpec(lmEpochs()));
  for (const label of ['gate r', 'gate z', 'gate n', '6 of 12 at the end']) assert.ok(svg.includes(label), `missing ${label}`);
  assert.ok(!svg.includes('gate i'));
});

test('the compression chart draws finite ratios only and says how many were infinite', async () => {
  const epochs = [1, 2, 3].map((e) => syntheticEpoch(e, 3, true));
  const spec = compressionSpec(epochs) as { layer: { data: { values: { value: number }[] } }[] };
  assert.deepEqual(spec.layer[0].data.values.map((p) => p.value), [4, 1000 / 143]);
  const svg = await renderSvg(compressionSpec(epochs));
  assert.ok(svg.includes('1 epoch(s) with every weight pruned (ratio ∞) not drawn'));
  const none = await renderSvg(compressionSpec([syntheticEpoch(1, 3)]));
  assert.ok(!none.includes('not drawn'));
});
