// Host (double-precision) versions of the fused ops' gate activations, for the compact forward and its kappas.
import type { GateActivation } from '../engine/ops/rnn_options.js';

/** clip(0.2 a + 0.5, 0, 1): exactly 0 for a <= -2.5 and 1 for a >= 2.5, as the native HardSigmoidGate. */
export function hardSigmoid(a: number): number {
  const y = 0.2 * a + 0.5;
  return y < 0 ? 0 : (y > 1 ? 1 : y);
}

export function sigmoid(a: number): number {
  return 1 / (1 + Math.exp(-a));
}

export function gateActivationOf(name: GateActivation): (a: number) => number {
  return name === 'hardSigmoid' ? hardSigmoid : sigmoid;
}
