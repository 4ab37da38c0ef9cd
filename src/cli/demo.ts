// `parsimony demo`: a short char-level LSTM language model on Moby Dick (shipped by an npm package),
// showing the engine end to end: native backend, fused LSTM, fused Adam, progress, bits per character.
import { tf } from '../engine/tf.js';
import { useBestBackend } from '../engine/backend.js';
import { getNumThreads } from '../engine/threads.js';
import { Adam } from '../engine/optim/adam.js';
import { Dense } from '../nn/dense.js';
import { LSTM } from '../nn/recurrent.js';
import { buildCharVocabulary, decodeChars, encodeChars, sampleWindows, sequentialWindows } from '../data/char_corpus.js';
import { loadMobyDick } from '../data/moby_dick.js';
import { sparseSoftmaxCrossEntropy } from '../train/losses.js';
import { createProgress } from '../train/progress.js';

export interface DemoOptions {
  epochs: number;
  stepsPerEpoch: number;
  hidden: number;
  batch: number;
  seqLen: number;
  vocab: number;
  learningRate: number;
  seed: number;
}

export async function runDemo(o: DemoOptions): Promise<{ validBpc: number; stepsPerSecond: number }> {
  const backend = await useBestBackend();
  const corpus = loadMobyDick();
  const vocab = buildCharVocabulary(corpus.train, o.vocab);
  const train = encodeChars(corpus.train, vocab);
  const valid = encodeChars(corpus.valid, vocab).subarray(0, 64 * 1024);
  console.log(`backend ${backend} (${getNumThreads()} threads) | Moby Dick: ${corpus.chapters} chapters, ${train.length} train / ${valid.length} valid characters, vocabulary ${vocab.chars.length}`);

  const V = vocab.chars.length;
  const rnn = new LSTM(V, o.hidden, { seed: o.seed });
  const out = new Dense(o.hidden, V, 'linear', o.seed + 1);
  const params = [...rnn.parameters(), ...out.parameters()];
  const opt = new Adam({ learningRate: o.learningRate, clipNorm: 1 });
  console.log(`model: one-hot ${V} -> LSTM ${o.hidden} -> softmax ${V} (${params.reduce((n, p) => n + p.size, 0)} parameters)`);

  const logits = (ids: tf.Tensor2D) => out.apply(rnn.apply(tf.cast(tf.oneHot(ids, V), 'float32') as tf.Tensor3D).output);
  const bitsPerChar = (nats: number) => nats / Math.LN2;
  let seed = o.seed;
  const random = () => { seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0; return seed / 2 ** 32; };

  let validBpc = NaN;
  const t0 = performance.now();
  const progress = createProgress('demo', o.stepsPerEpoch);
  for (let epoch = 1; epoch <= o.epochs; epoch++) {
    let trainNats = 0;
    for (let s = 0; s < o.stepsPerEpoch; s++) {
      const { inputs, targets } = sampleWindows(train, o.batch, o.seqLen, random);
      const loss = opt.minimize(() => sparseSoftmaxCrossEntropy(logits(inputs), targets), params);
      const value = loss.dataSync()[0];
      trainNats += value;
      tf.dispose([loss, inputs, targets]);
      progress.tick({ bpc: bitsPerChar(value) });
    }
    let validNats = 0, batches = 0;
    for (const { inputs, targets } of sequentialWindows(valid, o.batch, o.seqLen)) {
      validNats += tf.tidy(() => sparseSoftmaxCrossEntropy(logits(inputs), targets).dataSync()[0]);
      batches += 1;
      tf.dispose([inputs, targets]);
    }
    validBpc = bitsPerChar(validNats / batches);
    progress.endEpoch(`epoch ${epoch}/${o.epochs}: train ${bitsPerChar(trainNats / o.stepsPerEpoch).toFixed(3)} bpc, valid ${validBpc.toFixed(3)} bpc`);
  }
  const seconds = (performance.now() - t0) / 1e3;
  const stepsPerSecond = (o.epochs * o.stepsPerEpoch) / seconds;
  console.log(`trained ${o.epochs * o.stepsPerEpoch} steps in ${seconds.toFixed(1)} s (${stepsPerSecond.toFixed(1)} steps/s)`);
  console.log(`sample: ${JSON.stringify(sample(rnn, out, vocab, 'The whale', 160, random))}`);
  rnn.dispose();
  out.dispose();
  return { validBpc, stepsPerSecond };
}

/** Draws text one character at a time, carrying the LSTM state. */
function sample(rnn: LSTM, out: Dense, vocab: ReturnType<typeof buildCharVocabulary>, prime: string, length: number, random: () => number): string {
  const V = vocab.chars.length;
  let ids = Array.from(encodeChars(prime, vocab));
  let state: { h?: tf.Tensor2D; c?: tf.Tensor2D } = {};
  let text = prime;
  for (let i = 0; i < length; i++) {
    const next = tf.tidy(() => {
      const x = tf.cast(tf.oneHot(tf.tensor2d(ids, [1, ids.length], 'int32'), V), 'float32') as tf.Tensor3D;
      const r = rnn.apply(x, { h0: state.h, c0: state.c, returnSequences: false });
      const p = tf.softmax(out.apply(r.h)).dataSync();
      tf.dispose([state.h, state.c].filter((t): t is tf.Tensor2D => t !== undefined));
      state = { h: tf.keep(r.h), c: tf.keep(r.c) };
      let u = random(), k = 0;
      while (k < V - 1 && (u -= p[k]) > 0) k++;
      return k;
    });
    ids = [next];
    text += decodeChars([next], vocab);
  }
  tf.dispose([state.h, state.c].filter((t): t is tf.Tensor2D => t !== undefined));
  return text;
}
