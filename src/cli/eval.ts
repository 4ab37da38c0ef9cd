// `parsimony eval`: evaluates a run's last checkpoint in eval mode (masked means) on the validation and/or test split.
import type { Command } from 'commander';
import { useBestBackend } from '../engine/backend.js';
import { setNumThreads } from '../engine/threads.js';
import { CHAR_WINDOW_LENGTH, charWindowCount } from '../data/char_lm_windows.js';
import type { SplitMetrics } from '../train/task.js';
import { oneOf, positiveInt } from './arg_parsers.js';
import { buildClassificationTask, loadClassificationData, loadTrainedClassifier, readRunConfig } from './classifier_run.js';
import {
  isLanguageModelTask, LANGUAGE_MODEL_LEVELS, loadLanguageModelData, loadTrainedLanguageModelTask, readLanguageModelRunConfig,
} from './language_model_run.js';
import { readSavedRunFile } from './run_config.js';

export const EVAL_SPLITS = ['test', 'validation', 'both'] as const;
export type EvalSplit = (typeof EVAL_SPLITS)[number];

export interface EvalCommandOptions {
  run: string;
  split?: EvalSplit;
  /** Evaluate the first N documents (classifiers), windows (char LMs) or tokens (word LMs) only; default: the whole split (whatever --max-eval the run trained with). */
  maxEval?: number;
  threads?: number;
  json?: boolean;
  log?: (line: string) => void;
}

export async function runEval(o: EvalCommandOptions): Promise<Record<string, SplitMetrics>> {
  return isLanguageModelTask(readSavedRunFile(o.run).saved.task) ? evalLanguageModel(o) : evalClassifier(o);
}

async function evalClassifier(o: EvalCommandOptions): Promise<Record<string, SplitMetrics>> {
  const log = o.log ?? ((line: string) => console.log(line));
  const config = { ...readRunConfig(o.run), maxTrain: null, maxEval: o.maxEval ?? null };
  await useBestBackend();
  if (o.threads !== undefined) setNumThreads(o.threads);
  const data = loadClassificationData(config);
  const { model, epoch } = loadTrainedClassifier(o.run, config, data.dataset.vocabularySize);
  try {
    const task = buildClassificationTask(config, data, model);
    model.eval();
    const out = evaluateSplits(o.split, (split) => task.evaluate(split));
    if (o.json) log(JSON.stringify({ run: o.run, epoch, ...out }));
    else {
      for (const [split, m] of Object.entries(out)) {
        log(`${task.description}, epoch ${epoch}, ${split} (${data.dataset[split as 'test'].count} documents): `
          + formatMetrics(m));
      }
    }
    return out;
  } finally {
    model.dispose();
  }
}

async function evalLanguageModel(o: EvalCommandOptions): Promise<Record<string, SplitMetrics>> {
  const log = o.log ?? ((line: string) => console.log(line));
  const config = { ...readLanguageModelRunConfig(o.run), maxTrain: null, maxEval: o.maxEval ?? null, maxSteps: null };
  await useBestBackend();
  if (o.threads !== undefined) setNumThreads(o.threads);
  const data = loadLanguageModelData(config);
  const { task, epoch } = loadTrainedLanguageModelTask(o.run, config, data);
  try {
    task.model.eval();
    const out = evaluateSplits(o.split, (split) => task.evaluate(split));
    const size = (tokens: Int32Array): string => (LANGUAGE_MODEL_LEVELS[config.task] === 'char'
      ? `${charWindowCount(tokens.length)} windows of ${CHAR_WINDOW_LENGTH} characters` : `${tokens.length} tokens`);
    if (o.json) log(JSON.stringify({ run: o.run, epoch, ...out }));
    else {
      for (const [split, m] of Object.entries(out)) {
        log(`${task.description}, epoch ${epoch}, ${split} (${size(split === 'validation' ? data.corpus.valid : data.corpus.test)}): ${formatMetrics(m)}`);
      }
    }
    return out;
  } finally {
    task.model.dispose();
  }
}

function evaluateSplits(split: EvalSplit | undefined, evaluate: (split: 'validation' | 'test') => SplitMetrics): Record<string, SplitMetrics> {
  const splits = split === 'both' ? ['validation', 'test'] as const : [split ?? 'test'] as const;
  const out: Record<string, SplitMetrics> = {};
  for (const s of splits) out[s] = evaluate(s);
  return out;
}

function formatMetrics(m: SplitMetrics): string {
  return Object.entries(m).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ');
}

export function registerEvalCommand(program: Command): void {
  program.command('eval')
    .description("evaluate a run's last checkpoint (eval mode: masked posterior means)")
    .requiredOption('--run <dir>', 'run directory written by parsimony train')
    .option('--split <name>', `split: ${EVAL_SPLITS.join(' | ')}`, oneOf('--split', EVAL_SPLITS), 'test')
    .option('--max-eval <n>', 'evaluate the first N documents (classifiers), windows of 100 characters (char LMs) or tokens (word-ptb) only', positiveInt('--max-eval'))
    .option('--threads <n>', 'compute threads', positiveInt('--threads'))
    .option('--json', 'print one JSON object')
    .action(async (o: { run: string; split: EvalSplit; maxEval?: number; threads?: number; json?: boolean }) => {
      await runEval(o);
    });
}
