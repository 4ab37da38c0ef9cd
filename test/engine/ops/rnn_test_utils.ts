// Test machinery shared by the fused recurrent op tests (lstm_sequence, gru_sequence): random cases, running an op
// forward and backward on a backend, a float64 reference check with finite differences, and comparisons.
import assert from 'node:assert/strict';
import { tf } from '../../../src/engine/tf.js';
import { getNumThreads, setNumThreads } from '../../../src/engine/threads.js';
import type { GateActivation, RnnSequenceOptions } from '../../../src/engine/ops/rnn_options.js';
import { maxRelError, nativeAvailable, randomArray, rng } from '../../helpers.js';

export const skipNative = !nativeAvailable && 'native addon not built';
export const BACKENDS = nativeAvailable ? (['native', 'cpu'] as const) : (['cpu'] as const);
export type Backend = 'native' | 'cpu';

/** The outputs of a recurrent op a loss can weigh (c: an LSTM's final cell state). */
export type OutputName = 'output' | 'h' | 'c';
/** The loss weights of an output: lossOutput, lossH, lossC. */
export type LossWeight<O extends OutputName> = `loss${Capitalize<O>}`;

/** A test case: shapes, options, the differentiable inputs with the optional ones given, and the loss. */
export interface RnnCase<Param extends string, Optional extends Param, O extends OutputName> {
  B: number; T: number; D: number; H: number;
  act: GateActivation;
  padding: 'left' | 'right';
  returnSequences: boolean;
  lengths?: number[];
  optional: readonly Optional[];
  loss: readonly O[];
  /** Parameters and the loss weights: loss = sum(lossOutput * output) + sum(lossH * h) (+ sum(lossC * c)). */
  data: Record<Param | LossWeight<O>, Float32Array>;
}

/** What the shared machinery needs to know of one op (lstmSequence, gruSequence). */
export interface RnnCell<Param extends string, Optional extends Param, O extends OutputName> {
  /** Gates per unit (4 for an LSTM, 3 for a GRU): kernel, recurrentKernel, bias, gateMask are that many times H wide. */
  gates: number;
  /** The differentiable inputs always given (x, kernel, recurrentKernel, bias). */
  weights: readonly Param[];
  /** The differentiable inputs passed as options, each one an input of some cases. */
  optional: readonly Optional[];
  /** The outputs, in the order the loss adds them. */
  outputs: readonly O[];
  /** Calls the op on the case's inputs (param gives each one) with the case's options. */
  apply(c: RnnCase<Param, Optional, O>, param: (name: Param) => tf.Tensor): Partial<Record<O, tf.Tensor>>;
}

/** The outputs and gradients of one run. */
export type RnnResult<Param extends string, O extends OutputName> = Record<O, Float32Array> & {
  /** The loss from the forward run under the gradient tape (the inference forward gives the outputs). */
  taped: number;
  grads: Partial<Record<Param, Float32Array>>;
};

/** Every gate activation x padding x returnSequences (in that nesting order). */
export const VARIANTS = (['sigmoid', 'hardSigmoid'] as const).flatMap((act) => (['left', 'right'] as const).flatMap((padding) =>
  [true, false].map((returnSequences) => ({ act, padding, returnSequences }))));

/** The case's gate activation, padding, returnSequences and lengths as op options. */
export function sequenceOptions(c: RnnCase<string, string, OutputName>): RnnSequenceOptions {
  return {
    gateActivation: c.act, padding: c.padding, returnSequences: c.returnSequences,
    lengths: c.lengths ? tf.tensor1d(c.lengths, 'int32') : undefined,
  };
}

function lossWeight<O extends OutputName>(output: O): LossWeight<O> {
  return `loss${output[0].toUpperCase()}${output.slice(1)}` as LossWeight<O>;
}

function shapeOf(c: RnnCase<string, string, OutputName>, gates: number, name: string): number[] {
  const { B, T, D, H } = c;
  const G = gates * H;
  const shapes: Record<string, number[]> = {
    x: [B, T, D], kernel: [D, G], recurrentKernel: [H, G], bias: [G], recurrentBias: [G], h0: [B, H], c0: [B, H],
    inputMask: [B, D], hiddenMask: [B, H], gateMask: [B, G], lossOutput: c.returnSequences ? [B, T, H] : [B, H],
    lossH: [B, H], lossC: [B, H],
  };
  if (!(name in shapes)) throw new Error(`no shape for ${name}`);
  return shapes[name];
}

/**
 * Random data for a case, from the seed. Masks look like dropout masks (some exact zeros: constant gates) but with
 * varied scales, so their gradients say something.
 */
export function makeCase<Param extends string, Optional extends Param, O extends OutputName>(
  cell: RnnCell<Param, Optional, O>, seed: number, spec: Omit<RnnCase<Param, Optional, O>, 'data'>): RnnCase<Param, Optional, O> {
  const rand = rng(seed);
  const c = { ...spec, data: {} } as RnnCase<Param, Optional, O>;
  for (const name of [...cell.weights, ...cell.optional, ...cell.outputs.map(lossWeight)]) {
    const n = shapeOf(c, cell.gates, name).reduce((p, d) => p * d, 1);
    const isMask = name.endsWith('Mask');
    const values = isMask ? randomArray(n, rand, 0.5, 1.5).map((v) => (rand() < 0.2 ? 0 : v)) : randomArray(n, rand, -1, 1);
    c.data[name] = name === 'x' ? values.map((v) => 2 * v) : values; // large enough inputs to saturate hard sigmoids
  }
  return c;
}

function lossOf<Param extends string, Optional extends Param, O extends OutputName>(
  cell: RnnCell<Param, Optional, O>, c: RnnCase<Param, Optional, O>, r: Partial<Record<O, tf.Tensor>>): tf.Scalar {
  const terms = cell.outputs.filter((o) => c.loss.includes(o)).map((o) => {
    const weight = lossWeight(o);
    return tf.sum(tf.mul(r[o] as tf.Tensor, tf.tensor(c.data[weight], shapeOf(c, cell.gates, weight))));
  });
  return tf.addN(terms) as tf.Scalar;
}

/** The op on `backend` (native -> the fused native path, cpu -> the plain tfjs path): outputs and gradients. */
export async function runCell<Param extends string, Optional extends Param, O extends OutputName>(
  cell: RnnCell<Param, Optional, O>, backend: Backend, c: RnnCase<Param, Optional, O>,
  gradsOf: readonly Param[] = [...cell.weights, ...c.optional]): Promise<RnnResult<Param, O>> {
  await tf.setBackend(backend);
  let result: RnnResult<Param, O> | undefined;
  // (the host arrays leave through a variable: tf.tidy would walk every element of a returned typed array)
  tf.tidy(() => {
    const call = (...params: tf.Tensor[]) => {
      const p = Object.fromEntries(gradsOf.map((name, k) => [name, params[k]])) as Partial<Record<Param, tf.Tensor>>;
      return cell.apply(c, (name) => p[name] ?? tf.tensor(c.data[name], shapeOf(c, cell.gates, name)));
    };
    const params = gradsOf.map((name) => tf.tensor(c.data[name], shapeOf(c, cell.gates, name)));
    const r = call(...params);
    const { value, grads } = tf.valueAndGrads((...ps: tf.Tensor[]) => lossOf(cell, c, call(...ps)))(params);
    const host = (t: tf.Tensor) => Float32Array.from(t.dataSync());
    result = {
      ...Object.fromEntries(cell.outputs.map((o) => [o, host(r[o] as tf.Tensor)])) as Record<O, Float32Array>,
      taped: value.dataSync()[0],
      grads: Object.fromEntries(gradsOf.map((name, k) => [name, host(grads[k])])) as Partial<Record<Param, Float32Array>>,
    };
  });
  return result as RnnResult<Param, O>;
}

/** c on the native backend with one thread and with two (the thread count in force is restored after). */
export async function runOnOneAndTwoThreads<Param extends string, Optional extends Param, O extends OutputName>(
  cell: RnnCell<Param, Optional, O>, c: RnnCase<Param, Optional, O>): Promise<{ serial: RnnResult<Param, O>; parallel: RnnResult<Param, O> }> {
  const threads = getNumThreads();
  try {
    setNumThreads(1);
    const serial = await runCell(cell, 'native', c);
    setNumThreads(2);
    const parallel = await runCell(cell, 'native', c);
    return { serial, parallel };
  } finally {
    setNumThreads(threads);
  }
}

export function describeCase(c: RnnCase<string, string, OutputName>): string {
  return `${c.act} ${c.padding} seq=${c.returnSequences} lengths=${c.lengths ?? 'all'} with [${c.optional}] loss [${c.loss}]`;
}

export function dot(u: ArrayLike<number>, v: ArrayLike<number>): number {
  return Array.from(u).reduce((s, x, i) => s + x * v[i], 0);
}

/** An independent float64 implementation of the op written from its spec: outputs and the loss of a case. */
export type Reference64<Param extends string, Optional extends Param, O extends OutputName> =
  (c: RnnCase<Param, Optional, O>, p: Record<Param, Float64Array>) => Record<O, Float64Array> & { loss: number };

/** Central differences of loss() w.r.t. every element of values (each perturbed in place, then restored). */
function centralDifferences(values: Float64Array, loss: () => number, eps = 1e-6): Float64Array {
  return values.map((v, i) => {
    values[i] = v + eps;
    const up = loss();
    values[i] = v - eps;
    const down = loss();
    values[i] = v;
    return (up - down) / (2 * eps);
  });
}

/**
 * Runs the op (native when built, and plain) on small cases of every gate activation and padding, without and
 * with all optional inputs, and compares the outputs with reference64 and the gradients with central finite
 * differences of its loss.
 */
export async function expectAgreementWithReference64<Param extends string, Optional extends Param, O extends OutputName>(
  cell: RnnCell<Param, Optional, O>, reference64: Reference64<Param, Optional, O>): Promise<void> {
  let k = 0;
  for (const act of ['sigmoid', 'hardSigmoid'] as const) {
    for (const padding of ['left', 'right'] as const) {
      for (const optional of [[], cell.optional]) {
        const c = makeCase(cell, 300 + k, { B: 3, T: 4, D: 3, H: 2, act, padding, returnSequences: k % 2 === 0, lengths: [4, 0, 2], optional, loss: cell.outputs });
        k++;
        const params = Object.fromEntries(Object.entries(c.data).map(([name, v]) => [name, Float64Array.from(v as Float32Array)])) as Record<Param, Float64Array>;
        const ref = reference64(c, params);
        for (const backend of BACKENDS) {
          const r = await runCell(cell, backend, c);
          for (const key of cell.outputs) expectClose(`${backend} ${describeCase(c)}: ${key}`, r[key], ref[key], 1e-5, 1e-6);
          for (const name of [...cell.weights, ...optional]) {
            const fd = centralDifferences(params[name], () => reference64(c, params).loss);
            expectClose(`${backend} ${describeCase(c)}: d${name} vs finite differences`, r.grads[name]!, fd, 1e-4, 1e-5);
          }
        }
      }
    }
  }
}

/** The tensor arguments of a recurrent op, any of which an argument-error test replaces. */
export type OpArgs = { x: tf.Tensor; kernel: tf.Tensor; recurrent: tf.Tensor; bias: tf.Tensor };
export type RnnOp<Options> = (x: tf.Tensor3D, kernel: tf.Tensor2D, recurrentKernel: tf.Tensor2D, bias: tf.Tensor1D,
  options: Options) => unknown;

/**
 * Argument-error tests, on each backend: call(over, options) makes a thunk calling op on zeros of B = 2, T = 3,
 * D = 4, H = 5 (x [2, 3, 4], kernel [4, G], recurrentKernel [5, G], bias [G] with G = gates * 5), any of them
 * replaced by `over`. Checks the errors every recurrent op reports alike, then the op's own with check(call).
 */
export async function expectArgumentErrors<Options extends RnnSequenceOptions>(gates: number, op: RnnOp<Options>,
  check: (call: (over: Partial<OpArgs>, options?: Options) => () => unknown) => void): Promise<void> {
  const G = gates * 5;
  for (const backend of BACKENDS) {
    await tf.setBackend(backend);
    tf.tidy(() => {
      const given: OpArgs = { x: tf.zeros([2, 3, 4]), kernel: tf.zeros([4, G]), recurrent: tf.zeros([5, G]), bias: tf.zeros([G]) };
      const call = (over: Partial<OpArgs>, options?: Options) => () => {
        const a = { ...given, ...over };
        return op(a.x as tf.Tensor3D, a.kernel as tf.Tensor2D, a.recurrent as tf.Tensor2D, a.bias as tf.Tensor1D, options ?? ({} as Options));
      };
      const common = (over: Partial<OpArgs>, options?: RnnSequenceOptions) => call(over, options as Options | undefined);
      assert.throws(common({ x: tf.zeros([2, 3]) }), /x must have shape \[B, T, D\] \(rank 3\), got \[2, 3\]/);
      assert.throws(common({}, { h0: tf.zeros([2, 4]) }), /h0 must have shape \[B, H\] = \[2, 5\], got \[2, 4\]/);
      assert.throws(common({}, { inputMask: tf.zeros([2, 5]) }), /inputMask must have shape \[B, D\] = \[2, 4\], got \[2, 5\]/);
      assert.throws(common({}, { hiddenMask: tf.tensor1d([0, 0]) as tf.Tensor as tf.Tensor2D }), /hiddenMask must have shape \[B, H\] = \[2, 5\], got \[2\]/);
      assert.throws(common({}, { lengths: tf.tensor1d([1, 2, 3], 'int32') }), /lengths must have shape \[B\] = \[2\], got \[3\]/);
      assert.throws(common({}, { lengths: tf.tensor1d([1, 4], 'int32') }), /lengths\[1\] = 4 is outside \[0, T = 3\]/);
      check(call);
    });
  }
}

/**
 * The elements of a [B, T, H] array at real steps: t < lengths[b] (right padding), every step without lengths.
 * PyTorch pads the output of a packed sequence with zeros where the ops repeat the carried h.
 */
export function realSteps(a: ArrayLike<number>, T: number, H: number, lengths: number[] | null): number[] {
  return Array.from(a).filter((_, i) => !lengths || Math.floor(i / H) % T < lengths[Math.floor(i / (T * H))]);
}

/** Asserts every element of actual is within atol + rtol * |expected| of expected. */
export function expectClose(what: string, actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number): void {
  const err = maxRelError(actual, expected, rtol, atol);
  assert.ok(err <= 1, `${what}: off by ${err.toFixed(2)}x the tolerance (rtol ${rtol}, atol ${atol})`);
}

/**
 * atol for comparing float32 results of different summation orders: float32 rounding scales with the largest
 * magnitudes a tensor holds (long recurrences with masks above 1 reach gradients in the thousands), so an element
 * far below them can only be expected to match to `rel` times that scale.
 */
export function scaledAtol(expected: ArrayLike<number>, rel = 1e-6): number {
  let max = 1;
  for (let i = 0; i < expected.length; i++) max = Math.max(max, Math.abs(expected[i]));
  return rel * max;
}

/** Row-major transpose of a [rows, cols] matrix (PyTorch's weight_ih [G*H, D] -> kernel [D, G*H]). */
export function transpose(a: ArrayLike<number>, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let q = 0; q < cols; q++) out[q * rows + r] = a[r * cols + q];
  return out;
}
