// `parsimony split sweep | report`: the memory-split grid (spec memory-split §5-6) and its report.
import { availableParallelism } from 'node:os';
import { type Command, InvalidArgumentError } from 'commander';
import { loadFashionMnist } from '../data/fashion_mnist.js';
import { loadSpamAssassin } from '../data/spam_assassin.js';
import { imageMemberDataset, sequenceMemberDataset, type MemberDataset } from '../ensembles/member_dataset.js';
import type { MemberFamilySpec, SweepArchitecture } from '../ensembles/member_family.js';
import { runSweep } from '../ensembles/sweep.js';
import type { SweepSettings } from '../ensembles/sweep_record.js';
import { writeSplitReport } from '../ensembles/split_report.js';
import { nonNegativeInt, oneOf, positiveInt, positiveNumber } from './arg_parsers.js';

/** "25e3,1e5,400k,1.6M" -> [25000, 100000, 400000, 1600000]. */
export function parseBudgets(value: string): number[] {
  return value.split(',').map((part) => {
    const m = /^\s*([0-9.eE+-]+)\s*([kKmM]?)\s*$/.exec(part);
    const n = m ? Number(m[1]) * (m[2].toLowerCase() === 'k' ? 1e3 : m[2].toLowerCase() === 'm' ? 1e6 : 1) : NaN;
    if (!(Number.isFinite(n) && n > 0)) throw new InvalidArgumentError(`--budgets: expected positive numbers such as 25e3,1e5,400k,1.6M; got "${part}"`);
    return Math.round(n);
  });
}

/** "1,2,4,8" -> [1, 2, 4, 8]. */
export function parseKs(value: string): number[] {
  return value.split(',').map((part) => {
    const n = Number(part.trim());
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`--ks: expected positive integers such as 1,2,4,8; got "${part}"`);
    return n;
  });
}

export interface SplitSweepCliOptions {
  arch: SweepArchitecture;
  budgets: number[];
  ks: number[];
  epochs: number;
  runs: number;
  out: string;
  trainSize?: number;
  depth: number;
  inputPool: number;
  vocabulary: number;
  embeddingDim: number;
  maxLength: number;
  batch: number;
  lr: number;
  seed: number;
  threads?: number;
  workers?: number;
  dataDir?: string;
}

/** The dataset, family and data description of a sweep's --arch. */
export function sweepData(o: SplitSweepCliOptions): { dataset: MemberDataset; family: MemberFamilySpec; data: string } {
  if (o.arch === 'lstm') {
    const text = loadSpamAssassin({ maxVocabulary: o.vocabulary, maxLength: o.maxLength });
    const dataset = sequenceMemberDataset(text, 2);
    return {
      dataset, family: { arch: 'lstm', vocabularySize: text.vocabularySize, embeddingDim: o.embeddingDim, classes: 2 },
      data: `SpamAssassin (spam vs ham; ${text.train.count} train, ${text.validation.count} validation, ${text.test.count} test messages; `
        + `${o.vocabulary}-word vocabulary, first ${o.maxLength} tokens)`,
    };
  }
  const images = loadFashionMnist({ dir: o.dataDir, trainSize: o.trainSize });
  const dataset = imageMemberDataset(images, o.arch === 'mlp' ? 'flat' : 'image');
  const family: MemberFamilySpec = o.arch === 'mlp'
    ? { arch: 'mlp', inputSize: images.height * images.width, depth: o.depth, classes: images.classes }
    : { arch: 'cnn', inputChannels: 1, classes: images.classes, inputPool: o.inputPool };
  return {
    dataset, family,
    data: `Fashion-MNIST (${images.dir}; ${images.train.count} training images, validation = the last ${images.validation.count} `
      + `of the training file, ${images.test.count} test)`,
  };
}

export function registerSplitCommand(program: Command): Command {
  const split = program.command('split').description('memory-split ensembles: one wide network or k thinner ones at a fixed parameter budget');
  split.command('sweep')
    .description('train the (budget, k) grid; one JSON record per cell in <out>/cells; re-running resumes, skipping finished cells')
    .requiredOption('--arch <mlp|cnn|lstm>', 'family: MLP or small CNN on Fashion-MNIST, LSTM classifier on SpamAssassin', oneOf('--arch', ['mlp', 'cnn', 'lstm'] as const))
    .requiredOption('--budgets <list>', 'parameter budgets, e.g. 25e3,1e5,400k,1.6M', parseBudgets)
    .option('--ks <list>', 'member counts', parseKs, [1, 2, 4, 8])
    .option('--epochs <n>', 'epochs per member', positiveInt('--epochs'), 10)
    .option('--runs <n>', 'independent ensembles per cell (mean and spread)', positiveInt('--runs'), 3)
    .requiredOption('--out <dir>', 'sweep directory')
    .option('--train-size <n>', 'Fashion-MNIST: train on the first n images (default: all 55,000)', positiveInt('--train-size'))
    .option('--depth <n>', 'MLP hidden layers', positiveInt('--depth'), 3)
    .option('--input-pool <n>', 'CNN: average-pool the 28x28 input by this factor first', positiveInt('--input-pool'), 2)
    .option('--vocabulary <n>', 'LSTM: words kept', positiveInt('--vocabulary'), 2000)
    .option('--embedding-dim <n>', 'LSTM: embedding size', positiveInt('--embedding-dim'), 16)
    .option('--max-length <n>', 'LSTM: tokens per message', positiveInt('--max-length'), 100)
    .option('--batch <n>', 'mini-batch', positiveInt('--batch'), 128)
    .option('--lr <x>', 'Adam learning rate', positiveNumber('--lr'), 1e-3)
    .option('--seed <n>', 'base seed', nonNegativeInt('--seed'), 0)
    .option('--threads <n>', 'cores to use: workers x threads per worker never exceed it (default: all)', positiveInt('--threads'))
    .option('--workers <n>', 'most worker threads (default: one per core)', positiveInt('--workers'))
    .option('--data-dir <dir>', 'Fashion-MNIST IDX directory (default /usr/share/datasets/fashion-mnist)')
    .action(async (o: SplitSweepCliOptions) => {
      const { dataset, family, data } = sweepData(o);
      const settings: SweepSettings = { family, data, epochs: o.epochs, runs: o.runs, batchSize: o.batch, learningRate: o.lr, seed: o.seed };
      const s = await runSweep({ dataset, settings, budgets: o.budgets, ks: o.ks, outDir: o.out, cores: o.threads ?? availableParallelism(),
        pool: { maxWorkers: o.workers } });
      console.log(`split sweep: ${s.trained.length} cell(s) trained, ${s.skipped.length} already done, ${s.unplannable.length} not plannable; records in ${o.out}/cells`);
    });
  split.command('report')
    .description('markdown report with SVG plots: grid, optimal k per budget, memory-split advantage, power-law fits')
    .requiredOption('--sweep <dir>', 'sweep directory (parsimony split sweep --out)')
    .option('--out <dir>', 'output directory (default: <sweep>/report)')
    .action(async (o: { sweep: string; out?: string }) => {
      const files = await writeSplitReport(o.sweep, o.out);
      console.log(`wrote ${files.markdown} and ${files.images.length} plot(s)`);
    });
  return split;
}
