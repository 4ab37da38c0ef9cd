// Power laws of ensemble quality (the PL paper, spec §4-5): y = c + b x^a, with x the ensemble size k or the parameter
// budget. For a given asymptote c, log(y - c) = log b + a log x is a straight line, fitted by least squares in log
// space; with c free, c is chosen in [0, min y) to minimise the squared error of that fit in the original space
// (a grid, then golden-section refinement around the best grid point).
import { goldenSectionMinimize } from './temperature_scaling.js';

export interface PowerLawFit {
  /** Exponent (negative when quality improves with x). */
  a: number;
  b: number;
  /** Asymptote as x -> infinity (0 for a pure power law). */
  c: number;
  /** Sum of squared residuals in the original space. */
  rss: number;
  /** R^2 of the straight line log(y - c) ~ log x. */
  logR2: number;
  points: number;
}

/** Least-squares line log(y - c) = log b + a log x; null when some y <= c. */
export function fitPowerLawWithAsymptote(xs: readonly number[], ys: readonly number[], c: number): PowerLawFit | null {
  if (xs.length !== ys.length) throw new Error(`fitPowerLaw: ${xs.length} x values but ${ys.length} y values`);
  if (xs.length < 2) throw new Error(`fitPowerLaw: needs at least 2 points, got ${xs.length}`);
  if (xs.some((x) => !(x > 0))) throw new Error('fitPowerLaw: every x must be positive');
  if (ys.some((y) => !(y > c))) return null;
  const u = xs.map(Math.log), v = ys.map((y) => Math.log(y - c)), n = u.length;
  const mu = u.reduce((s, x) => s + x, 0) / n, mv = v.reduce((s, x) => s + x, 0) / n;
  let suu = 0, suv = 0, svv = 0;
  for (let i = 0; i < n; i++) { suu += (u[i] - mu) ** 2; suv += (u[i] - mu) * (v[i] - mv); svv += (v[i] - mv) ** 2; }
  if (suu === 0) throw new Error('fitPowerLaw: all x values are equal');
  const a = suv / suu, b = Math.exp(mv - a * mu);
  const rss = xs.reduce((s, x, i) => s + (c + b * x ** a - ys[i]) ** 2, 0);
  return { a, b, c, rss, logR2: svv === 0 ? 1 : (suv * suv) / (suu * svv), points: n };
}

export interface PowerLawOptions {
  /** A fixed asymptote, or 'fit' (default) to choose it; 'fit' needs at least 3 points. */
  asymptote?: number | 'fit';
  /** Lowest asymptote considered when fitting (default 0: NLL and error rates are non-negative). */
  minAsymptote?: number;
}

export function fitPowerLaw(xs: readonly number[], ys: readonly number[], options: PowerLawOptions = {}): PowerLawFit {
  const asymptote = options.asymptote ?? 'fit';
  if (asymptote !== 'fit') {
    const fit = fitPowerLawWithAsymptote(xs, ys, asymptote);
    if (!fit) throw new Error(`fitPowerLaw: every y must exceed the asymptote ${asymptote}`);
    return fit;
  }
  if (xs.length < 3) throw new Error(`fitPowerLaw: fitting the asymptote needs at least 3 points, got ${xs.length}`);
  const lo = options.minAsymptote ?? 0, hi = Math.min(...ys);
  if (!(hi > lo)) throw new Error(`fitPowerLaw: min y ${hi} is not above the lowest asymptote ${lo}`);
  const rssAt = (c: number): number => fitPowerLawWithAsymptote(xs, ys, c)?.rss ?? Infinity;
  const grid = 400, step = (hi - lo) / grid;
  let best = 0, bestRss = Infinity;
  for (let i = 0; i < grid; i++) { const r = rssAt(lo + i * step); if (r < bestRss) { bestRss = r; best = i; } }
  const refined = goldenSectionMinimize(rssAt, lo + Math.max(0, best - 1) * step, lo + Math.min(grid - 1e-9, best + 1) * step, step * 1e-6);
  const c = refined.value <= bestRss ? refined.x : lo + best * step;
  return fitPowerLawWithAsymptote(xs, ys, c)!;
}

/** fitPowerLaw with a fitted asymptote, or null where it cannot be fitted (fewer than 3 distinct x, no y above 0). */
export function tryFitPowerLaw(xs: readonly number[], ys: readonly number[]): PowerLawFit | null {
  if (xs.length < 3 || new Set(xs).size < 3) return null;
  try {
    return fitPowerLaw(xs, ys);
  } catch {
    return null;
  }
}

/** c + b x^a. */
export function powerLawAt(fit: Pick<PowerLawFit, 'a' | 'b' | 'c'>, x: number): number {
  return fit.c + fit.b * x ** fit.a;
}
