#!/usr/bin/env node
// The `parsimony` command line.
import { Command, InvalidArgumentError } from 'commander';
import { runDemo } from './demo.js';
import { registerTrainCommand } from './train.js';
import { registerEvalCommand } from './eval.js';
import { registerCompressCommand } from './compress.js';
import { registerReportCommand } from './report.js';

function int(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer, got "${v}"`);
    return n;
  };
}
function positive(name: string) {
  return (v: string) => {
    const n = Number(v);
    if (!(n > 0)) throw new InvalidArgumentError(`${name} must be a positive number, got "${v}"`);
    return n;
  };
}

const program = new Command('parsimony').description('Small, fast and trustworthy sequence models on TensorFlow.js');

program.command('demo')
  .description('short char-level LSTM language model on Moby Dick (built-in data, no download)')
  .option('--epochs <n>', 'epochs', int('--epochs'), 4)
  .option('--steps-per-epoch <n>', 'training steps per epoch', int('--steps-per-epoch'), 200)
  .option('--hidden <n>', 'LSTM units', int('--hidden'), 256)
  .option('--batch <n>', 'sequences per batch', int('--batch'), 32)
  .option('--seq-len <n>', 'characters per sequence', int('--seq-len'), 64)
  .option('--vocab <n>', 'character vocabulary size', int('--vocab'), 64)
  .option('--lr <x>', 'Adam learning rate', positive('--lr'), 3e-3)
  .option('--seed <n>', 'random seed', int('--seed'), 1)
  .action(async (o) => {
    await runDemo({ epochs: o.epochs, stepsPerEpoch: o.stepsPerEpoch, hidden: o.hidden, batch: o.batch, seqLen: o.seqLen,
      vocab: o.vocab, learningRate: o.lr, seed: o.seed });
  });

registerReportCommand(program);

registerTrainCommand(program);
registerEvalCommand(program);
registerCompressCommand(program);

try {
  await program.parseAsync();
} catch (e) {
  // Bad settings and data files are the user's to fix: say what is wrong, without a stack trace.
  console.error(`parsimony: error: ${(e as Error).message}`);
  process.exitCode = 1;
}
