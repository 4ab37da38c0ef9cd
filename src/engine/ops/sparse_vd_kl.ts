// SparseVD's log alpha and the KL(q(w) || log-uniform prior) approximations (spec rnn-sparsification §2.1-2.2).
// sparseVdKl sums the KL of a whole tensor in one native pass (and its gradient in one more) on the native backend;
// the composed tfjs ops below are its plain twin and the elementwise API.
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { tf } from '../tf.js';
import { loadAddon } from '../addon.js';
import { isNativeActive } from '../backend.js';
import { f32 } from '../kernels/util.js';

/** log alpha is clipped to [-LOG_ALPHA_CLIP, LOG_ALPHA_CLIP] everywhere it is used (KL and masks). */
export const LOG_ALPHA_CLIP = 8;
/** Eval mode zeroes (and the compression report drops) elements with log alpha >= this. */
export const PRUNE_LOG_ALPHA = 3;

/** 'molchanov': Molchanov et al. 2017; 'repo': the authors' code (rounded constants, ~0.67 lower), for comparable logged losses. */
export type KlForm = 'molchanov' | 'repo';

/**
 * log alpha = 2 log sigma - log theta^2, clipped to [-8, 8]. The clip is a hard switch: its gradient is zero
 * outside the range. The 1e-16 keeps theta = 0 finite (it clips to 8).
 */
export function logAlpha(theta: tf.Tensor, logSigma: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const logThetaSq = tf.mul(2, tf.log(tf.add(tf.abs(theta), 1e-16)));
    return tf.clipByValue(tf.sub(tf.mul(2, logSigma), logThetaSq), -LOG_ALPHA_CLIP, LOG_ALPHA_CLIP);
  });
}

const K1 = 0.63576, K2 = 1.8732, K3 = 1.48695;

/** KL(a) ~ k1 - k1 sigmoid(k2 + k3 a) + 0.5 log1p(exp(-a)), a = log alpha. */
export function klMolchanov(a: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.add(
    tf.mul(K1, tf.sub(1, tf.sigmoid(tf.add(K2, tf.mul(K3, a))))),
    tf.mul(0.5, tf.softplus(tf.neg(a)))));
}

/** The repo's variant: 0.5 log1p(exp(-a)) - 0.64 sigmoid(1.5 (a + 1.3)) - 0.03. */
export function klRepo(a: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sub(
    tf.mul(0.5, tf.softplus(tf.neg(a))),
    tf.add(tf.mul(0.64, tf.sigmoid(tf.mul(1.5, tf.add(a, 1.3)))), 0.03)));
}

export function klElementwise(a: tf.Tensor, form: KlForm = 'molchanov'): tf.Tensor {
  return form === 'repo' ? klRepo(a) : klMolchanov(a);
}

/** sum over the elements of KL(clip(log alpha(theta, logSigma))): a scalar, differentiable w.r.t. both. */
export function sparseVdKl(theta: tf.Tensor, logSigma: tf.Tensor, form: KlForm = 'molchanov'): tf.Scalar {
  if (theta.shape.join() !== logSigma.shape.join()) throw new Error(`sparseVdKl: theta [${theta.shape}] vs logSigma [${logSigma.shape}]`);
  const addon = isNativeActive() && theta.dtype === 'float32' && logSigma.dtype === 'float32' ? loadAddon() : null;
  if (!addon) return tf.tidy(() => tf.sum(klElementwise(logAlpha(theta, logSigma), form)));
  const code = form === 'repo' ? 1 : 0;
  const fused = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [t, s, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const backend = tf.backend() as MathBackendCPU;
    const value = tf.scalar(addon.sparseVdKl(f32(backend, t), f32(backend, s), code));
    save([t, s]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const be = tf.backend() as MathBackendCPU;
        const [st, ss] = saved;
        const dTheta = new Float32Array(st.size), dLogSigma = new Float32Array(st.size);
        addon.sparseVdKlGrad(f32(be, st), f32(be, ss), code, f32(be, dy)[0], dTheta, dLogSigma);
        return [tf.tensor(dTheta, st.shape), tf.tensor(dLogSigma, ss.shape)];
      },
    };
  });
  return fused(theta, logSigma) as tf.Scalar;
}
