// Files of a training run directory as the trainer writes them: JSON with non-finite numbers spelled out, written
// atomically (temp file + rename) so that a crash or a concurrent reader never sees half a file.
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export const METRICS_FILE = 'metrics.jsonl';
export const STRUCTURE_FILE = 'structure.json';
export const CONFIG_FILE = 'config.json';
export const CHECKPOINT_FILE = 'checkpoint.bin';

/**
 * JSON.stringify with Infinity, -Infinity and NaN written as the strings "Infinity", "-Infinity", "NaN" (JSON has
 * no such numbers and would silently write null) and typed arrays written as plain arrays.
 */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>, (x) => (Number.isFinite(x) ? x : String(x)));
    return v;
  }, indent);
}

/** Writes `data` to a temporary file beside `path`, flushes it to disk, then renames it over `path`. */
export function writeFileAtomic(path: string, data: string | Uint8Array | readonly Uint8Array[]): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    const fd = openSync(tmp, 'w');
    try {
      for (const chunk of typeof data === 'string' ? [Buffer.from(data, 'utf8')] : data instanceof Uint8Array ? [data] : data) {
        let done = 0;
        while (done < chunk.length) done += writeSync(fd, chunk, done, chunk.length - done);
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
