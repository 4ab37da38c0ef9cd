// The report's view of a sparsified LSTM's kept structure (KeptStructure of task.ts) from its §3.3 structure: kept
// vocabulary entries as text and, per gate type, which gates are computed, constant act(b) or removed with their neuron.
import { LSTM_GATES, type LstmStructure } from '../../sparsify/structure.js';
import type { GateActivation } from '../../engine/ops/rnn_options.js';
import type { KeptStructure } from '../task.js';

/**
 * `tokens[v]` is the text of word v, most frequent first (as the frequency-ranked vocabularies); `bias` is the LSTM
 * bias [4H] on the host. Gate k of neuron j: 1 computed, 0 constant act(b^k_j) (tanh for g), -1 neuron removed.
 */
export function lstmKeptStructure(structure: LstmStructure, tokens: readonly string[], bias: ArrayLike<number>,
  gateActivation: GateActivation): KeptStructure {
  const H = structure.shape.hiddenSize;
  if (bias.length !== 4 * H) throw new Error(`lstmKeptStructure: bias has ${bias.length} elements, expected 4H = ${4 * H}`);
  if (tokens.length !== structure.words.length) throw new Error(`lstmKeptStructure: ${tokens.length} tokens for ${structure.words.length} vocabulary entries`);
  const act = gateActivation === 'sigmoid'
    ? (a: number) => 1 / (1 + Math.exp(-a))
    : (a: number) => Math.min(1, Math.max(0, 0.2 * a + 0.5));
  const keptWords: string[] = [];
  structure.words.forEach((kept, v) => { if (kept) keptWords.push(tokens[v]); });
  const gateStates: Record<string, Int8Array> = {};
  const constantGateValues: Record<string, Float32Array> = {};
  LSTM_GATES.forEach((gate, k) => {
    const states = new Int8Array(H), values = new Float32Array(H).fill(NaN);
    for (let j = 0; j < H; j++) {
      const c = k * H + j;
      states[j] = !structure.hidden[j] ? -1 : structure.gates[c] ? 1 : 0;
      if (states[j] === 0) values[j] = gate === 'g' ? Math.tanh(bias[c]) : act(bias[c]);
    }
    gateStates[gate] = states;
    constantGateValues[gate] = values;
  });
  return { keptWords, gateStates, constantGateValues };
}
