// The compact LSTM cell (spec §3.4): kept neurons only, constant gates folded into the cell update as
// kappa = act(b) (tanh(b) for g), so that c_t = f c_{t-1} + i g and h_t = o tanh(c_t) read kappa instead of a
// matrix column. Semantics match lstmSequence (lstm_sequence.ts) in eval mode with the group variables folded.
import { accumulateRowTimesMatrix } from './csr.js';
import { gateActivationOf } from './compact_activation.js';
import type { CompactCell } from './compact_model.js';

/** Gate order along the 4H axis. */
const CANDIDATE_GATE = 2;

export interface GateFolding {
  gateBias: Float32Array;
  constantGates: Uint8Array;
  gateConstants: Float32Array;
}

/**
 * Per slot (gate k of kept neuron j): its bias b[k*H + keptHidden[j]] and, when it has no live column, the
 * constant kappa = act(b) (tanh(b) for the candidate g). With the hard sigmoid kappa is exactly 0 or 1 for |b| >= 2.5.
 */
export function foldLstmGates(bias: ArrayLike<number>, hiddenSize: number, keptHidden: Int32Array,
  gateColumns: Int32Array, activation: CompactCell['gateActivation']): GateFolding {
  const act = gateActivationOf(activation);
  const Hk = keptHidden.length;
  const gateBias = new Float32Array(4 * Hk), constantGates = new Uint8Array(4 * Hk), gateConstants = new Float32Array(4 * Hk);
  for (let k = 0; k < 4; k++) {
    for (let j = 0; j < Hk; j++) {
      const slot = k * Hk + j;
      const b = bias[k * hiddenSize + keptHidden[j]];
      gateBias[slot] = b;
      if (gateColumns[slot] >= 0) continue;
      constantGates[slot] = 1;
      gateConstants[slot] = k === CANDIDATE_GATE ? Math.tanh(b) : act(b);
    }
  }
  return { gateBias, constantGates, gateConstants };
}

/** Scratch buffers of one LSTM run, reused across sequences. */
export interface LstmWork {
  c: Float64Array;
  acc: Float64Array;
}

export function lstmWork(cell: CompactCell): LstmWork {
  return { c: new Float64Array(cell.hiddenSize), acc: new Float64Array(cell.hiddenWeights.cols) };
}

/**
 * Runs the cell over the steps whose input projections are rows rows[start..end) of `projections` ([*, Gk], the
 * embedding already multiplied by the input weights) from h = c = 0; leaves the final h in `h` ([Hk]).
 */
export function lstmFinalHidden(cell: CompactCell, projections: Float32Array, rows: Int32Array, start: number, end: number,
  h: Float64Array, work: LstmWork): void {
  const Hk = cell.hiddenSize;
  const { c, acc } = work;
  const Gk = acc.length;
  const { gateColumns: col, constantGates: isConst, gateConstants: kappa, gateBias: bias } = cell;
  const act = gateActivationOf(cell.gateActivation);
  h.fill(0);
  c.fill(0);
  for (let s = start; s < end; s++) {
    const base = rows[s] * Gk;
    for (let q = 0; q < Gk; q++) acc[q] = projections[base + q];
    if (s > start) accumulateRowTimesMatrix(h, cell.hiddenWeights, acc);
    // acc holds every gate's pre-activation from h_{t-1}, so h can be overwritten in place
    for (let j = 0; j < Hk; j++) {
      const si = j, sf = Hk + j, sg = 2 * Hk + j, so = 3 * Hk + j;
      const i = isConst[si] ? kappa[si] : act(acc[col[si]] + bias[si]);
      const f = isConst[sf] ? kappa[sf] : act(acc[col[sf]] + bias[sf]);
      const g = isConst[sg] ? kappa[sg] : Math.tanh(acc[col[sg]] + bias[sg]);
      const o = isConst[so] ? kappa[so] : act(acc[col[so]] + bias[so]);
      const cj = f * c[j] + i * g;
      c[j] = cj;
      h[j] = o * Math.tanh(cj);
    }
  }
}
