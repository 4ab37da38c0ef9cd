// Kernel micro-benchmark: native vs the stock tfjs cpu kernel, same process, one at a time.
//   npx tsx bench/kernels.ts [name filter]     (PARSIMONY_THREADS=n sets the threads)
import { tf } from '../src/engine/tf.js';
import { registerNativeBackend } from '../src/engine/backend.js';
import { bernoulli, randomNormal } from '../src/engine/ops/random.js';
import { getNumThreads } from '../src/engine/threads.js';
import { Adam } from '../src/engine/optim/adam.js';

registerNativeBackend();
function time(fn: () => tf.Tensor, budgetMs = 700): number {
  fn().dispose();
  let n = 0; const t0 = performance.now();
  while (performance.now() - t0 < budgetMs) { fn().dispose(); n++; }
  return (performance.now() - t0) / n;
}
const cases: [string, () => tf.Tensor[], (...xs: tf.Tensor[]) => tf.Tensor][] = [
  ['sigmoid 1e6', () => [tf.randomUniform([1000000], -5, 5)], (x) => tf.sigmoid(x)],
  ['tanh 1e6', () => [tf.randomUniform([1000000], -5, 5)], (x) => tf.tanh(x)],
  ['add row-bcast 4096x512 + 512', () => [tf.randomUniform([4096, 512]), tf.randomUniform([512])], (a, b) => tf.add(a, b)],
  ['mul same-shape 4096x512', () => [tf.randomUniform([4096, 512]), tf.randomUniform([4096, 512])], (a, b) => tf.mul(a, b)],
  ['sum axis 0 of 4096x512', () => [tf.randomUniform([4096, 512])], (x) => tf.sum(x, 0)],
  ['sum axis 1 of 4096x512', () => [tf.randomUniform([4096, 512])], (x) => tf.sum(x, 1)],
  ['max axis 1 of 4096x512', () => [tf.randomUniform([4096, 512])], (x) => tf.max(x, 1)],
  ['softmax 4096x512', () => [tf.randomUniform([4096, 512])], (x) => tf.softmax(x)],
  ['transpose 4096x512', () => [tf.randomUniform([4096, 512])], (x) => tf.transpose(x)],
  ['gather 128x200 ids from 20003x300', () => [tf.randomUniform([20003, 300]), tf.randomUniform([128, 200], 0, 20003, 'int32')], (p, i) => tf.gather(p, i)],
  // the small CNN's widest conv (c = 64: 128x7x7x128 -> 256) and its two gradients, and its first max pool
  ['conv2d 3x3 same 128x7x7x128 -> 256', () => [tf.randomUniform([128, 7, 7, 128]), tf.randomUniform([3, 3, 128, 256])], (x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'same')],
  ['conv2dBackpropInput (same shapes)', () => [tf.randomUniform([128, 7, 7, 256]), tf.randomUniform([3, 3, 128, 256])],
    (dy, f) => tf.conv2dTranspose(dy as tf.Tensor4D, f as tf.Tensor4D, [128, 7, 7, 128], 1, 'same')],
  // cpu's filter gradient takes minutes at the shapes above, so this one is c = 16's widest conv (and includes its forward)
  ['conv2d + backpropFilter 128x7x7x32 -> 64', () => [tf.randomUniform([128, 7, 7, 32]), tf.randomUniform([128, 7, 7, 64])],
    (x, dy) => tf.grad((f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, 'same'), dy)))(tf.zeros([3, 3, 32, 64]))],
  ['maxPool 2x2 128x14x14x64', () => [tf.randomUniform([128, 14, 14, 64])], (x) => tf.maxPool(x as tf.Tensor4D, 2, 2, 'valid')],
  ['unsortedSegmentSum 2560x300 -> 100', () => [tf.randomUniform([2560, 300]), tf.randomUniform([2560], 0, 100, 'int32')], (d, i) => tf.unsortedSegmentSum(d, i as tf.Tensor1D, 100)],
];
const only = process.argv[2];
for (const [name, make, fn] of cases) {
  if (only && !name.includes(only)) continue;
  const res: Record<string, number> = {};
  for (const backend of ['native', 'cpu']) {
    await tf.setBackend(backend);
    const xs = make();
    res[backend] = time(() => fn(...xs), 700);
    xs.forEach((x) => x.dispose());
  }
  console.log(`${name.padEnd(40)} native ${res.native.toFixed(3).padStart(8)} ms   cpu ${res.cpu.toFixed(2).padStart(9)} ms   x${(res.cpu / res.native).toFixed(1)}`);
}
if (!only) {
  await tf.setBackend('native');
  const d = tf.randomUniform([25600, 300]), ids = tf.randomUniform([25600], 0, 20003, 'int32') as tf.Tensor1D;
  console.log(`${'unsortedSegmentSum 25600x300 -> 20003'.padEnd(40)} native ${time(() => tf.unsortedSegmentSum(d, ids, 20003)).toFixed(3).padStart(8)} ms   (cpu kernel is O(segments x rows): not run)`);
  await tf.setBackend('native');
  const nat = time(() => randomNormal([1000000], 0, 1, 1));
  const bern = time(() => bernoulli([1000000], 0.5, 1));
  await tf.setBackend('cpu');
  const cpu = time(() => tf.randomNormal([1000000], 0, 1, 'float32', 1));
  const bernCpu = time(() => tf.cast(tf.less(tf.randomUniform([1000000], 0, 1, 'float32', 1), 0.5), 'float32'));
  console.log(`${'bernoulli 1e6 (seeded)'.padEnd(40)} native ${bern.toFixed(3).padStart(8)} ms   cpu ${bernCpu.toFixed(2).padStart(9)} ms   x${(bernCpu / bern).toFixed(1)}`);
  console.log(`${'randomNormal 1e6 (seeded)'.padEnd(40)} native ${nat.toFixed(3).padStart(8)} ms   cpu ${cpu.toFixed(2).padStart(9)} ms   x${(cpu / nat).toFixed(1)}`);
}
if (!only || 'adam'.includes(only)) {
  // one Adam update of an IMDB-classifier-sized parameter set (20003x300 embedding + LSTM 300->128): fused
  // in-place native update vs tf.train.adam on the cpu backend
  const shapes = [[20003, 300], [300, 512], [128, 512], [512]];
  const res: Record<string, number> = {};
  for (const backend of ['native', 'cpu']) {
    await tf.setBackend(backend);
    const vars = shapes.map((s, i) => tf.variable(tf.randomUniform(s, -0.1, 0.1, 'float32', i), true, `w${i}`));
    const grads = shapes.map((s, i) => tf.randomUniform(s, -1, 1, 'float32', 10 + i));
    const named = vars.map((v, i) => ({ name: v.name, tensor: grads[i] }));
    const ours = new Adam({ learningRate: 1e-3 }), theirs = tf.train.adam(1e-3);
    const update = backend === 'native' ? () => ours.applyGradients(vars, grads) : () => theirs.applyGradients(named);
    update();
    let n = 0; const t0 = performance.now();
    while (performance.now() - t0 < 1500) { update(); n++; }
    res[backend] = (performance.now() - t0) / n;
    tf.dispose([...vars, ...grads]);
  }
  const params = shapes.reduce((a, s) => a + s.reduce((x, y) => x * y, 1), 0);
  console.log(`${`Adam update, ${params} params`.padEnd(40)} native ${res.native.toFixed(3).padStart(8)} ms   cpu ${res.cpu.toFixed(2).padStart(9)} ms   x${(res.cpu / res.native).toFixed(1)}`);
}
console.log('threads', getNumThreads());
