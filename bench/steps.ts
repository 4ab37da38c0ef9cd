// The benchmark's training steps on Parsimony's engine; bench/torch_steps.py builds the same ones in PyTorch.
import { tf } from '../src/engine/tf.js';
import { Adam } from '../src/engine/optim/adam.js';
import { Dense } from '../src/nn/dense.js';
import { Embedding } from '../src/nn/embedding.js';
import { GRU, LSTM } from '../src/nn/recurrent.js';
import type { Module } from '../src/nn/module.js';
import { sparseSoftmaxCrossEntropy } from '../src/train/losses.js';
import { SmallCnn } from '../src/ensembles/families/small_cnn.js';

export const STEP_NAMES = ['imdb-lstm', 'char-lm', 'word-lm', 'imdb-gru', 'mlp', 'cnn'] as const;
export type StepName = (typeof STEP_NAMES)[number];

export const STEP_TITLES: Record<StepName, string> = {
  'imdb-lstm': '(a) IMDB classifier: batch 128 x 200 tokens, embedding 20,003x300, LSTM 128, Adam',
  'char-lm': '(b) char LM: batch 64 x 100 steps, one-hot 50, LSTM 1000, softmax 50, Adam',
  'word-lm': '(c) word LM: batch 32 x 35 steps, vocab 10,000, embedding + LSTM 256, softmax 10,000, Adam',
  'imdb-gru': '(d) as (a) with a GRU 128',
  mlp: '(e) MLP 784-1024-1024-10, batch 128, Adam',
  cnn: '(f) small CNN (c = 64, 557k params) on 14x14 images, batch 128, Adam',
};

export interface BenchStep {
  run(): number;
  dispose(): void;
}

function randomInts(n: number, hi: number, lo = 0): tf.Tensor {
  return tf.randomUniform([n], lo, hi, 'int32', 7);
}

function trainStep(modules: Module[], loss: () => tf.Scalar, disposeData: tf.Tensor[]): BenchStep {
  const vars = modules.flatMap((m) => m.parameters());
  const opt = new Adam({ learningRate: 1e-3 });
  return {
    run: () => {
      const value = opt.minimize(loss, vars);
      const v = value.dataSync()[0];
      value.dispose();
      return v;
    },
    dispose: () => {
      for (const m of modules) m.dispose();
      opt.dispose?.();
      tf.dispose(disposeData);
    },
  };
}

export function makeStep(name: StepName): BenchStep {
  switch (name) {
    case 'imdb-lstm':
    case 'imdb-gru': {
      const emb = new Embedding(20003, 300, 1);
      const rnn = name === 'imdb-lstm' ? new LSTM(300, 128, { seed: 2 }) : new GRU(300, 128, { seed: 2 });
      const out = new Dense(128, 2, 'linear', 3);
      const ids = tf.reshape(randomInts(128 * 200, 20003, 1), [128, 200]);
      const labels = randomInts(128, 2);
      const loss = () => {
        const { h } = rnn.apply(emb.apply(ids) as tf.Tensor3D, { returnSequences: false });
        return sparseSoftmaxCrossEntropy(out.apply(h), labels);
      };
      return trainStep([emb, rnn, out], loss, [ids, labels]);
    }
    case 'char-lm': {
      const rnn = new LSTM(50, 1000, { seed: 2 });
      const out = new Dense(1000, 50, 'linear', 3);
      const ids = tf.reshape(randomInts(64 * 100, 50), [64, 100]);
      const x = tf.cast(tf.oneHot(ids, 50), 'float32') as tf.Tensor3D;
      const labels = randomInts(64 * 100, 50);
      const loss = () => sparseSoftmaxCrossEntropy(out.apply(rnn.apply(x).output), labels);
      return trainStep([rnn, out], loss, [ids, x, labels]);
    }
    case 'word-lm': {
      const emb = new Embedding(10000, 256, 1);
      const rnn = new LSTM(256, 256, { seed: 2 });
      const out = new Dense(256, 10000, 'linear', 3);
      const ids = tf.reshape(randomInts(32 * 35, 10000), [32, 35]);
      const labels = randomInts(32 * 35, 10000);
      const loss = () => sparseSoftmaxCrossEntropy(out.apply(rnn.apply(emb.apply(ids) as tf.Tensor3D).output), labels);
      return trainStep([emb, rnn, out], loss, [ids, labels]);
    }
    case 'mlp': {
      const l1 = new Dense(784, 1024, 'relu', 1);
      const l2 = new Dense(1024, 1024, 'relu', 2);
      const l3 = new Dense(1024, 10, 'linear', 3);
      const x = tf.randomUniform([128, 784], 0, 1, 'float32', 4);
      const labels = randomInts(128, 10);
      const loss = () => sparseSoftmaxCrossEntropy(l3.apply(l2.apply(l1.apply(x))), labels);
      return trainStep([l1, l2, l3], loss, [x, labels]);
    }
    case 'cnn': {
      const model = new SmallCnn({ inputChannels: 1, classes: 10 }, 64, 1);
      const x = tf.randomUniform([128, 14, 14, 1], 0, 1, 'float32', 4);
      const labels = randomInts(128, 10);
      return trainStep([model], () => sparseSoftmaxCrossEntropy(model.apply(x), labels), [x, labels]);
    }
  }
}
