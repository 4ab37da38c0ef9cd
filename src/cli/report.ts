// `parsimony report --run DIR [--out DIR] [--metric NAME[:max|min]]`: markdown + SVG report of a training run.
import { type Command, InvalidArgumentError } from 'commander';
import { DataFileError } from '../data/data_file_error.js';
import { knownDirection, type PrimaryMetric } from '../report/best_epoch.js';
import { writeRunReport } from '../report/write_report.js';

/** "accuracy", "accuracy:max" or "perplexity:min"; the bare form needs a metric whose direction is known by name. */
export function parseMetricOption(value: string): PrimaryMetric {
  const m = /^(.+?)(?::(max|min))?$/.exec(value.trim());
  const name = m?.[1];
  const higherIsBetter = m?.[2] === undefined ? (name ? knownDirection(name) : undefined) : m[2] === 'max';
  if (!name || higherIsBetter === undefined) {
    throw new InvalidArgumentError(`--metric: expected NAME:max or NAME:min (or a known name such as accuracy, perplexity), got "${value}"`);
  }
  return { name, higherIsBetter };
}

export function registerReportCommand(program: Command): Command {
  return program.command('report')
    .description('markdown report with SVG plots (learning curves, compression, kept structure, gate heatmap) of a training run')
    .requiredOption('--run <dir>', 'run directory holding metrics.jsonl (and config.json, structure.json)')
    .option('--out <dir>', 'output directory (default: <run>/report)')
    .option('--metric <name[:max|min]>', 'metric that decides the best validation epoch (default: config.json primaryMetric)', parseMetricOption)
    .action(async (o: { run: string; out?: string; metric?: PrimaryMetric }) => {
      try {
        const report = await writeRunReport({ runDir: o.run, outDir: o.out, primaryMetric: o.metric });
        for (const warning of report.warnings) console.warn(`parsimony report: ${warning}`);
        console.log(`wrote ${report.markdown} and ${report.images.length} plot(s)`);
      } catch (e) {
        // A bad run file is the user's input, not a bug: say what is wrong without a stack trace.
        if (!(e instanceof DataFileError)) throw e;
        console.error(`parsimony report: ${e.message}`);
        process.exitCode = 1;
      }
    });
}
