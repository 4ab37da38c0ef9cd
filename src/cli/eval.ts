// `parsimony eval`: evaluates a run's last checkpoint in eval mode (masked means) on the validation and/or test split.
import type { Command } from 'commander';
import { useBestBackend } from '../engine/backend.js';
import { setNumThreads } from '../engine/threads.js';
import type { SplitMetrics } from '../train/task.js';
import { oneOf, positiveInt } from './arg_parsers.js';
import { buildClassificationTask, loadClassificationData, loadTrainedClassifier, readRunConfig } from './classifier_run.js';

export const EVAL_SPLITS = ['test', 'validation', 'both'] as const;
export type EvalSplit = (typeof EVAL_SPLITS)[number];

export interface EvalCommandOptions {
  run: string;
  split?: EvalSplit;
  /** Evaluate the first N documents only; default: the whole split (whatever --max-eval the run trained with). */
  maxEval?: number;
  threads?: number;
  json?: boolean;
  log?: (line: string) => void;
}

export async function runEval(o: EvalCommandOptions): Promise<Record<string, SplitMetrics>> {
  const log = o.log ?? ((line: string) => console.log(line));
  const config = { ...readRunConfig(o.run), maxTrain: null, maxEval: o.maxEval ?? null };
  await useBestBackend();
  if (o.threads !== undefined) setNumThreads(o.threads);
  const data = loadClassificationData(config);
  const { model, epoch } = loadTrainedClassifier(o.run, config, data.dataset.vocabularySize);
  try {
    const task = buildClassificationTask(config, data, model);
    model.eval();
    const splits = o.split === 'both' ? ['validation', 'test'] as const : [o.split ?? 'test'] as const;
    const out: Record<string, SplitMetrics> = {};
    for (const split of splits) out[split] = task.evaluate(split);
    if (o.json) log(JSON.stringify({ run: o.run, epoch, ...out }));
    else {
      for (const [split, m] of Object.entries(out)) {
        log(`${task.description}, epoch ${epoch}, ${split} (${data.dataset[split as 'test'].count} documents): `
          + Object.entries(m).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', '));
      }
    }
    return out;
  } finally {
    model.dispose();
  }
}

export function registerEvalCommand(program: Command): void {
  program.command('eval')
    .description("evaluate a run's last checkpoint (eval mode: masked posterior means)")
    .requiredOption('--run <dir>', 'run directory written by parsimony train')
    .option('--split <name>', `split: ${EVAL_SPLITS.join(' | ')}`, oneOf('--split', EVAL_SPLITS), 'test')
    .option('--max-eval <n>', 'evaluate the first N documents only', positiveInt('--max-eval'))
    .option('--threads <n>', 'compute threads', positiveInt('--threads'))
    .option('--json', 'print one JSON object')
    .action(async (o: { run: string; split: EvalSplit; maxEval?: number; threads?: number; json?: boolean }) => {
      await runEval(o);
    });
}
