// Named sparsification presets of the text classifier and the authors' 6-character config strings
// (spec rnn-sparsification §3.2): `[emb W][emb z_voc][LSTM W][LSTM z_gate][LSTM z_x & z_h][dense W]`,
// where L = SparseVD, D = plain learnable and C = constant 1 (absent).

/** 'sparsevd': a SparseVD posterior with KL ("L"); 'dense': a plain learnable point estimate ("D"). */
export type WeightKind = 'sparsevd' | 'dense';

/** Which parts of the classifier are Bayesian, as one config string describes them. */
export interface ClassifierSparsity {
  embeddingWeights: WeightKind;
  /** z_voc: one group variable per vocabulary entry, scaling that word's embedding row. */
  vocabularyGroups: boolean;
  lstmWeights: WeightKind;
  /** z_gate: one group variable per gate pre-activation (4H). */
  gateGroups: boolean;
  /** z_x and z_h: group variables on the LSTM inputs and hidden neurons. */
  neuronGroups: boolean;
  denseWeights: WeightKind;
  /** Binary variational dropout rate p_x on the recurrent layer's inputs (spec §2.5); absent = 0. */
  inputDropout?: number;
  /** Binary variational dropout rate p_h on its hidden units; absent = 0. */
  hiddenDropout?: number;
}

/** Paper names -> classification config strings (P2: Original, SparseVD, SparseVD-Voc; P3: W+N, W+G+N). */
export const CLASSIFIER_PRESETS = {
  'dense': 'DCDCCD',
  'sparsevd': 'LCLCCL',
  'sparsevd-voc': 'LLLCCL',
  'w+n': 'LLLCLL',
  'w+g+n': 'LLLLLL',
} as const;

export type ClassifierPreset = keyof typeof CLASSIFIER_PRESETS;

/**
 * Presets that add binary variational dropout (P1, spec §2.5) to a config string. 'binary-dropout' is the dense
 * model (DCDCCD) with p_x = p_h = 0.3. [NOT FOUND] P1's rates (and which tensors it masks) are not in the spec;
 * 0.3 is an assumption: within the 0.2-0.5 range Gal & Ghahramani report for LSTMs, at the low end because the
 * IMDB models here are small (128 hidden units) and train for few epochs. Tune it before quoting results.
 */
export const CLASSIFIER_DROPOUT_PRESETS = {
  'binary-dropout': { config: 'DCDCCD', inputDropout: 0.3, hiddenDropout: 0.3 },
} as const;

export type ClassifierDropoutPreset = keyof typeof CLASSIFIER_DROPOUT_PRESETS;

export function isClassifierDropoutPreset(name: string): name is ClassifierDropoutPreset {
  return Object.hasOwn(CLASSIFIER_DROPOUT_PRESETS, name);
}

const PRESET_NAMES = Object.keys(CLASSIFIER_PRESETS) as ClassifierPreset[];

const FORMAT_HELP = 'a 6-character config [emb W][emb z_voc][LSTM W][LSTM z_gate][LSTM z_x & z_h][dense W] with '
  + 'weights in {L, D} and groups in {L, C}';

const WEIGHT_CODES: Record<string, WeightKind> = { L: 'sparsevd', D: 'dense' };
const GROUP_CODES: Record<string, boolean> = { L: true, C: false };

/**
 * 'LLLCLL' -> { embeddingWeights: 'sparsevd', vocabularyGroups: true, ..., neuronGroups: true, denseWeights: 'sparsevd' }.
 * Weights take L or D, groups L or C. The repo's other group options ("N": normal prior, "D": deterministic
 * multiplier) are used by no paper and are rejected.
 */
export function parseClassifierConfig(config: string): ClassifierSparsity {
  const bad = (why: string): Error => new Error(`classifier config "${config}": ${why}; expected ${FORMAT_HELP}, `
    + `e.g. one of the presets ${describePresets()}`);
  if (config.length !== 6) throw bad(`has ${config.length} characters`);
  const weight = (i: number, what: string): WeightKind => {
    const kind = WEIGHT_CODES[config[i]];
    if (!kind) throw bad(`${what} (character ${i + 1}) is "${config[i]}", expected L or D`);
    return kind;
  };
  const group = (i: number, what: string): boolean => {
    const on = GROUP_CODES[config[i]];
    if (on === undefined) throw bad(`${what} (character ${i + 1}) is "${config[i]}", expected L or C`);
    return on;
  };
  return {
    embeddingWeights: weight(0, 'embedding weights'),
    vocabularyGroups: group(1, 'vocabulary groups'),
    lstmWeights: weight(2, 'LSTM weights'),
    gateGroups: group(3, 'gate groups'),
    neuronGroups: group(4, 'neuron groups'),
    denseWeights: weight(5, 'dense weights'),
  };
}

export function isClassifierPreset(name: string): name is ClassifierPreset {
  return Object.hasOwn(CLASSIFIER_PRESETS, name);
}

/** The parsed config of a named preset; an unknown name throws, listing the valid ones. */
export function presetConfig(name: string): ClassifierSparsity {
  if (isClassifierDropoutPreset(name)) {
    const { config, inputDropout, hiddenDropout } = CLASSIFIER_DROPOUT_PRESETS[name];
    return { ...parseClassifierConfig(config), inputDropout, hiddenDropout };
  }
  if (!isClassifierPreset(name)) throw new Error(`unknown sparsification preset "${name}"; valid presets: ${describePresets()}`);
  return parseClassifierConfig(CLASSIFIER_PRESETS[name]);
}

/** A preset name or a 6-character config string; anything else throws, listing the valid presets. */
export function resolveClassifierSparsity(presetOrConfig: string): ClassifierSparsity {
  if (isClassifierPreset(presetOrConfig) || isClassifierDropoutPreset(presetOrConfig)) return presetConfig(presetOrConfig);
  if (presetOrConfig.length === 6) return parseClassifierConfig(presetOrConfig);
  throw new Error(`"${presetOrConfig}" is neither a sparsification preset nor a config string; valid presets: `
    + `${describePresets()}, or ${FORMAT_HELP}`);
}

function describePresets(): string {
  const dropout = (Object.keys(CLASSIFIER_DROPOUT_PRESETS) as ClassifierDropoutPreset[]).map((n) => {
    const p = CLASSIFIER_DROPOUT_PRESETS[n];
    return `${n} (${p.config} + binary dropout p_x = ${p.inputDropout}, p_h = ${p.hiddenDropout})`;
  });
  return [...PRESET_NAMES.map((n) => `${n} (${CLASSIFIER_PRESETS[n]})`), ...dropout].join(', ');
}
