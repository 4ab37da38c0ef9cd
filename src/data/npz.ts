// Minimal reader for numpy .npz archives (zip of .npy; stored or deflated; little-endian numeric and unicode arrays).
import { inflateRawSync } from 'node:zlib';
import { readDataFile } from './text_file.js';
import { DataFileError } from './data_file_error.js';

export type NpyData = Int32Array | BigInt64Array | Uint8Array | Float32Array | Float64Array | string[];
export interface NpyArray { dtype: string; shape: number[]; data: NpyData }

export function readNpz(file: string): Map<string, NpyArray> {
  const buf = readDataFile(file);
  const fail = (what: string): never => { throw new DataFileError(file, `not a readable .npz archive (${what})`); };
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) if (buf.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  if (eocd < 0) fail('no zip end-of-central-directory record');
  const entries = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const arrays = new Map<string, NpyArray>();
  for (let e = 0; e < entries; e++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) fail('bad central directory entry');
    const method = buf.readUInt16LE(p + 10), compressed = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28), extraLen = buf.readUInt16LE(p + 30), commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    p += 46 + nameLen + extraLen + commentLen;
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(start, start + compressed);
    const body = method === 0 ? raw : method === 8 ? inflateRawSync(raw) : fail(`${name}: unsupported zip method ${method}`);
    arrays.set(name.replace(/\.npy$/, ''), parseNpy(body, `${file}/${name}`));
  }
  return arrays;
}

export function parseNpy(buf: Buffer, where: string): NpyArray {
  if (buf.toString('latin1', 0, 6) !== '\x93NUMPY') throw new DataFileError(where, 'missing .npy magic');
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8), headerStart = major === 1 ? 10 : 12;
  const header = buf.toString('latin1', headerStart, headerStart + headerLen);
  const dtype = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (dtype === undefined || shapeText === undefined) throw new DataFileError(where, `unparseable .npy header ${header.trim()}`);
  if (/'fortran_order':\s*True/.test(header)) throw new DataFileError(where, 'Fortran-ordered arrays are not supported');
  const shape = shapeText.split(',').map((s) => s.trim()).filter((s) => s).map(Number);
  const n = shape.reduce((a, b) => a * b, 1);
  const bytes = buf.subarray(headerStart + headerLen);
  const copy = (bytesPer: number) => { const out = new Uint8Array(n * bytesPer); out.set(bytes.subarray(0, n * bytesPer)); return out.buffer; };
  const unicode = /^<U(\d+)$/.exec(dtype);
  let data: NpyData;
  if (dtype === '<i4') data = new Int32Array(copy(4));
  else if (dtype === '<i8') data = new BigInt64Array(copy(8));
  else if (dtype === '|u1' || dtype === '|b1') data = new Uint8Array(copy(1));
  else if (dtype === '<f4') data = new Float32Array(copy(4));
  else if (dtype === '<f8') data = new Float64Array(copy(8));
  else if (unicode) {
    const width = Number(unicode[1]), codes = new Uint32Array(copy(4 * width));
    data = Array.from({ length: n }, (_, i) => {
      let s = '';
      for (let k = i * width; k < (i + 1) * width && codes[k] !== 0; k++) s += String.fromCodePoint(codes[k]);
      return s;
    });
  } else throw new DataFileError(where, `unsupported dtype ${dtype}`);
  return { dtype, shape, data };
}

/** An integer array of the archive as Int32Array, checking presence, type and range. */
export function npzInt32(arrays: Map<string, NpyArray>, key: string, file: string): Int32Array {
  const a = arrays.get(key);
  if (!a) throw new DataFileError(file, `missing array '${key}' (has: ${[...arrays.keys()].join(', ')})`);
  if (a.data instanceof Int32Array) return a.data;
  if (a.data instanceof BigInt64Array) {
    const out = new Int32Array(a.data.length);
    for (let i = 0; i < out.length; i++) {
      const v = a.data[i];
      if (v > 0x7fffffffn || v < -0x80000000n) throw new DataFileError(file, `array '${key}' value ${v} at ${i} does not fit int32`);
      out[i] = Number(v);
    }
    return out;
  }
  throw new DataFileError(file, `array '${key}' has dtype ${a.dtype}, expected an integer type`);
}
