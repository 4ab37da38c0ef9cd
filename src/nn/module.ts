// A minimal nn.Module: named parameters (tf.Variable), child modules, train/eval mode, reseedable noise sources.
import { tf } from '../engine/tf.js';
import type { NoiseSource } from './bayes/noise.js';

export abstract class Module {
  /** Train mode samples noise / masks; eval mode is deterministic. */
  training = true;
  private readonly ownParams = new Map<string, tf.Variable>();
  private readonly children = new Map<string, Module>();

  protected addParameter(name: string, initial: tf.Tensor, trainable = true): tf.Variable {
    if (this.ownParams.has(name)) throw new Error(`parameter "${name}" already exists`);
    const v = tf.variable(initial, trainable);
    initial.dispose();
    this.ownParams.set(name, v);
    return v;
  }

  protected addModule<M extends Module>(name: string, module: M): M {
    if (this.children.has(name)) throw new Error(`submodule "${name}" already exists`);
    this.children.set(name, module);
    return module;
  }

  /**
   * Every noise source of the tree, keyed by dotted path ("lstm.kernel"): a field holding a NoiseSource, or a field
   * holding an object with one as its `noise` (a SparseVD posterior). Found by looking at the fields, so a new
   * Bayesian layer is covered without registering anything.
   */
  namedNoiseSources(prefix = ''): Map<string, NoiseSource> {
    const out = new Map<string, NoiseSource>();
    for (const [k, v] of Object.entries(this)) {
      if (v instanceof Module) continue;
      const source = isNoiseSource(v) ? v : isNoiseSource((v as { noise?: unknown } | null)?.noise) ? (v as { noise: NoiseSource }).noise : null;
      if (source) out.set(prefix + k, source);
    }
    for (const [k, m] of this.children) for (const [pk, ps] of m.namedNoiseSources(`${prefix}${k}.`)) out.set(pk, ps);
    return out;
  }

  /**
   * Restarts every noise source of the tree from a seed derived from `seed` and the source's path, so the draws
   * that follow depend only on `seed` (not on what was drawn before, nor on the order of construction).
   */
  reseedNoise(seed: number): void {
    for (const [path, source] of this.namedNoiseSources()) source.reseed(pathSeed(seed, path));
  }

  /**
   * Called by the trainer before every training step's objective, with the 0-based global step number (epoch
   * after epoch, so a resumed run passes the numbers an uninterrupted one does), for state that depends on where
   * training is (group lasso's pruning schedule turns its penalty on or off). Calls beforeStep(step) on every field
   * that has one and on every child module; a no-op for models without such state.
   */
  beforeStep(step: number): void {
    this.forEachStepHook('beforeStep', step);
    for (const m of this.children.values()) m.beforeStep(step);
  }

  /**
   * Called by the trainer after every optimizer step, with the step number beforeStep had, to restore constraints
   * the update may break (L0's log alpha clamp) and to run scheduled events (group lasso's pruning). Calls
   * afterStep(step) on every field that has one (an L0 gated tensor, a group-lasso regulariser) and on every child
   * module; a module with constraints of its own overrides this and calls super. A no-op for models without
   * constraints. `step` is undefined when called outside the trainer: hooks that need it then do nothing.
   */
  afterStep(step?: number): void {
    this.forEachStepHook('afterStep', step);
    for (const m of this.children.values()) m.afterStep(step);
  }

  /** Calls `hook(step)` on every non-Module field that has it. */
  private forEachStepHook(hook: 'beforeStep' | 'afterStep', step: number | undefined): void {
    for (const v of Object.values(this)) {
      if (v instanceof Module || v === null || typeof v !== 'object') continue;
      const fn = (v as Record<string, unknown>)[hook];
      if (typeof fn === 'function') fn.call(v, step);
    }
  }

  /** All parameters, keyed by dotted path ("rnn.kernel"). */
  namedParameters(prefix = ''): Map<string, tf.Variable> {
    const out = new Map<string, tf.Variable>();
    for (const [k, v] of this.ownParams) out.set(prefix + k, v);
    for (const [k, m] of this.children) for (const [pk, pv] of m.namedParameters(`${prefix}${k}.`)) out.set(pk, pv);
    return out;
  }

  parameters(): tf.Variable[] {
    return [...this.namedParameters().values()];
  }

  /**
   * Number of trainable scalar parameters, as PyTorch's sum of numel over model.parameters(): state registered with
   * trainable = false (BatchNorm running statistics) is a buffer and does not count.
   */
  parameterCount(): number {
    return this.parameters().reduce((n, p) => n + (p.trainable ? p.size : 0), 0);
  }

  train(on = true): this {
    this.training = on;
    for (const m of this.children.values()) m.train(on);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  dispose(): void {
    for (const v of this.ownParams.values()) v.dispose();
    for (const m of this.children.values()) m.dispose();
  }
}

function isNoiseSource(v: unknown): v is NoiseSource {
  return typeof v === 'function' && typeof (v as { reseed?: unknown }).reseed === 'function';
}

/** FNV-1a of the path, mixed with the seed: a 32-bit seed per (seed, path). */
function pathSeed(seed: number, path: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < path.length; i++) h = Math.imul(h ^ path.charCodeAt(i), 0x01000193) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
