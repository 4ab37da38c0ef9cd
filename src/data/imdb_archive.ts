// The shared data folder ships IMDB's raw text as aclImdb_v1_train_test.tar.xz (spec §6.1 builds its vocabulary from
// the raw text). This unpacks it once into a cache folder, so that loadImdb can read the aclImdb layout.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DataFileError } from './data_file_error.js';

export const IMDB_ARCHIVE = 'aclImdb_v1_train_test.tar.xz';

/** $PARSIMONY_CACHE, else $XDG_CACHE_HOME/parsimony, else ~/.cache/parsimony. */
export function parsimonyCacheDir(): string {
  return process.env.PARSIMONY_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'parsimony');
}

/**
 * The path loadImdb should read: `dir` itself when it already holds an aclImdb layout or no archive; otherwise the
 * archive unpacked (once) under `cacheDir`/imdb. Unpacking goes to a temporary folder renamed at the end, so an
 * interrupted unpack is never mistaken for a complete one.
 */
export function resolveImdbDirectory(dir: string, cacheDir = parsimonyCacheDir()): string {
  const archive = join(dir, IMDB_ARCHIVE);
  if (existsSync(join(dir, 'train', 'pos')) || existsSync(join(dir, 'aclImdb', 'train', 'pos')) || !existsSync(archive)) return dir;
  const target = join(cacheDir, 'imdb');
  if (existsSync(join(target, 'aclImdb', 'train', 'pos'))) return target;
  mkdirSync(cacheDir, { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    execFileSync('tar', ['-xJf', archive, '-C', tmp], { stdio: ['ignore', 'ignore', 'pipe'] });
    rmSync(target, { recursive: true, force: true });
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw new DataFileError(archive, `cannot unpack into ${target} (${(e as Error).message.split('\n')[0]})`);
  }
  return target;
}
