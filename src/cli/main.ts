#!/usr/bin/env node
// The `parsimony` command line.
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_DEMO_DIR, DEMO_DEFAULTS, runDemo } from './demo.js';
import { registerTrainCommand } from './train.js';
import { registerEvalCommand } from './eval.js';
import { registerCompressCommand } from './compress.js';
import { registerReportCommand } from './report.js';
import { registerSplitCommand } from './split.js';
import { registerMalwareCommand } from './malware.js';

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
  .description('the Quick start: a short sparse-LSTM spam classifier on SpamAssassin (ships with the package, no download)')
  .option('--preset <name|config>', 'sparsification: dense, sparsevd, sparsevd-voc, w+n, w+g+n or a 6-character config', DEMO_DEFAULTS.preset)
  .option('--epochs <n>', 'epochs', int('--epochs'), DEMO_DEFAULTS.epochs)
  .option('--hidden <n>', 'LSTM units', int('--hidden'), DEMO_DEFAULTS.hidden)
  .option('--embedding-dim <n>', 'embedding size', int('--embedding-dim'), DEMO_DEFAULTS.embeddingDim)
  .option('--batch <n>', 'messages per mini-batch', int('--batch'), DEMO_DEFAULTS.batch)
  .option('--lr <x>', 'Adam learning rate', positive('--lr'), DEMO_DEFAULTS.lr)
  .option('--seed <n>', 'random seed', int('--seed'), DEMO_DEFAULTS.seed)
  .option('--no-ppmi', 'random embedding init instead of PPMI vectors of the training split')
  .option('--threads <n>', 'compute threads (default: all cores or PARSIMONY_THREADS)', int('--threads'))
  .option('--out <dir>', 'run directory, overwritten each time', DEFAULT_DEMO_DIR)
  .action(async (o) => {
    await runDemo({ preset: o.preset, epochs: o.epochs, hidden: o.hidden, embeddingDim: o.embeddingDim, batch: o.batch, lr: o.lr,
      seed: o.seed, embeddings: o.ppmi ? 'ppmi' : 'none', out: o.out, threads: o.threads });
  });

registerReportCommand(program);

registerTrainCommand(program);
registerEvalCommand(program);
registerCompressCommand(program);
registerSplitCommand(program);
registerMalwareCommand(program);

try {
  await program.parseAsync();
} catch (e) {
  // Bad settings and data files are the user's to fix: say what is wrong, without a stack trace.
  console.error(`parsimony: error: ${(e as Error).message}`);
  process.exitCode = 1;
}
