// gruSequence: a GRU over a whole [B, T, D] batch in one op. On the native backend the forward and the backward are
// one addon call each (native/src/gru.cc); on any other backend it runs the plain tfjs version (gru_plain.ts).
//
// Semantics (row vectors; gate order r, z, n in blocks of H along the 3H axis, as PyTorch; the reset gate applies
// after the recurrent product, as PyTorch and Keras reset_after=True):
//   x~_t = x_t * inputMask
//   r = act((x~ W^r + h_{t-1} U^r) * m^r + b^r + bh^r),  z = act((x~ W^z + h_{t-1} U^z) * m^z + b^z + bh^z)
//   n = tanh((x~ W^n + r * (h_{t-1} U^n + bh^n)) * m^n + b^n)
//   h_t = ((1 - z) * n + z * h_{t-1}) * hiddenMask
// with m = gateMask (a gate whose mask is 0 is the constant act(bias)) and bh = recurrentBias (default 0).
// With lengths, a padded step carries h unchanged (its output row repeats the carried h).
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { tf } from '../tf.js';
import { loadAddon, type GruCallDims, type NativeAddon } from '../addon.js';
import { isNativeActive } from '../backend.js';
import { f32, i32 } from '../kernels/util.js';
import { savedActivationPool as pool } from './buffer_pool.js';
import { gruSequencePlain, resolveGruCall, type GruSequenceOptions } from './gru_plain.js';
import { customGradOf, saveNamed, unpackViews, type RnnCall } from './rnn_common.js';
import type { GruSequenceResult } from './rnn_options.js';

export type { GruSequenceOptions } from './gru_plain.js';

/**
 * Runs a GRU over x [B, T, D] with kernel [D, 3H], recurrentKernel [H, 3H] and bias [3H] (PyTorch's weight_ih^T,
 * weight_hh^T and b_ih; options.recurrentBias is b_hh). Returns the output ([B, T, H], or [B, H] without
 * returnSequences) and the final h, differentiable w.r.t. x, the weights, both biases, h0 and the masks.
 */
export function gruSequence(x: tf.Tensor3D, kernel: tf.Tensor2D, recurrentKernel: tf.Tensor2D, bias: tf.Tensor1D,
  options: GruSequenceOptions = {}): GruSequenceResult {
  const addon = isNativeActive() ? loadAddon() : null;
  if (!addon) return gruSequencePlain(x, kernel, recurrentKernel, bias, options);
  const call = resolveGruCall(x, kernel, recurrentKernel, bias, options);
  return gruSequenceNative(addon, x, kernel, recurrentKernel, bias, options, call);
}

// Differentiable optional inputs, in the order they follow x, kernel, recurrentKernel, bias as customGrad inputs.
const OPTIONAL_INPUTS = ['recurrentBias', 'h0', 'inputMask', 'hiddenMask', 'gateMask'] as const;
type OptionalInput = (typeof OPTIONAL_INPUTS)[number];
type GradName = OptionalInput | 'x' | 'kernel' | 'recurrentKernel' | 'bias';

function gruSequenceNative(addon: NativeAddon, x: tf.Tensor3D, kernel: tf.Tensor2D, recurrentKernel: tf.Tensor2D,
  bias: tf.Tensor1D, options: GruSequenceOptions, call: RnnCall): GruSequenceResult {
  const { B, T, D, H, returnSequences } = call;
  const G = 3 * H, BH = B * H, BTH = B * T * H;
  const dims: GruCallDims = {
    batch: B, steps: T, inputSize: D, hiddenSize: H,
    hardSigmoid: call.gateActivation === 'hardSigmoid', leftPadding: call.padLeft,
  };
  const present = OPTIONAL_INPUTS.filter((name) => options[name] !== undefined);
  const lengths = options.lengths ? i32(tf.backend() as MathBackendCPU, options.lengths) : null;
  // Without a gradient tape (inference) the forward keeps nothing for a backward.
  const training = tf.engine().isTapeOn();

  // The packed result is [final h (B*H) | every step's h (B*T*H), with returnSequences]: the second part is also
  // the forward's record of h for the backward.
  const fused = customGradOf((inputs, save) => {
    const backend = tf.backend() as MathBackendCPU;
    const optional = (name: OptionalInput): Float32Array | null => {
      const k = present.indexOf(name);
      return k < 0 ? null : f32(backend, inputs[4 + k]);
    };
    const packed = new Float32Array(BH + (returnSequences ? BTH : 0));
    // what only the backward reads comes from the pool (the native forward writes every element it later reads)
    const hs = returnSequences ? packed.subarray(BH) : training ? pool.take(BTH) : null;
    const gates = training ? pool.take(B * T * G) : null;
    const q = training ? pool.take(BTH) : null;
    const preMask = training && options.gateMask ? pool.take(B * T * G) : null;
    addon.gruForward({
      ...dims, x: f32(backend, inputs[0]), kernel: f32(backend, inputs[1]), recurrentKernel: f32(backend, inputs[2]),
      bias: f32(backend, inputs[3]), recurrentBias: optional('recurrentBias'), h0: optional('h0'),
      inputMask: optional('inputMask'), hiddenMask: optional('hiddenMask'), gateMask: optional('gateMask'), lengths,
      hLast: packed.subarray(0, BH), hs, gates, q, preMask,
    });
    const value = tf.tensor1d(packed);
    if (!training) return { value, gradFunc: () => { throw new Error('gruSequence: forward ran without a gradient tape'); } };
    const restore = saveNamed<string>(save, {
      packed: value,
      hs: returnSequences ? undefined : tf.tensor1d(hs as Float32Array),
      gates: tf.tensor1d(gates as Float32Array),
      q: tf.tensor1d(q as Float32Array),
      preMask: preMask ? tf.tensor1d(preMask) : undefined,
      ...Object.fromEntries(inputs.map((t, k) => [`input${k}`, t])),
    });

    const gradFunc = (dPacked: tf.Tensor, savedList: tf.Tensor[]): tf.Tensor[] => {
      const be = tf.backend() as MathBackendCPU;
      const saved = restore(savedList);
      const get = (name: string): Float32Array => f32(be, saved[name] as tf.Tensor);
      const savedOptional = (name: OptionalInput): Float32Array | null => {
        const k = present.indexOf(name);
        return k < 0 ? null : get(`input${4 + k}`);
      };
      const dP = f32(be, dPacked);
      const grads: Record<GradName, Float32Array> = {
        x: new Float32Array(B * T * D), kernel: new Float32Array(D * G), recurrentKernel: new Float32Array(H * G),
        bias: new Float32Array(G), recurrentBias: new Float32Array(G), h0: new Float32Array(BH),
        inputMask: new Float32Array(B * D), hiddenMask: new Float32Array(BH), gateMask: new Float32Array(B * G),
      };
      const ifPresent = (name: OptionalInput): Float32Array | null => (present.includes(name) ? grads[name] : null);
      addon.gruBackward({
        ...dims, dOutput: returnSequences ? dP.subarray(BH) : null, dhLast: dP.subarray(0, BH),
        x: get('input0'), kernel: get('input1'), recurrentKernel: get('input2'), h0: savedOptional('h0'),
        inputMask: savedOptional('inputMask'), hiddenMask: savedOptional('hiddenMask'),
        gateMask: savedOptional('gateMask'), lengths,
        hs: returnSequences ? get('packed').subarray(BH) : get('hs'), gates: get('gates'), q: get('q'),
        preMask: saved.preMask ? get('preMask') : null,
        dx: grads.x, dKernel: grads.kernel, dRecurrentKernel: grads.recurrentKernel, dBias: grads.bias,
        dRecurrentBias: grads.recurrentBias, dh0: grads.h0, dInputMask: ifPresent('inputMask'),
        dHiddenMask: ifPresent('hiddenMask'), dGateMask: ifPresent('gateMask'),
      });
      // done with them: the engine disposes the saved tensors right after this function
      pool.give(get('gates'), get('q'), returnSequences ? null : get('hs'), saved.preMask ? get('preMask') : null);
      const names: GradName[] = ['x', 'kernel', 'recurrentKernel', 'bias', ...present];
      return names.map((name, k) => tf.tensor(grads[name], inputs[k].shape));
    };
    return { value, gradFunc };
  });

  const inputs = [x, kernel, recurrentKernel, bias, ...present.map((name) => options[name] as tf.Tensor)];
  const packed = fused(...inputs) as tf.Tensor1D;
  const last = { offset: 0, shape: [B, H] };
  const [output, h] = unpackViews(packed, [returnSequences ? { offset: BH, shape: [B, T, H] } : last, last]);
  packed.dispose(); // the views (and, when recording gradients, the saved copy) keep the storage alive
  return { output, h: h as tf.Tensor2D };
}
