// The versioned JSON documents Parsimony saves (malware detectors, compact models): one object with `format` and
// `version` fields, binary arrays as base64 of their little-endian bytes. Loading checks every field through
// JsonFieldReader, whose errors name the file and the field.
import { readFileSync } from 'node:fs';
import { DataFileError } from './data_file_error.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** base64 of a typed array's bytes (exact round trip, a third of the size of decimal text). */
export function base64Of(a: ArrayBufferView): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

/** Reads typed fields of a parsed document; every error names the file and the field ("<what> field <field> ..."). */
export class JsonFieldReader {
  constructor(readonly file: string, readonly what: string) {}

  error(field: string, why: string): DataFileError {
    return new DataFileError(this.file, `${this.what} field ${field} ${why}`);
  }

  object(v: Json | undefined, field: string): JsonObject {
    if (v === null || v === undefined || typeof v !== 'object' || Array.isArray(v)) throw this.error(field, 'is missing or not an object');
    return v;
  }

  count(v: Json | undefined, field: string, min = 0): number {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      throw this.error(field, `is ${JSON.stringify(v)}, expected ${min === 0 ? 'a non-negative integer' : `an integer >= ${min}`}`);
    }
    return v;
  }

  oneOf<T extends string>(v: Json | undefined, field: string, allowed: readonly T[]): T {
    if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
      throw this.error(field, `is ${JSON.stringify(v)}, expected one of ${allowed.join(', ')}`);
    }
    return v as T;
  }

  strings(v: Json | undefined, field: string): string[] {
    if (!Array.isArray(v)) throw this.error(field, 'is missing or not an array');
    v.forEach((s, i) => { if (typeof s !== 'string') throw this.error(`${field}[${i}]`, `is ${JSON.stringify(s)}, expected a string`); });
    return v as string[];
  }

  /** The bytes of a base64 field. */
  base64(v: Json | undefined, field: string): Buffer {
    if (typeof v !== 'string') throw this.error(field, 'is missing or not a base64 string');
    return Buffer.from(v, 'base64');
  }
}

/** The text of a saved document; a read failure names the file and what it should hold. */
export function readDocumentText(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new DataFileError(path, `cannot read the ${what}: ${(e as Error).message}`);
  }
}

/** Parses document text and checks its format name and version; returns the root object. */
export function parseVersionedDocument(text: string, r: JsonFieldReader, format: string, version: number): JsonObject {
  let root: Json;
  try {
    root = JSON.parse(text) as Json;
  } catch (e) {
    throw new DataFileError(r.file, `not JSON: ${(e as Error).message}`);
  }
  const o = r.object(root, '(root)');
  if (o.format !== format) throw r.error('format', `is ${JSON.stringify(o.format)}, expected "${format}"`);
  if (o.version !== version) throw r.error('version', `is ${JSON.stringify(o.version)}, expected ${version} (written by another parsimony version?)`);
  return o;
}
