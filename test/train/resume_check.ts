// The resume check shared by the trainer tests: a run of 2 epochs straight and one of 1 epoch + --resume 1, each
// from a freshly built task (as a new process would rebuild the model from its config, then load the checkpoint).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { train, type TrainerOptions, type TrainResult } from '../../src/train/trainer.js';
import type { TaskBatch, TrainingTask } from '../../src/train/task.js';

/** Of any task: a classification task, an LM task... */
export interface ResumePair<T> {
  straight: T;
  resumed: T;
  straightDir: string;
  resumedDir: string;
  result: TrainResult;
}

/** Trains both runs; the caller compares them and disposes both models. */
export async function trainStraightAndResumed<B extends TaskBatch, T extends TrainingTask<B>>(makeTask: () => T & TrainingTask<B>,
  opts: (outDir: string, epochs: number, resume?: boolean) => TrainerOptions): Promise<ResumePair<T>> {
  const tmp = () => mkdtempSync(join(tmpdir(), 'parsimony-resume-'));
  const straightDir = tmp(), resumedDir = tmp();
  const straight = makeTask();
  await train(straight, opts(straightDir, 2));
  const first = makeTask();
  await train(first, opts(resumedDir, 1));
  first.model.dispose();
  const resumed = makeTask();
  const result = await train(resumed, opts(resumedDir, 2, true));
  return { straight, resumed, straightDir, resumedDir, result };
}
