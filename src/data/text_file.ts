// Reads a text data file that may be shipped xz-compressed (FILE or FILE.xz).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { DataFileError } from './data_file_error.js';

/** The path of `file` or, failing that, of `file.xz`; throws naming both when neither exists. */
export function resolveDataFile(file: string): string {
  if (existsSync(file)) return file;
  if (!file.endsWith('.xz') && existsSync(`${file}.xz`)) return `${file}.xz`;
  throw new DataFileError(file, `missing file (expected ${file} or ${file}.xz)`);
}

/** UTF-8 contents of `file` or `file.xz`; xz has no Node built-in, so it goes through the `xz` tool. */
export function readTextFile(file: string): string {
  return readDataFile(file).toString('utf8');
}

export function readDataFile(file: string): Buffer {
  const path = resolveDataFile(file);
  if (!path.endsWith('.xz')) return readFileSync(path);
  try {
    return execFileSync('xz', ['-dc', path], { maxBuffer: 64 * statSync(path).size + (1 << 20), stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new DataFileError(path, `cannot decompress with xz (${(e as Error).message.split('\n')[0]})`);
  }
}

/** Throws a DataFileError unless `dir` is an existing directory. */
export function requireDirectory(dir: string, what: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new DataFileError(dir, `missing directory (expected ${what})`);
}
