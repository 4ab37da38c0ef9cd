// `parsimony train`: trains the sparse text classifier on IMDB, AG News or the package-shipped SpamAssassin corpus,
// writing metrics.jsonl, structure.json, config.json and a checkpoint per epoch into --out; --resume continues.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { useBestBackend } from '../engine/backend.js';
import { getNumThreads, setNumThreads } from '../engine/threads.js';
import { buildOrLoadPpmiEmbeddings } from '../data/ppmi_embedding_cache.js';
import { unpaddedSequences } from '../data/ppmi_embeddings.js';
import { parsimonyCacheDir } from '../data/imdb_archive.js';
import type { SparseTextClassifier } from '../nn/sparse_text_classifier.js';
import { train } from '../train/trainer.js';
import { CONFIG_FILE } from '../train/run_files.js';
import { positiveInt, nonNegativeInt, positiveNumber, oneOf } from './arg_parsers.js';
import {
  CLASSIFICATION_TASKS, EMBEDDING_INITS, buildClassificationTask, buildClassifier, loadClassificationData, readConfigFile,
  readRunConfig, resolveRunConfig, type ClassifierRunConfig, type LoadedClassificationData,
} from './classifier_run.js';

export interface TrainCommandOptions {
  /** Settings given explicitly (flags); undefined = not given. */
  flags: Partial<ClassifierRunConfig>;
  configFile?: string;
  out: string;
  resume?: boolean;
  threads?: number;
  /** Progress stream; null = silent (tests). */
  progress?: NodeJS.WriteStream | null;
  log?: (line: string) => void;
}

/** Settings that may change when resuming (the rest must match the run's config.json). */
const RESUMABLE_CHANGES: readonly (keyof ClassifierRunConfig)[] = ['epochs'];

export async function runTrain(o: TrainCommandOptions): Promise<void> {
  const log = o.log ?? ((line: string) => console.log(line));
  let config: ClassifierRunConfig;
  if (o.resume) {
    if (!existsSync(join(o.out, CONFIG_FILE))) throw new Error(`--resume: ${join(o.out, CONFIG_FILE)} does not exist (no run to resume in ${o.out})`);
    const saved = readRunConfig(o.out);
    const fromFile = o.configFile ? readConfigFile(o.configFile) : {};
    const requested = { ...fromFile, ...o.flags } as Partial<ClassifierRunConfig>;
    for (const [key, value] of Object.entries(requested) as [keyof ClassifierRunConfig, unknown][]) {
      if (value === undefined || RESUMABLE_CHANGES.includes(key)) continue;
      if (JSON.stringify(value) !== JSON.stringify(saved[key])) {
        throw new Error(`--resume: ${key} is ${JSON.stringify(saved[key])} in ${join(o.out, CONFIG_FILE)}; a resumed run cannot change it to ${JSON.stringify(value)} (only ${RESUMABLE_CHANGES.join(', ')} may change)`);
      }
    }
    config = { ...saved, epochs: requested.epochs ?? saved.epochs };
  } else {
    config = resolveRunConfig(o.flags, o.configFile ? readConfigFile(o.configFile) : {}, o.configFile ?? 'the flags');
  }

  const backend = await useBestBackend();
  if (o.threads !== undefined) setNumThreads(o.threads);
  const t0 = performance.now();
  const data = loadClassificationData(config);
  log(`backend ${backend} (${getNumThreads()} threads) | ${data.summary} | loaded in ${((performance.now() - t0) / 1e3).toFixed(1)} s`);
  const model = buildClassifier(config, data.dataset.vocabularySize);
  try {
    if (!o.resume && config.embeddings === 'ppmi') initPpmiEmbeddings(model, config, data, log);
    const task = buildClassificationTask(config, data, model);
    log(`model: ${task.description}, embedding ${data.dataset.vocabularySize} x ${config.embeddingDim}, ${model.parameterCount()} parameters, `
      + `${task.stepsPerEpoch()} steps per epoch of ${config.batch}`);
    await train(task, {
      epochs: config.epochs, learningRate: config.lr, clipNorm: config.clipNorm ?? undefined, seed: config.seed, outDir: o.out,
      resume: o.resume, progress: o.progress, config: { ...config, vocabularySize: data.dataset.vocabularySize },
    });
  } finally {
    model.dispose();
  }
}

/**
 * Spec §6.3 initialises the embedding with pretrained vectors; offline, PPMI vectors built from the training split
 * stand in (rnn-practical-notes note 2), built from the whole training split (whatever --max-train is) and cached
 * under the parsimony cache folder.
 */
function initPpmiEmbeddings(model: SparseTextClassifier, config: ClassifierRunConfig, data: LoadedClassificationData, log: (line: string) => void): void {
  const t0 = performance.now();
  const cacheFile = join(parsimonyCacheDir(), `ppmi-${config.task}-${data.dataset.vocabularySize}x${config.embeddingDim}.bin`);
  const e = buildOrLoadPpmiEmbeddings(cacheFile, unpaddedSequences(data.fullTrain), data.dataset.vocabularySize, { dim: config.embeddingDim });
  const rows = model.initEmbeddings(e.vectors, e.dim, e.rowsWithVector);
  log(`embeddings: PPMI vectors for ${rows} of ${e.vocabSize} ids ${e.fromCache ? `from ${cacheFile}` : `built and cached in ${cacheFile}`} `
    + `(${((performance.now() - t0) / 1e3).toFixed(1)} s)`);
}

export function registerTrainCommand(program: Command): void {
  program.command('train')
    .description('train a sparse LSTM text classifier; writes metrics.jsonl, structure.json, config.json and checkpoint.bin into --out')
    .option('--task <name>', `dataset: ${CLASSIFICATION_TASKS.join(' | ')} (spam ships with the package)`, oneOf('--task', CLASSIFICATION_TASKS))
    .option('--preset <name|config>', 'sparsification: dense, sparsevd, sparsevd-voc, w+n, w+g+n, or a 6-character config such as LLLLLL')
    .option('--epochs <n>', 'total epochs (with --resume: continue up to this many)', positiveInt('--epochs'))
    .requiredOption('--out <dir>', 'run directory')
    .option('--resume', 'continue the run in --out from its last checkpoint (bit-identical to an uninterrupted run)')
    .option('--config <file>', 'JSON file of settings (task, preset, epochs, hidden, embeddingDim, batch, lr, clipNorm, seed, maxTrain, maxEval, dataDir, embeddings); flags override it')
    .option('--hidden <n>', 'LSTM units (imdb 128, agnews 512, spam 64)', positiveInt('--hidden'))
    .option('--embedding-dim <n>', 'embedding size (imdb, agnews 300; spam 64)', positiveInt('--embedding-dim'))
    .option('--batch <n>', 'documents per mini-batch (imdb, agnews 128; spam 64)', positiveInt('--batch'))
    .option('--lr <x>', 'Adam learning rate (imdb, agnews 5e-4; spam 1e-3)', positiveNumber('--lr'))
    .option('--clip-norm <x>', 'clip gradients to this global norm (default: none, as spec §6.4)', positiveNumber('--clip-norm'))
    .option('--seed <n>', 'run seed: initialisation, noise and shuffles (default 1)', nonNegativeInt('--seed'))
    .option('--threads <n>', 'compute threads (default: all cores or PARSIMONY_THREADS)', positiveInt('--threads'))
    .option('--max-train <n>', 'train on the first N training documents only (quick runs)', positiveInt('--max-train'))
    .option('--max-eval <n>', 'evaluate the first N validation and test documents only (quick runs)', positiveInt('--max-eval'))
    .option('--data-dir <dir>', 'dataset folder (default ../shared/data/text/imdb or ../shared/data/text/ag_news)')
    .option('--embeddings <kind>', `embedding initialisation: ${EMBEDDING_INITS.join(' | ')} (default ppmi for imdb, agnews; none for spam)`, oneOf('--embeddings', EMBEDDING_INITS))
    .action(async (o: Record<string, unknown>) => {
      await runTrain({
        flags: {
          task: o.task as ClassifierRunConfig['task'] | undefined, preset: o.preset as string | undefined, epochs: o.epochs as number | undefined,
          hidden: o.hidden as number | undefined, embeddingDim: o.embeddingDim as number | undefined, batch: o.batch as number | undefined,
          lr: o.lr as number | undefined, clipNorm: o.clipNorm as number | undefined, seed: o.seed as number | undefined,
          maxTrain: o.maxTrain as number | undefined, maxEval: o.maxEval as number | undefined, dataDir: o.dataDir as string | undefined,
          embeddings: o.embeddings as ClassifierRunConfig['embeddings'] | undefined,
        },
        configFile: o.config as string | undefined, out: o.out as string, resume: o.resume === true, threads: o.threads as number | undefined,
      });
    });
}
