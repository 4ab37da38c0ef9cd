import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitPowerLaw, powerLawAt } from '../../src/ensembles/power_law.js';

test('a pure power law (asymptote 0) is recovered exactly', () => {
  const xs = [25e3, 1e5, 4e5, 1.6e6, 6.4e6], ys = xs.map((x) => 3 * x ** -0.3);
  const fit = fitPowerLaw(xs, ys, { asymptote: 0 });
  assert.ok(Math.abs(fit.a + 0.3) < 1e-9 && Math.abs(fit.b - 3) < 1e-7, JSON.stringify(fit));
  assert.ok(Math.abs(fit.logR2 - 1) < 1e-12);
});

test('c + b k^a with an unknown asymptote: exponent, scale and asymptote recovered from the curve', () => {
  const ks = [1, 2, 4, 8, 16, 32], ys = ks.map((k) => 0.25 + 0.4 * k ** -0.7);
  const fit = fitPowerLaw(ks, ys);
  assert.ok(Math.abs(fit.a + 0.7) < 1e-3, `a ${fit.a}`);
  assert.ok(Math.abs(fit.b - 0.4) < 1e-3, `b ${fit.b}`);
  assert.ok(Math.abs(fit.c - 0.25) < 1e-3, `c ${fit.c}`);
  assert.ok(Math.abs(powerLawAt(fit, 64) - (0.25 + 0.4 * 64 ** -0.7)) < 1e-4);
});

test('noisy data: the fit stays near the true exponent; bad input is rejected', () => {
  const ks = [1, 2, 4, 8, 16, 32, 64], noise = [1, -1, 0.5, -0.5, 1, -1, 0.3];
  const ys = ks.map((k, i) => 0.3 + 0.2 * k ** -1 + 1e-4 * noise[i]);
  const fit = fitPowerLaw(ks, ys);
  assert.ok(Math.abs(fit.a + 1) < 0.1, `a ${fit.a}`);
  assert.ok(Math.abs(fit.c - 0.3) < 0.01, `c ${fit.c}`);
  assert.throws(() => fitPowerLaw([1, 2], [1, 0.5]), /at least 3 points/);
  assert.throws(() => fitPowerLaw([0, 1, 2], [1, 0.5, 0.3]), /x must be positive/);
});
