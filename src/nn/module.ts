// A minimal nn.Module: named parameters (tf.Variable), child modules, train/eval mode.
import { tf } from '../engine/tf.js';

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

  /** Number of scalar parameters. */
  parameterCount(): number {
    return this.parameters().reduce((n, p) => n + p.size, 0);
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
