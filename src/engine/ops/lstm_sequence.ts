// lstmSequence: an LSTM over a whole [B, T, D] batch in one op. On the native backend the forward and the backward
// are one addon call each (native/src/lstm.cc); on any other backend it runs the plain tfjs version (lstm_plain.ts).
//
// Semantics (row vectors; gate order i, f, g, o in blocks of H along the 4H axis, as PyTorch):
//   x~_t = x_t * inputMask,  s_t = x~_t W + h_{t-1} U,  a_t = s_t * gateMask + b,
//   i, f, o = act(a) (sigmoid or hard sigmoid), g = tanh(a),  c_t = f c_{t-1} + i g,  h_t = o tanh(c_t) * hiddenMask.
// With lengths, a padded step carries h and c unchanged (its output row repeats the carried h).
// kernel = null: x is the input projection x W itself, [B, T, 4H] (a one-hot LM gathers rows of W instead of
// multiplying by a one-hot x); no inputMask then.
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { tf } from '../tf.js';
import { loadAddon, type NativeAddon } from '../addon.js';
import { isNativeActive } from '../backend.js';
import { f32, i32 } from '../kernels/util.js';
import { lstmSequencePlain } from './lstm_plain.js';
import { savedActivationPool as pool } from './buffer_pool.js';
import { customGradOf, poolOwnedPackedGradient, resolveRnnCall, saveNamed, unpackViews, type RnnCall } from './rnn_common.js';
import type { LstmSequenceResult, RnnSequenceOptions } from './rnn_options.js';

/**
 * Runs an LSTM over x [B, T, D] with kernel [D, 4H], recurrentKernel [H, 4H] and bias [4H]. Returns the output
 * ([B, T, H], or [B, H] without returnSequences) and the final h and c; all three are differentiable w.r.t. x, the
 * weights, h0, c0 and the masks. With kernel null, x is the precomputed input projection [B, T, 4H].
 */
export function lstmSequence(x: tf.Tensor3D, kernel: tf.Tensor2D | null, recurrentKernel: tf.Tensor2D, bias: tf.Tensor1D,
  options: RnnSequenceOptions = {}): LstmSequenceResult {
  const addon = isNativeActive() ? loadAddon() : null;
  if (!addon) return lstmSequencePlain(x, kernel, recurrentKernel, bias, options);
  const call = resolveRnnCall('lstmSequence', 4, x, kernel, recurrentKernel, bias, options, true);
  return lstmSequenceNative(addon, x, kernel, recurrentKernel, bias, options, call);
}

// Differentiable optional inputs, in the order they follow x, kernel, recurrentKernel, bias as customGrad inputs.
const OPTIONAL_INPUTS = ['h0', 'c0', 'inputMask', 'hiddenMask', 'gateMask'] as const;
type OptionalInput = (typeof OPTIONAL_INPUTS)[number];

// Stands in for an absent kernel among the custom gradient's inputs (its gradient is empty too).
let absentKernel: tf.Tensor | null = null;
function absentKernelInput(): tf.Tensor {
  if (!absentKernel || absentKernel.isDisposed) absentKernel = tf.keep(tf.zeros([0]));
  return absentKernel;
}

function lstmSequenceNative(addon: NativeAddon, x: tf.Tensor3D, kernel: tf.Tensor2D | null, recurrentKernel: tf.Tensor2D,
  bias: tf.Tensor1D, options: RnnSequenceOptions, call: RnnCall): LstmSequenceResult {
  const { B, T, D, H, padLeft, returnSequences } = call;
  const hard = call.gateActivation === 'hardSigmoid';
  const G = 4 * H, BH = B * H;
  const present = OPTIONAL_INPUTS.filter((name) => options[name] !== undefined);
  const lengths = options.lengths ?? null;
  // Outside gradient recording nothing is kept for a backward: the internal arrays go straight back to the pool.
  const recording = tf.engine().isTapeOn();

  // The packed result is [h (B*H) | c (B*H) | every step's h (B*T*H, with returnSequences)]: the last part is
  // also the forward's record of h for the backward.
  const fused = customGradOf((inputs, save) => {
    const backend = tf.backend() as MathBackendCPU;
    const [xT, kernelT, recurrentT, biasT] = inputs;
    const optional = (name: OptionalInput): Float32Array | null => {
      const k = present.indexOf(name);
      return k < 0 ? null : f32(backend, inputs[4 + k]);
    };
    const packed = new Float32Array(2 * BH + (returnSequences ? B * T * H : 0));
    // Everything but the packed result is internal and fully overwritten by lstmForward: recycled arrays will do.
    const hs = returnSequences ? packed.subarray(2 * BH) : pool.take(B * T * H);
    const cs = pool.take(B * T * H);
    const gates = pool.take(B * T * G);
    const preMask = options.gateMask ? pool.take(B * T * G) : null;
    addon.lstmForward(f32(backend, xT), kernel ? f32(backend, kernelT) : null, f32(backend, recurrentT), f32(backend, biasT),
      optional('h0'), optional('c0'), optional('inputMask'), optional('hiddenMask'), optional('gateMask'),
      lengths ? i32(backend, lengths) : null, B, T, D, H, hard, padLeft,
      hs, cs, gates, preMask, packed.subarray(0, BH), packed.subarray(BH, 2 * BH));
    const value = tf.tensor1d(packed);
    if (!recording) {
      pool.give(returnSequences ? null : hs, cs, gates, preMask);
      return { value, gradFunc: () => { throw new Error('lstmSequence: no gradient was recorded'); } };
    }
    const restore = saveNamed<string>(save, {
      packed: returnSequences ? value : undefined,
      hs: returnSequences ? undefined : tf.tensor1d(hs),
      cs: tf.tensor1d(cs),
      gates: tf.tensor1d(gates),
      preMask: preMask ? tf.tensor1d(preMask) : undefined,
      lengths: lengths ?? undefined,
      ...Object.fromEntries(inputs.map((t, k) => [`input${k}`, t])),
    });

    const gradFunc = (dPacked: tf.Tensor, savedList: tf.Tensor[]): tf.Tensor[] => {
      const be = tf.backend() as MathBackendCPU;
      const saved = restore(savedList);
      const get = (name: string): Float32Array => f32(be, saved[name] as tf.Tensor);
      const input = (k: number): Float32Array => get(`input${k}`);
      const savedOptional = (name: OptionalInput): Float32Array | null => {
        const k = present.indexOf(name);
        return k < 0 ? null : input(4 + k);
      };
      const dP = f32(be, dPacked);
      const dMask = (name: OptionalInput, size: number) => (present.includes(name) ? new Float32Array(size) : null);
      const dX = new Float32Array(B * T * D), dKernel = kernel ? new Float32Array(D * G) : null, dRecurrent = new Float32Array(H * G);
      const dBias = new Float32Array(G);
      const dh0 = new Float32Array(BH), dc0 = new Float32Array(BH); // also the native side's running dh, dc
      const dMasks = { inputMask: dMask('inputMask', B * D), hiddenMask: dMask('hiddenMask', BH), gateMask: dMask('gateMask', B * G) };
      addon.lstmBackward(input(0), kernel ? input(1) : null, input(2), savedOptional('h0'), savedOptional('c0'),
        savedOptional('inputMask'), savedOptional('hiddenMask'), savedOptional('gateMask'),
        saved.lengths ? i32(be, saved.lengths) : null,
        returnSequences ? get('packed').subarray(2 * BH) : get('hs'), get('cs'), get('gates'),
        saved.preMask ? get('preMask') : null,
        returnSequences ? dP.subarray(2 * BH) : null, dP.subarray(0, BH), dP.subarray(BH, 2 * BH),
        B, T, D, H, hard, padLeft,
        dX, dKernel, dRecurrent, dBias, dh0, dc0, dMasks.inputMask, dMasks.hiddenMask, dMasks.gateMask);
      // the forward's internal arrays (gates now hold dS) and the packed gradient are consumed: recycle them
      pool.give(returnSequences ? null : get('hs'), get('cs'), get('gates'), saved.preMask ? get('preMask') : null, poolOwnedPackedGradient(dP));
      const byName = { x: dX, kernel: dKernel ?? new Float32Array(0), recurrentKernel: dRecurrent, bias: dBias, h0: dh0, c0: dc0, ...dMasks };
      const names = ['x', 'kernel', 'recurrentKernel', 'bias', ...present] as const;
      return names.map((name, k) => tf.tensor(byName[name] as Float32Array, inputs[k].shape));
    };
    return { value, gradFunc };
  });

  const inputs = [x, kernel ?? absentKernelInput(), recurrentKernel, bias, ...present.map((name) => options[name] as tf.Tensor)];
  const packed = fused(...inputs) as tf.Tensor1D;
  const last = { offset: 0, shape: [B, H] };
  const [output, h, c] = unpackViews(packed, [
    returnSequences ? { offset: 2 * BH, shape: [B, T, H] } : last, last, { offset: BH, shape: [B, H] },
  ]);
  packed.dispose(); // the views (and, when recording gradients, the saved copy) keep the storage alive
  return { output, h: h as tf.Tensor2D, c: c as tf.Tensor2D };
}
