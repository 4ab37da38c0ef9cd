// Shared machinery of the fused optimizers: pairing variables with gradients, lazily created per-variable slots
// (moments, accumulations), optional global-norm clipping, state export/import, and the choice between one fused
// in-place native call for all variables and plain tf ops (+ assign) on other backends.
import { tf } from '../tf.js';
import { checkMaxNorm, clipScale, globalNorm } from './clip_global_norm.js';
import { activeNativeBackend, allStoredOn, writableValues } from './storage.js';
import { f32 } from '../kernels/util.js';

export type VariableSet = tf.Variable[] | Record<string, tf.Variable>;
export type GradientSet = tf.Tensor[] | Record<string, tf.Tensor>;

export interface OptimizerOptions {
  learningRate: number;
  /** When set, gradients are clipped to this global L2 norm (clipByGlobalNorm) before every update. */
  clipNorm?: number;
}

/** Everything needed to resume exactly: plain arrays, ready for a checkpoint. */
export interface OptimizerState {
  /** Updates applied so far (Adam's bias correction depends on it). */
  step: number;
  /**
   * Per variable, its slot values in the optimizer's slot order (Adam: [m, v]; SGD with momentum: [accumulation];
   * plain SGD: none). Keyed by the key the gradients were given under, or by variable name for arrays and minimize.
   */
  slots: Record<string, Float32Array[]>;
}

/** One variable's update on plain tf ops. */
export interface PlainTarget {
  variable: tf.Variable;
  /** Already clipped when clipNorm is set. */
  gradient: tf.Tensor;
  slots: tf.Variable[];
}

/** All variables' storage for one in-place native call; slots[k][i] is slot k of variable i. */
export interface NativeTargets {
  params: Float32Array[];
  grads: Float32Array[];
  slots: Float32Array[][];
}

interface Pair { key: string; variable: tf.Variable; gradient: tf.Tensor }

export abstract class FusedOptimizer {
  /** May be changed between updates (learning-rate schedules). */
  learningRate: number;
  readonly clipNorm: number | undefined;
  private updates = 0;
  private readonly slotVariables = new Map<string, tf.Variable[]>();
  /** Slots from setState, materialised as variables when their variable is first seen. */
  private readonly restored = new Map<string, Float32Array[]>();

  protected constructor(options: OptimizerOptions, private readonly slotCount: number) {
    if (!Number.isFinite(options.learningRate)) throw new RangeError(`learningRate: expected a finite number, got ${options.learningRate}`);
    if (options.clipNorm !== undefined) checkMaxNorm(options.clipNorm, 'clipNorm');
    this.learningRate = options.learningRate;
    this.clipNorm = options.clipNorm;
  }

  /** Updates applied so far. */
  get step(): number {
    return this.updates;
  }

  /** Runs the fused update over all given variables (keyed by position and variable name, or by record key). */
  applyGradients(variables: tf.Variable[], gradients: tf.Tensor[]): void;
  applyGradients(variables: Record<string, tf.Variable>, gradients: Record<string, tf.Tensor>): void;
  applyGradients(variables: VariableSet, gradients: GradientSet): void {
    const pairs = pairUp(variables, gradients);
    const slots = pairs.map((p) => this.slotsFor(p.key, p.variable));
    const grads = pairs.map((p) => p.gradient);
    const gradScale = this.clipNorm === undefined ? 1 : clipScale(globalNorm(grads), this.clipNorm);
    const backend = activeNativeBackend();
    if (backend && allStoredOn(backend, [...pairs.map((p) => p.variable), ...grads, ...slots.flat()])) {
      this.updateNative({
        params: pairs.map((p) => writableValues(backend, p.variable)),
        grads: grads.map((g) => f32(backend, g)),
        slots: Array.from({ length: this.slotCount }, (_, k) => slots.map((s) => writableValues(backend, s[k]))),
      }, gradScale);
    } else {
      tf.tidy(() => {
        const targets = pairs.map((p, i) => ({
          variable: p.variable,
          gradient: gradScale === 1 ? p.gradient : tf.mul(p.gradient, gradScale),
          slots: slots[i],
        }));
        this.updatePlain(targets);
      });
    }
    this.updates++;
  }

  /** Computes f's gradients w.r.t. varList (default: all trainable variables), applies them, returns the loss. */
  minimize(f: () => tf.Scalar, varList?: VariableSet): tf.Scalar {
    const list = varList === undefined ? undefined : Array.isArray(varList) ? varList : Object.values(varList);
    const { value, grads } = tf.variableGrads(f, list);
    try {
      if (varList !== undefined && !Array.isArray(varList)) {
        const byKey: Record<string, tf.Tensor> = {};
        for (const [key, v] of Object.entries(varList)) if (grads[v.name]) byKey[key] = grads[v.name];
        this.applyGradients(varList, byKey);
      } else {
        const registered = tf.engine().registeredVariables;
        const byName: Record<string, tf.Variable> = {};
        for (const name of Object.keys(grads)) byName[name] = registered[name];
        this.applyGradients(byName, grads);
      }
    } finally {
      tf.dispose(grads);
    }
    return value;
  }

  /** Copies of the step counter and every slot. */
  getState(): OptimizerState {
    const slots: Record<string, Float32Array[]> = {};
    for (const [key, values] of this.restored) slots[key] = values.map((v) => v.slice());
    for (const [key, vars] of this.slotVariables) slots[key] = vars.map((v) => Float32Array.from(v.dataSync()));
    return { step: this.updates, slots };
  }

  /** Replaces the whole state with copies of `state` (e.g. from getState, possibly in another process). */
  setState(state: OptimizerState): void {
    if (!Number.isInteger(state.step) || state.step < 0) throw new RangeError(`setState: step must be a non-negative integer, got ${state.step}`);
    for (const [key, values] of Object.entries(state.slots)) {
      if (values.length !== this.slotCount) throw new Error(`setState: ${key} has ${values.length} slots, this optimizer keeps ${this.slotCount}`);
    }
    this.disposeSlots();
    for (const [key, values] of Object.entries(state.slots)) this.restored.set(key, values.map((v) => Float32Array.from(v)));
    this.updates = state.step;
  }

  dispose(): void {
    this.disposeSlots();
  }

  /** One native call updating every target in place. */
  protected abstract updateNative(targets: NativeTargets, gradScale: number): void;

  /** The same update with tf ops and assign (runs inside a tidy). */
  protected abstract updatePlain(targets: PlainTarget[]): void;

  private slotsFor(key: string, variable: tf.Variable): tf.Variable[] {
    const existing = this.slotVariables.get(key);
    if (existing) {
      if (existing.length > 0 && existing[0].size !== variable.size) {
        throw new Error(`optimizer slots for ${key} hold ${existing[0].size} values but the variable has ${variable.size}`);
      }
      return existing;
    }
    const restored = this.restored.get(key);
    if (restored) {
      for (const values of restored) {
        if (values.length !== variable.size) throw new Error(`restored optimizer state for ${key} holds ${values.length} values but the variable has ${variable.size}`);
      }
      this.restored.delete(key);
    }
    const slots = Array.from({ length: this.slotCount }, (_, k) => tf.tidy(() => tf.variable(
      restored ? tf.tensor(restored[k], variable.shape, 'float32') : tf.zerosLike(variable), false)));
    this.slotVariables.set(key, slots);
    return slots;
  }

  private disposeSlots(): void {
    for (const vars of this.slotVariables.values()) for (const v of vars) v.dispose();
    this.slotVariables.clear();
    this.restored.clear();
  }
}

function pairUp(variables: VariableSet, gradients: GradientSet): Pair[] {
  let pairs: Pair[];
  if (Array.isArray(variables) && Array.isArray(gradients)) {
    if (variables.length !== gradients.length) throw new Error(`applyGradients: ${variables.length} variables but ${gradients.length} gradients`);
    pairs = variables.map((variable, i) => ({ key: variable.name, variable, gradient: gradients[i] }));
  } else if (!Array.isArray(variables) && !Array.isArray(gradients)) {
    pairs = [];
    for (const [key, gradient] of Object.entries(gradients)) {
      if (gradient == null) continue; // tfjs skips variables without a gradient
      const variable = variables[key];
      if (!variable) throw new Error(`applyGradients: gradient ${key} has no variable`);
      pairs.push({ key, variable, gradient });
    }
  } else {
    throw new TypeError('applyGradients: pass variables and gradients both as arrays or both as records');
  }
  for (const { key, variable, gradient } of pairs) {
    if (variable.dtype !== 'float32') throw new TypeError(`applyGradients: ${key} is ${variable.dtype}; optimizers update float32 variables`);
    if (variable.shape.join() !== gradient.shape.join()) throw new Error(`applyGradients: ${key} has shape [${variable.shape}] but its gradient [${gradient.shape}]`);
  }
  return pairs;
}
