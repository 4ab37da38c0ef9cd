// Helpers for the text-loader tests: temp dirs, a tiny .npz writer, and the shipped-data location.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';

/** ../shared/data/text relative to the repository root. */
export const SHIPPED_TEXT_DIR = fileURLToPath(new URL('../../../shared/data/text/', import.meta.url));
/** `skip` option for tests on shipped data: false when present, else the reason. */
export function shippedSkip(sub: string): string | false {
  return existsSync(join(SHIPPED_TEXT_DIR, sub)) ? false : `shipped data not found at ${join(SHIPPED_TEXT_DIR, sub)}`;
}

/** Writes `files` (relative path -> contents) under a fresh temp dir and returns it. */
export function writeTree(files: Record<string, string | Buffer>): string {
  const root = mkdtempSync(join(tmpdir(), 'parsimony-text-'));
  for (const [rel, body] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), body);
  }
  return root;
}

/** One .npy version-1 file for a 1-D int32 / int64 array (the npz test checks the reader against this layout). */
export function npyBytes(values: readonly number[], dtype: '<i4' | '<i8'): Buffer {
  let header = `{'descr': '${dtype}', 'fortran_order': False, 'shape': (${values.length},), }`;
  header += ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const data = dtype === '<i4' ? Buffer.from(Int32Array.from(values).buffer) : Buffer.from(BigInt64Array.from(values.map(BigInt)).buffer);
  const pre = Buffer.alloc(10);
  pre.write('\x93NUMPY', 0, 'latin1'); pre[6] = 1; pre[7] = 0; pre.writeUInt16LE(header.length, 8);
  return Buffer.concat([pre, Buffer.from(header, 'latin1'), data]);
}

/** A zip (deflated entries, CRC left 0: the reader does not check it) of name.npy entries. */
export function npzBytes(entries: Record<string, Buffer>): Buffer {
  const locals: Buffer[] = [], centrals: Buffer[] = [];
  let offset = 0;
  for (const [key, body] of Object.entries(entries)) {
    const name = Buffer.from(`${key}.npy`), packed = deflateRawSync(body);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(8, 8);
    local.writeUInt32LE(packed.length, 18); local.writeUInt32LE(body.length, 22); local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 6); central.writeUInt16LE(8, 10);
    central.writeUInt32LE(packed.length, 20); central.writeUInt32LE(body.length, 24); central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, packed);
    centrals.push(central, name);
    offset += 30 + name.length + packed.length;
  }
  const cd = Buffer.concat(centrals), end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(centrals.length / 2, 8); end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}
