// Helpers shared by the fused recurrent sequence ops (lstmSequence, gruSequence): argument checks, which steps of
// a padded batch are real, the hard sigmoid, and the customGrad wiring of the native paths (a fused op returns one
// packed tensor; its parts are differentiable zero-copy views).
import type { GradSaveFunc } from '@tensorflow/tfjs-core';
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { tf } from '../tf.js';
import { f32, sizeOf } from '../kernels/util.js';
import { savedActivationPool } from './buffer_pool.js';
import type { GateActivation, RnnSequenceOptions } from './rnn_options.js';

/** Sizes and resolved defaults of one fused RNN call. */
export interface RnnCall {
  B: number;
  T: number;
  D: number;
  H: number;
  gateActivation: GateActivation;
  padLeft: boolean;
  returnSequences: boolean;
}

function expectFloatTensor(op: string, name: string, t: unknown): asserts t is tf.Tensor {
  if (!(t instanceof tf.Tensor)) throw new TypeError(`${op}: ${name} must be a tf.Tensor`);
  if (t.dtype !== 'float32') throw new TypeError(`${op}: ${name} must be float32, got ${t.dtype}`);
}

function expectShape(op: string, name: string, t: tf.Tensor, symbolic: string, expected: number[]): void {
  const ok = t.shape.length === expected.length && t.shape.every((d, k) => d === expected[k]);
  if (!ok) throw new RangeError(`${op}: ${name} must have shape ${symbolic} = [${expected.join(', ')}], got [${t.shape.join(', ')}]`);
}

/** Checks an op-specific optional float32 argument (e.g. the GRU's recurrentBias) the way resolveRnnCall checks
 * the shared ones. */
export function expectOptionalFloatTensor(op: string, name: string, t: unknown, symbolic: string, expected: number[]): void {
  if (t === undefined) return;
  expectFloatTensor(op, name, t);
  expectShape(op, name, t, symbolic, expected);
}

/**
 * Checks every argument of a fused RNN op (errors name the argument and the expected shape) and resolves the
 * defaults. `gates` is G (4 for LSTM, 3 for GRU); D comes from x, H from recurrentKernel. lengths are read
 * back to check that they lie in [0, T]. A null kernel (lstmSequence) means x is already the input projection.
 */
export function resolveRnnCall(op: string, gates: number, x: tf.Tensor, kernel: tf.Tensor | null, recurrentKernel: tf.Tensor,
  bias: tf.Tensor, options: RnnSequenceOptions, hasCellState: boolean): RnnCall {
  expectFloatTensor(op, 'x', x);
  if (x.rank !== 3) throw new RangeError(`${op}: x must have shape [B, T, D] (rank 3), got [${x.shape.join(', ')}]`);
  const [B, T, D] = x.shape;
  expectFloatTensor(op, 'recurrentKernel', recurrentKernel);
  const H = recurrentKernel.shape[0] ?? 0;
  const G = gates * H;
  const gH = `${gates}H`;
  expectShape(op, 'recurrentKernel', recurrentKernel, `[H, ${gH}]`, [H, G]);
  if (kernel !== null) {
    expectFloatTensor(op, 'kernel', kernel);
    expectShape(op, 'kernel', kernel, `[D, ${gH}]`, [D, G]);
  } else {
    // no kernel: x is the input projection x W itself
    if (D !== G) throw new RangeError(`${op}: without a kernel x must be the input projection [B, T, ${gH}] = [${B}, ${T}, ${G}], got [${x.shape.join(', ')}]`);
    if (options.inputMask !== undefined) throw new TypeError(`${op}: inputMask needs a kernel (without one, x is already projected)`);
  }
  expectFloatTensor(op, 'bias', bias);
  expectShape(op, 'bias', bias, `[${gH}]`, [G]);
  const optional: [keyof RnnSequenceOptions, string, number[]][] = [
    ['h0', '[B, H]', [B, H]], ['c0', '[B, H]', [B, H]], ['inputMask', '[B, D]', [B, D]],
    ['hiddenMask', '[B, H]', [B, H]], ['gateMask', `[B, ${gH}]`, [B, G]],
  ];
  for (const [name, symbolic, shape] of optional) {
    const t = options[name];
    if (t === undefined) continue;
    if (name === 'c0' && !hasCellState) throw new TypeError(`${op}: c0 is only used by cells with a cell state (LSTM)`);
    expectFloatTensor(op, name, t);
    expectShape(op, name, t, symbolic, shape);
  }
  if (options.lengths !== undefined) {
    const lengths = options.lengths;
    if (!(lengths instanceof tf.Tensor) || lengths.dtype !== 'int32') throw new TypeError(`${op}: lengths must be an int32 tf.Tensor`);
    expectShape(op, 'lengths', lengths, '[B]', [B]);
    const values = lengths.dataSync();
    for (let b = 0; b < B; b++) {
      if (!(values[b] >= 0 && values[b] <= T)) throw new RangeError(`${op}: lengths[${b}] = ${values[b]} is outside [0, T = ${T}]`);
    }
  }
  const gateActivation = options.gateActivation ?? 'sigmoid';
  if (gateActivation !== 'sigmoid' && gateActivation !== 'hardSigmoid') {
    throw new RangeError(`${op}: gateActivation must be 'sigmoid' or 'hardSigmoid', got '${String(gateActivation)}'`);
  }
  const padding = options.padding ?? 'right';
  if (padding !== 'left' && padding !== 'right') throw new RangeError(`${op}: padding must be 'left' or 'right', got '${String(padding)}'`);
  return { B, T, D, H, gateActivation, padLeft: padding === 'left', returnSequences: options.returnSequences ?? true };
}

/** bool [B, T]: step t of sequence b is real ('right': t < lengths[b]; 'left': t >= T - lengths[b]). */
export function stepValidity(lengths: tf.Tensor1D, T: number, padLeft: boolean): tf.Tensor2D {
  return tf.tidy(() => {
    const steps = tf.reshape(tf.range(0, T, 1, 'int32'), [1, T]);
    const len = tf.reshape(lengths, [-1, 1]);
    return (padLeft ? tf.greaterEqual(steps, tf.sub(tf.scalar(T, 'int32'), len)) : tf.less(steps, len)) as tf.Tensor2D;
  });
}

/** A customGrad whose function takes the inputs as an array (tf.customGrad passes them spread, then `save`). */
export function customGradOf(f: (inputs: tf.Tensor[], save: GradSaveFunc) => {
  value: tf.Tensor;
  gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[];
}): (...inputs: tf.Tensor[]) => tf.Tensor {
  return tf.customGrad((...args: (tf.Tensor | GradSaveFunc)[]) => f(args.slice(0, -1) as tf.Tensor[], args[args.length - 1] as GradSaveFunc));
}

/** Saves the named tensors (undefined ones are skipped) through `save`; the returned function maps the saved list back. */
export function saveNamed<K extends string>(save: GradSaveFunc, tensors: Partial<Record<K, tf.Tensor>>): (saved: tf.Tensor[]) => Partial<Record<K, tf.Tensor>> {
  const names = (Object.keys(tensors) as K[]).filter((k) => tensors[k] !== undefined);
  save(names.map((k) => tensors[k] as tf.Tensor));
  return (saved) => Object.fromEntries(names.map((k, i) => [k, saved[i]])) as Partial<Record<K, tf.Tensor>>;
}

/** clip(0.2 a + 0.5, 0, 1) with derivative 0.2 strictly inside (0, 1) and 0 elsewhere (also at the corners). */
export const hardSigmoid: (a: tf.Tensor) => tf.Tensor = customGradOf(([a], save) => {
  const y = tf.clipByValue(tf.add(tf.mul(a, 0.2), 0.5), 0, 1);
  save([y]);
  return {
    value: y,
    gradFunc: (dy, [yy]) => tf.mul(dy, tf.mul(tf.cast(tf.logicalAnd(tf.greater(yy, 0), tf.less(yy, 1)), 'float32'), 0.2)),
  };
});

export function gateActivationFn(name: GateActivation): (a: tf.Tensor) => tf.Tensor {
  return name === 'hardSigmoid' ? hardSigmoid : (a) => tf.sigmoid(a);
}

/** A part of a packed 1-D result: sizeOf(shape) elements from `offset`, viewed as `shape`. */
export interface PackedRegion {
  offset: number;
  shape: number[];
}

// Packed gradients that unpackViews' gradient built from savedActivationPool. When the loss reads several views,
// tfjs sums their gradients with an Add kernel instead, whose output the native backend owns and recycles itself:
// handing that array to savedActivationPool too would give one array two owners.
const viewGradients = new WeakSet<Float32Array>();

/** dPacked's array when the fused backward may give it back to savedActivationPool (it came from there), else null. */
export function poolOwnedPackedGradient(dPacked: Float32Array): Float32Array | null {
  return viewGradients.has(dPacked) ? dPacked : null;
}

/**
 * Differentiable views of the packed result of a fused native op (a CPU-storage backend): each view shares the
 * packed storage (no copy); its gradient is a packed-size gradient with dy in the view's region, zeros elsewhere.
 * Regions may overlap (e.g. `output` and `h` when only the last step is returned): their gradients add up.
 * The packed gradient's array comes from savedActivationPool: the op's backward may give it back once read
 * (see poolOwnedPackedGradient).
 */
export function unpackViews(packed: tf.Tensor1D, regions: PackedRegion[]): tf.Tensor[] {
  const total = packed.size;
  return regions.map(({ offset, shape }) => {
    const size = sizeOf(shape);
    const view = customGradOf(([p]) => {
      const backend = tf.backend() as MathBackendCPU;
      return {
        value: tf.tensor(f32(backend, p).subarray(offset, offset + size), shape),
        gradFunc: (dy) => {
          // from the workspace: the fused op's backward, the only reader of this gradient, hands it back
          const full = savedActivationPool.take(total);
          full.fill(0, 0, offset);
          full.set(f32(tf.backend() as MathBackendCPU, dy).subarray(0, size), offset);
          full.fill(0, offset + size);
          viewGradients.add(full);
          return tf.tensor1d(full);
        },
      };
    });
    return view(packed);
  });
}
