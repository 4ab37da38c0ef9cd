import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { tf } from '../../../src/engine/tf.js';
import { bernoulli, randomNormal, randomUniform } from '../../../src/engine/ops/random.js';
import { getNumThreads, setNumThreads } from '../../../src/engine/threads.js';
import { nativeAvailable } from '../../helpers.js';

const skip = !nativeAvailable && 'native addon not built';
const N = 40000; // above the OpenMP threshold, so the parallel path is the one checked

function values(t: tf.Tensor): Float32Array {
  const v = t.dataSync() as Float32Array;
  t.dispose();
  return v;
}

function moments(v: Float32Array): { mean: number; variance: number; lag1: number } {
  let s = 0;
  for (const x of v) s += x;
  const mean = s / v.length;
  let ss = 0, cross = 0;
  for (let i = 0; i < v.length; i++) {
    ss += (v[i] - mean) ** 2;
    if (i > 0) cross += (v[i] - mean) * (v[i - 1] - mean);
  }
  return { mean, variance: ss / v.length, lag1: cross / ss };
}

/** Checks a sample against its distribution's mean and variance, 5 standard errors wide. */
function assertMoments(v: Float32Array, mean: number, variance: number, fourthMomentRatio: number, what: string): void {
  const m = moments(v);
  const n = v.length;
  assert.ok(Math.abs(m.mean - mean) < 5 * Math.sqrt(variance / n), `${what}: mean ${m.mean}, expected ${mean}`);
  // Var of the sample variance ~ (mu4 - sigma^4) / n
  assert.ok(Math.abs(m.variance - variance) < 5 * variance * Math.sqrt((fourthMomentRatio - 1) / n), `${what}: variance ${m.variance}, expected ${variance}`);
  assert.ok(Math.abs(m.lag1) < 5 / Math.sqrt(n), `${what}: neighbouring values correlate (${m.lag1})`);
}

for (const backend of ['native', 'cpu']) {
  const skipHere = backend === 'native' ? skip : false;

  test(`${backend}: randomNormal, randomUniform and bernoulli have the right distributions`, { skip: skipHere }, async () => {
    await tf.setBackend(backend);
    const normal = values(randomNormal([N], 3, 2, 1));
    assertMoments(normal, 3, 4, 3, 'normal');
    const within1 = normal.filter((x) => Math.abs(x - 3) < 2).length / N;
    assert.ok(Math.abs(within1 - 0.6827) < 5 * Math.sqrt(0.6827 * 0.3173 / N), `normal: ${within1} within one sd`);
    const uniform = values(randomUniform([200, 200], -2, 5, 2));
    assert.ok(uniform.every((x) => x >= -2 && x < 5), 'uniform: value outside [lo, hi)');
    assertMoments(uniform, 1.5, 49 / 12, 1.8, 'uniform');
    const coin = values(bernoulli([N], 0.3, 3));
    assert.ok(coin.every((x) => x === 0 || x === 1), 'bernoulli: not 0/1');
    assertMoments(coin, 0.3, 0.21, (0.3 * 0.7 ** 4 + 0.7 * 0.3 ** 4) / 0.21 ** 2, 'bernoulli');
  });

  test(`${backend}: a seed fixes the values, different seeds differ, and bernoulli p=0 / p=1 are constant`, { skip: skipHere }, async () => {
    await tf.setBackend(backend);
    for (const draw of [(s?: number) => randomNormal([1000], 0, 1, s), (s?: number) => randomUniform([1000], 0, 1, s), (s?: number) => bernoulli([1000], 0.5, s)]) {
      assert.deepEqual(values(draw(7)), values(draw(7)));
      assert.notDeepEqual(values(draw(7)), values(draw(8)));
      assert.notDeepEqual(values(draw()), values(draw()));
    }
    assert.ok(values(bernoulli([N], 0, 4)).every((x) => x === 0));
    assert.ok(values(bernoulli([N], 1, 4)).every((x) => x === 1));
    assert.throws(() => bernoulli([3], 1.5), RangeError);
    const empty = randomNormal([0, 3], 0, 1, 1);
    assert.deepEqual(empty.shape, [0, 3]);
    empty.dispose();
  });
}

test('native: seeded values do not depend on the thread count', { skip }, async () => {
  await tf.setBackend('native');
  const before = getNumThreads();
  try {
    setNumThreads(1);
    const one = [values(randomNormal([N], 0, 1, 9)), values(randomUniform([N], 0, 1, 9)), values(bernoulli([N], 0.4, 9))];
    setNumThreads(3);
    const three = [values(randomNormal([N], 0, 1, 9)), values(randomUniform([N], 0, 1, 9)), values(bernoulli([N], 0.4, 9))];
    assert.deepEqual(three, one);
  } finally {
    setNumThreads(before);
  }
});
