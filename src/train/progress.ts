// Progress display: a bar with ETA on a TTY, one line per epoch otherwise (logs, CI).
import cliProgress from 'cli-progress';

export interface Progress {
  tick(info?: Record<string, string | number>): void;
  endEpoch(summary: string): void;
}

/** `firstEpoch` numbers the bar's epochs (a resumed run starts past 1). */
export function createProgress(label: string, stepsPerEpoch: number, stream: NodeJS.WriteStream = process.stderr, firstEpoch = 1): Progress {
  if (!stream.isTTY) {
    return { tick: () => {}, endEpoch: (summary) => stream.write(`${label} ${summary}\n`) };
  }
  const bar = new cliProgress.SingleBar({
    format: `${label} {epoch} [{bar}] {value}/{total} | ETA {eta_formatted} | {metrics}`,
    stream, hideCursor: true, clearOnComplete: true,
  }, cliProgress.Presets.shades_classic);
  let epoch = firstEpoch, started = false;
  return {
    tick: (info = {}) => {
      const metrics = Object.entries(info).map(([k, v]) => `${k} ${typeof v === 'number' ? v.toFixed(3) : v}`).join(' ');
      if (!started) { bar.start(stepsPerEpoch, 0, { epoch: `epoch ${epoch}`, metrics }); started = true; }
      bar.increment(1, { metrics });
    },
    endEpoch: (summary) => {
      if (started) bar.stop();
      started = false;
      stream.write(`${label} ${summary}\n`);
      epoch += 1;
    },
  };
}
