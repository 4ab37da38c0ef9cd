// Named sparsification presets of the one-hot LSTM language models and the authors' 4-character LM config strings
// (spec rnn-sparsification §3.2): `[LSTM W][LSTM z_gate][neurons][dense W]`, where weights take L (SparseVD) or
// D (plain learnable), z_gate takes L or C (absent), and neurons take C (none), I (z_x on the one-hot inputs only,
// i.e. the vocabulary variable of SparseVD-Voc) or R (z_h on the hidden neurons only).
import type { WeightKind } from './presets.js';

/** Which parts of the language model are Bayesian, as one LM config string describes them. */
export interface LanguageModelSparsity {
  lstmWeights: WeightKind;
  /** z_gate: one group variable per gate pre-activation (4H). */
  gateGroups: boolean;
  /** z_x on the one-hot inputs: one group variable per vocabulary entry. */
  inputGroups: boolean;
  /** z_h: one group variable per hidden neuron. */
  hiddenGroups: boolean;
  outputWeights: WeightKind;
}

/** Paper names -> LM config strings (P2: Original, SparseVD, SparseVD-Voc; P3: W+N, W+G+N). */
export const LANGUAGE_MODEL_PRESETS = {
  'dense': 'DCCD',
  'sparsevd': 'LCCL',
  'sparsevd-voc': 'LCIL',
  'w+n': 'LCRL',
  'w+g+n': 'LLRL',
} as const;

export type LanguageModelPreset = keyof typeof LANGUAGE_MODEL_PRESETS;

const PRESET_NAMES = Object.keys(LANGUAGE_MODEL_PRESETS) as LanguageModelPreset[];

const FORMAT_HELP = 'a 4-character LM config [LSTM W][LSTM z_gate][neurons][dense W] with weights in {L, D}, '
  + 'z_gate in {L, C} and neurons in {C, I, R}';

const WEIGHT_CODES: Record<string, WeightKind> = { L: 'sparsevd', D: 'dense' };
const GATE_CODES: Record<string, boolean> = { L: true, C: false };
const NEURON_CODES: Record<string, { inputGroups: boolean; hiddenGroups: boolean }> = {
  C: { inputGroups: false, hiddenGroups: false },
  I: { inputGroups: true, hiddenGroups: false },
  R: { inputGroups: false, hiddenGroups: true },
};

/** 'LCIL' -> { lstmWeights: 'sparsevd', gateGroups: false, inputGroups: true, hiddenGroups: false, outputWeights: 'sparsevd' }. */
export function parseLanguageModelConfig(config: string): LanguageModelSparsity {
  const bad = (why: string): Error => new Error(`language-model config "${config}": ${why}; expected ${FORMAT_HELP}, `
    + `e.g. one of the presets ${describeLanguageModelPresets()}`);
  if (config.length !== 4) throw bad(`has ${config.length} characters`);
  const weight = (i: number, what: string): WeightKind => {
    const kind = WEIGHT_CODES[config[i]];
    if (!kind) throw bad(`${what} (character ${i + 1}) is "${config[i]}", expected L or D`);
    return kind;
  };
  const gate = GATE_CODES[config[1]];
  if (gate === undefined) throw bad(`gate groups (character 2) is "${config[1]}", expected L or C`);
  const neurons = NEURON_CODES[config[2]];
  if (!neurons) throw bad(`neuron groups (character 3) is "${config[2]}", expected C, I or R`);
  return { lstmWeights: weight(0, 'LSTM weights'), gateGroups: gate, ...neurons, outputWeights: weight(3, 'dense weights') };
}

export function isLanguageModelPreset(name: string): name is LanguageModelPreset {
  return Object.hasOwn(LANGUAGE_MODEL_PRESETS, name);
}

/** A preset name or a 4-character LM config string; anything else throws, listing the valid presets. */
export function resolveLanguageModelSparsity(presetOrConfig: string): LanguageModelSparsity {
  if (isLanguageModelPreset(presetOrConfig)) return parseLanguageModelConfig(LANGUAGE_MODEL_PRESETS[presetOrConfig]);
  if (presetOrConfig.length === 4) return parseLanguageModelConfig(presetOrConfig);
  throw new Error(`"${presetOrConfig}" is neither a language-model sparsification preset nor an LM config string; `
    + `valid presets: ${describeLanguageModelPresets()}, or ${FORMAT_HELP}`);
}

/** The config string of a parsed sparsity (inverse of parseLanguageModelConfig). */
export function languageModelConfigString(s: LanguageModelSparsity): string {
  if (s.inputGroups && s.hiddenGroups) throw new Error('language-model config: z_x and z_h together have no 4-character code');
  const w = (k: WeightKind): string => (k === 'sparsevd' ? 'L' : 'D');
  return `${w(s.lstmWeights)}${s.gateGroups ? 'L' : 'C'}${s.inputGroups ? 'I' : s.hiddenGroups ? 'R' : 'C'}${w(s.outputWeights)}`;
}

function describeLanguageModelPresets(): string {
  return PRESET_NAMES.map((n) => `${n} (${LANGUAGE_MODEL_PRESETS[n]})`).join(', ');
}
