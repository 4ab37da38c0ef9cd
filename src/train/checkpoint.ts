// A training checkpoint: one binary file holding a JSON header (epoch, seed, run config, optimizer step, tensor
// table) followed by the raw float32 values of every parameter and optimizer slot. Binary because an IMDB model with
// its Adam moments is ~100 MB of floats; the values round-trip bit-exactly, which an exact resume needs.
import { readFileSync } from 'node:fs';
import { DataFileError } from '../data/data_file_error.js';
import type { OptimizerState } from '../engine/optim/optimizer.js';
import { writeFileAtomic } from '../data/write_file_atomic.js';

const MAGIC = 'PARSIMONY-CKPT-1';

export interface Checkpoint {
  /** Epochs completed. */
  epoch: number;
  /** The run seed (noise and shuffles of epoch e derive from it). */
  seed: number;
  /** The run's configuration as the CLI (or caller) gave it, for rebuilding the task. */
  config: Record<string, unknown>;
  /** Parameter values by dotted path. */
  parameters: Map<string, { shape: number[]; values: Float32Array }>;
  optimizer: OptimizerState;
}

interface TensorEntry { name: string; shape: number[]; offset: number; length: number }

interface Header {
  format: typeof MAGIC;
  epoch: number;
  seed: number;
  config: Record<string, unknown>;
  optimizerStep: number;
  /** Slot keys and how many slots each has, in file order. */
  optimizerSlots: { key: string; count: number }[];
  tensors: TensorEntry[];
}

/** Writes the checkpoint atomically to `path`. */
export function saveCheckpoint(path: string, c: Checkpoint): void {
  const tensors: TensorEntry[] = [];
  const blobs: Float32Array[] = [];
  let offset = 0;
  const add = (name: string, shape: number[], values: Float32Array): void => {
    tensors.push({ name, shape, offset, length: values.length });
    blobs.push(values);
    offset += values.byteLength;
  };
  for (const [name, p] of c.parameters) add(`param:${name}`, p.shape, p.values);
  const optimizerSlots = Object.entries(c.optimizer.slots).map(([key, slots]) => {
    slots.forEach((values, k) => add(`slot:${k}:${key}`, [values.length], values));
    return { key, count: slots.length };
  });
  const header: Header = { format: MAGIC, epoch: c.epoch, seed: c.seed, config: c.config, optimizerStep: c.optimizer.step, optimizerSlots, tensors };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const prefix = Buffer.alloc(align8(MAGIC.length + 4 + headerBytes.length));
  prefix.write(MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(headerBytes.length, MAGIC.length);
  headerBytes.copy(prefix, MAGIC.length + 4);
  writeFileAtomic(path, [prefix, ...blobs.map((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength))]);
}

export function loadCheckpoint(path: string): Checkpoint {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new DataFileError(path, `cannot read checkpoint (${(e as Error).message})`);
  }
  if (bytes.length < MAGIC.length + 4 || bytes.toString('latin1', 0, MAGIC.length) !== MAGIC) {
    throw new DataFileError(path, `not a parsimony checkpoint (expected it to start with "${MAGIC}")`);
  }
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  let header: Header;
  try {
    header = JSON.parse(bytes.toString('utf8', MAGIC.length + 4, MAGIC.length + 4 + headerLength)) as Header;
  } catch (e) {
    throw new DataFileError(path, `checkpoint header is not valid JSON (${(e as Error).message})`);
  }
  const dataStart = align8(MAGIC.length + 4 + headerLength);
  const read = (t: TensorEntry): Float32Array => {
    const begin = dataStart + t.offset, end = begin + 4 * t.length;
    if (end > bytes.length) throw new DataFileError(path, `checkpoint is truncated: ${t.name} needs bytes up to ${end}, file has ${bytes.length}`);
    const out = new Float32Array(t.length); // a copy, aligned whatever the Buffer's pool offset
    new Uint8Array(out.buffer).set(bytes.subarray(begin, end));
    return out;
  };
  const byName = new Map(header.tensors.map((t) => [t.name, t]));
  const parameters = new Map<string, { shape: number[]; values: Float32Array }>();
  for (const t of header.tensors) if (t.name.startsWith('param:')) parameters.set(t.name.slice(6), { shape: t.shape, values: read(t) });
  const slots: Record<string, Float32Array[]> = {};
  for (const { key, count } of header.optimizerSlots) {
    slots[key] = Array.from({ length: count }, (_, k) => {
      const t = byName.get(`slot:${k}:${key}`);
      if (!t) throw new DataFileError(path, `checkpoint lacks optimizer slot ${k} of ${key}`);
      return read(t);
    });
  }
  return { epoch: header.epoch, seed: header.seed, config: header.config, parameters, optimizer: { step: header.optimizerStep, slots } };
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}
