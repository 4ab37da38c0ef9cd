// The compact GRU cell. gruSequence (gru_plain.ts) computes, with gate masks m and biases b (input) and b_h
// (recurrent):
//   r = act((x W_r + h U_r) m_r + b_r + b_hr),  z = act((x W_z + h U_z) m_z + b_z + b_hz),
//   n = tanh((x W_n + r (h U_n + b_hn)) m_n + b_n),  h_t = ((1 - z) n + z h_{t-1}) m_h.
// Folding m into the columns of W and U (and into b_hn) leaves the biases of r and z outside: b_r + b_hr, b_z + b_hz.
// Constant gates: a zero r or z column gives kappa = act(b + b_h); a zero n column gives n = tanh(b_n + r b_hn m_n),
// constant (kappa) when r is constant or b_hn m_n = 0, else computed from r without any matrix product. m_h cannot be
// folded into U's rows (z h_{t-1} reads the masked h), so the compact cell keeps it as hiddenScale.
import { accumulateRowTimesMatrix } from './csr.js';
import { gateActivationOf } from './compact_activation.js';
import type { CompactCell } from './compact_model.js';
import type { GateFolding } from './compact_lstm.js';

/** GRU slots: r, z, n in blocks of Hk. `candidateRecurrentBias` [Hk] is b_hn * m_n of the kept neurons. */
export function foldGruGates(bias: ArrayLike<number>, recurrentBias: ArrayLike<number>, hiddenSize: number,
  keptHidden: Int32Array, gateColumns: Int32Array, candidateRecurrentBias: Float32Array,
  activation: CompactCell['gateActivation']): GateFolding {
  const act = gateActivationOf(activation);
  const Hk = keptHidden.length;
  const gateBias = new Float32Array(3 * Hk), constantGates = new Uint8Array(3 * Hk), gateConstants = new Float32Array(3 * Hk);
  for (let j = 0; j < Hk; j++) {
    const h = keptHidden[j];
    for (let k = 0; k < 2; k++) { // r, z: both biases sit outside the gate mask
      const slot = k * Hk + j;
      gateBias[slot] = bias[k * hiddenSize + h] + recurrentBias[k * hiddenSize + h];
      if (gateColumns[slot] < 0) { constantGates[slot] = 1; gateConstants[slot] = act(gateBias[slot]); }
    }
    const sn = 2 * Hk + j;
    gateBias[sn] = bias[2 * hiddenSize + h];
    const rConstant = constantGates[j] === 1;
    if (gateColumns[sn] < 0 && (rConstant || candidateRecurrentBias[j] === 0)) {
      constantGates[sn] = 1;
      const r = rConstant ? gateConstants[j] : 0;
      gateConstants[sn] = Math.tanh(gateBias[sn] + r * candidateRecurrentBias[j]);
    }
  }
  return { gateBias, constantGates, gateConstants };
}

export interface GruWork {
  /** Recurrent projection h U of the live columns. */
  recurrent: Float64Array;
}

export function gruWork(cell: CompactCell): GruWork {
  return { recurrent: new Float64Array(cell.hiddenWeights.cols) };
}

/** As lstmFinalHidden, for the GRU: final h ([Hk], the full model's h of the kept neurons) from h = 0. */
export function gruFinalHidden(cell: CompactCell, projections: Float32Array, rows: Int32Array, start: number, end: number,
  h: Float64Array, work: GruWork): void {
  const Hk = cell.hiddenSize;
  const u = work.recurrent;
  const Gk = u.length;
  const { gateColumns: col, constantGates: isConst, gateConstants: kappa, gateBias: bias } = cell;
  const bhn = cell.candidateRecurrentBias!, scale = cell.hiddenScale!;
  const act = gateActivationOf(cell.gateActivation);
  h.fill(0);
  for (let s = start; s < end; s++) {
    const base = rows[s] * Gk;
    u.fill(0);
    if (s > start) accumulateRowTimesMatrix(h, cell.hiddenWeights, u);
    for (let j = 0; j < Hk; j++) {
      const sr = j, sz = Hk + j, sn = 2 * Hk + j;
      const cr = col[sr], cz = col[sz], cn = col[sn];
      const r = isConst[sr] ? kappa[sr] : act(projections[base + cr] + u[cr] + bias[sr]);
      const z = isConst[sz] ? kappa[sz] : act(projections[base + cz] + u[cz] + bias[sz]);
      let n: number;
      if (isConst[sn]) n = kappa[sn];
      else if (cn < 0) n = Math.tanh(bias[sn] + r * bhn[j]);
      else n = Math.tanh(projections[base + cn] + bias[sn] + r * (u[cn] + bhn[j]));
      h[j] = scale[j] * ((1 - z) * n + z * h[j]);
    }
  }
}
