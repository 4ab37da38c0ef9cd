import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gateHeatmap, gateHeatmapSpec } from '../../src/report/gate_heatmap.js';
import { renderSvg } from '../../src/report/render_svg.js';

// Unit 0 removed, unit 1 has a constant f gate, units 2 and 3 compute every gate, unit 4 removed.
const states = {
  i: Int8Array.from([-1, 1, 1, 1, -1]),
  f: Int8Array.from([-1, 0, 1, 1, -1]),
  g: Int8Array.from([-1, 1, 1, 1, -1]),
  o: Int8Array.from([-1, 1, 1, 1, -1]),
};

test('units are sorted kept first (most computed gates first) and each row is run-length encoded', () => {
  const h = gateHeatmap(states);
  assert.deepEqual(h.gates, ['i', 'f', 'g', 'o']);
  assert.equal(h.units, 5);
  assert.equal(h.keptUnits, 3);
  assert.deepEqual(h.order, [2, 3, 1, 0, 4]);
  assert.deepEqual(h.runs.filter((r) => r.gate === 'f'), [
    { gate: 'f', start: 0, end: 2, state: 'computed' },
    { gate: 'f', start: 2, end: 3, state: 'constant' },
    { gate: 'f', start: 3, end: 5, state: 'removed' },
  ]);
  assert.deepEqual(h.runs.filter((r) => r.gate === 'i').map((r) => [r.start, r.end, r.state]), [[0, 3, 'computed'], [3, 5, 'removed']]);
  // The runs tile every row exactly.
  for (const g of h.gates) assert.equal(h.runs.filter((r) => r.gate === g).reduce((s, r) => s + r.end - r.start, 0), 5);
});

test('GRU gate names work and bad input is rejected', () => {
  const h = gateHeatmap({ r: [1, -1], z: [0, -1], n: [1, -1] });
  assert.deepEqual(h.gates, ['r', 'z', 'n']);
  assert.equal(h.keptUnits, 1);
  assert.throws(() => gateHeatmap({ i: [1, 1], f: [1] }), /gateStates\.f: 1 units, expected 2/);
  assert.throws(() => gateHeatmap({ i: [1, 3] }), /gate state 3/);
});

test('the heatmap renders as SVG with one rect per run, the gate labels and the state legend', async () => {
  const svg = await renderSvg(gateHeatmapSpec(gateHeatmap(states)));
  assert.ok(svg.startsWith('<svg'), svg.slice(0, 40));
  assert.ok(svg.trimEnd().endsWith('</svg>'));
  for (const label of ['Gate states per hidden unit', '3 of 5 units kept', 'computed', 'constant', 'removed', '>i<', '>f<', '>g<', '>o<']) {
    assert.ok(svg.includes(label), `missing ${label}`);
  }
  const marks = svg.match(/<g class="mark-rect role-mark marks"[^>]*>(.*?)<\/g>/s)?.[1] ?? '';
  assert.equal((marks.match(/<path /g) ?? []).length, gateHeatmap(states).runs.length);
});

test('a 1000-unit heatmap stays small and fast', async () => {
  const H = 1000;
  const big = Object.fromEntries(['i', 'f', 'g', 'o'].map((g, k) => [g, Int8Array.from({ length: H }, (_, j) => (j % 3 === 0 ? -1 : (j + k) % 5 === 0 ? 0 : 1))]));
  const t0 = performance.now();
  const svg = await renderSvg(gateHeatmapSpec(gateHeatmap(big)));
  const ms = performance.now() - t0;
  assert.ok(svg.startsWith('<svg'));
  assert.ok(ms < 3000, `took ${ms} ms`);
  assert.ok(svg.length < 200_000, `${svg.length} characters`);
});
