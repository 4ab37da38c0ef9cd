// One SparseVD weight sample w = theta + exp(log sigma) * eps, fused (one pass forward, one backward) on the native
// backend; the composed tfjs ops elsewhere.
import type { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { tf } from '../tf.js';
import { loadAddon } from '../addon.js';
import { isNativeActive } from '../backend.js';
import { f32 } from '../kernels/util.js';

/** theta + exp(logSigma) * eps, differentiable w.r.t. theta and logSigma (eps is a constant draw). */
export function sparseVdSample(theta: tf.Tensor, logSigma: tf.Tensor, eps: tf.Tensor): tf.Tensor {
  const shape = theta.shape.join();
  if (logSigma.shape.join() !== shape || eps.shape.join() !== shape) {
    throw new Error(`sparseVdSample: theta [${theta.shape}], logSigma [${logSigma.shape}] and eps [${eps.shape}] must match`);
  }
  const addon = isNativeActive() && [theta, logSigma, eps].every((t) => t.dtype === 'float32') ? loadAddon() : null;
  if (!addon) return tf.tidy(() => tf.add(theta, tf.mul(tf.exp(logSigma), eps)));
  const fused = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [t, s, e, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const backend = tf.backend() as MathBackendCPU;
    const out = new Float32Array(t.size), sigmaEps = new Float32Array(t.size);
    addon.sparseVdSample(f32(backend, t), f32(backend, s), f32(backend, e), out, sigmaEps);
    const sigmaEpsT = tf.tensor(sigmaEps, t.shape);
    save([sigmaEpsT]);
    return {
      value: tf.tensor(out, t.shape),
      // d w / d theta = 1, d w / d log sigma = sigma * eps; eps gets no gradient (it is noise)
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => [tf.clone(dy), tf.mul(dy, saved[0]), tf.zerosLike(dy)],
    };
  });
  return fused(theta, logSigma, eps);
}
