// The architecture of a sweep as plain JSON (so it can be posted to a worker and written into every record), and the
// ArchitectureFamily it names.
import type { ArchitectureFamily } from './family.js';
import { mlpFamily } from './families/mlp.js';
import { smallCnnFamily } from './families/small_cnn.js';
import { recurrentClassifierFamily } from './families/recurrent_classifier.js';

export type MemberFamilySpec =
  | { arch: 'mlp'; inputSize: number; depth: number; classes: number }
  | { arch: 'cnn'; inputChannels: number; classes: number; inputPool?: number }
  | { arch: 'lstm'; vocabularySize: number; embeddingDim: number; classes: number };

export type SweepArchitecture = MemberFamilySpec['arch'];

export function memberFamily(spec: MemberFamilySpec): ArchitectureFamily {
  switch (spec.arch) {
    case 'mlp': return mlpFamily({ inputSize: spec.inputSize, depth: spec.depth, classes: spec.classes });
    case 'cnn': return smallCnnFamily({ inputChannels: spec.inputChannels, classes: spec.classes, inputPool: spec.inputPool });
    case 'lstm': return recurrentClassifierFamily({ cell: 'lstm', vocabularySize: spec.vocabularySize, embeddingDim: spec.embeddingDim, classes: spec.classes });
    default: throw new Error(`memberFamily: unknown arch ${String((spec as { arch: unknown }).arch)} (expected mlp, cnn or lstm)`);
  }
}
