// The gate heatmap: one row per gate type, one column per hidden unit, colour = computed / constant / removed.
// Units are sorted so kept ones come first (most computed gates first, equal patterns adjacent), and each row is
// drawn as runs of equal state so a 1000-unit model stays a small SVG.
import type { TopLevelSpec } from 'vega-lite';

export const GATE_STATE_NAMES = { 1: 'computed', 0: 'constant', [-1]: 'removed' } as const;
const STATE_COLORS = { computed: '#1f77b4', constant: '#ff7f0e', removed: '#d9d9d9' };

export interface GateRun {
  gate: string;
  /** Column range [start, end) in sorted unit order. */
  start: number;
  end: number;
  state: 'computed' | 'constant' | 'removed';
}

export interface GateHeatmap {
  gates: string[];
  units: number;
  /** Units with at least one gate not removed. */
  keptUnits: number;
  /** Original unit index of each sorted column. */
  order: number[];
  runs: GateRun[];
}

/** Sorts units and run-length encodes each gate row. `gateStates`: 1 computed, 0 constant, -1 removed. */
export function gateHeatmap(gateStates: Record<string, ArrayLike<number>>): GateHeatmap {
  const gates = Object.keys(gateStates);
  const units = gates.length === 0 ? 0 : gateStates[gates[0]].length;
  for (const g of gates) {
    if (gateStates[g].length !== units) throw new Error(`gateStates.${g}: ${gateStates[g].length} units, expected ${units} like gate ${gates[0]}`);
  }
  const pattern = (j: number) => gates.map((g) => gateStates[g][j]);
  const computed = (j: number) => pattern(j).filter((s) => s === 1).length;
  const kept = (j: number) => pattern(j).some((s) => s !== -1);
  const order = Array.from({ length: units }, (_, j) => j).sort((a, b) => {
    const byKept = Number(kept(b)) - Number(kept(a));
    if (byKept !== 0) return byKept;
    const byComputed = computed(b) - computed(a);
    if (byComputed !== 0) return byComputed;
    const pa = pattern(a), pb = pattern(b);
    for (let k = 0; k < gates.length; k++) if (pa[k] !== pb[k]) return pb[k] - pa[k];
    return a - b;
  });
  const runs: GateRun[] = [];
  for (const gate of gates) {
    const row = gateStates[gate];
    let start = 0;
    for (let col = 1; col <= units; col++) {
      if (col === units || row[order[col]] !== row[order[start]]) {
        runs.push({ gate, start, end: col, state: stateName(row[order[start]]) });
        start = col;
      }
    }
  }
  return { gates, units, keptUnits: order.filter(kept).length, order, runs };
}

export function gateHeatmapSpec(heatmap: GateHeatmap): TopLevelSpec {
  const { gates, units, keptUnits } = heatmap;
  const width = Math.min(800, Math.max(240, 6 * units));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: 'Gate states per hidden unit', subtitle: `${keptUnits} of ${units} units kept; columns sorted, kept units first` },
    width,
    height: 28 * gates.length,
    data: { values: heatmap.runs },
    mark: { type: 'rect' },
    encoding: {
      x: { field: 'start', type: 'quantitative', title: 'hidden units (sorted)', scale: { domain: [0, Math.max(1, units)], nice: false, zero: true } },
      x2: { field: 'end' },
      y: { field: 'gate', type: 'nominal', title: 'gate', sort: gates },
      color: {
        field: 'state', type: 'nominal', title: 'state',
        scale: { domain: Object.keys(STATE_COLORS), range: Object.values(STATE_COLORS) },
      },
    },
  };
}

function stateName(state: number): GateRun['state'] {
  const name = GATE_STATE_NAMES[state as 1 | 0 | -1];
  if (name === undefined) throw new Error(`gate state ${state}: expected 1 (computed), 0 (constant) or -1 (removed)`);
  return name;
}
