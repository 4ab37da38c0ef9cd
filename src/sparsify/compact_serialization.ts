// Save / load of a compact text classifier: one JSON file, typed arrays as base64 of their little-endian bytes (exact
// round trip). Written atomically (temp file + rename); loading names the file and the field that is wrong.
import { DataFileError } from '../data/data_file_error.js';
import { writeFileAtomic } from '../data/write_file_atomic.js';
import { base64Of, JsonFieldReader, parseVersionedDocument, readDocumentText, type Json } from '../data/json_document.js';
import type { StoredMatrix } from './csr.js';
import { gateCount, type CompactCell, type CompactSummary, type CompactTextClassifierData } from './compact_model.js';
import { CompactTextClassifier, checkCompactData } from './compact_text_classifier.js';

export const COMPACT_MODEL_FORMAT = 'parsimony-compact-text-classifier';
export const COMPACT_MODEL_VERSION = 1;

type TypedArray = Float32Array | Int32Array | Uint8Array;

export function saveCompactModel(path: string, model: CompactTextClassifier): void {
  const d = model.data, cell = d.cell;
  const json = {
    format: COMPACT_MODEL_FORMAT, version: COMPACT_MODEL_VERSION,
    vocabSize: d.vocabSize, classes: d.classes,
    keptWords: base64Of(d.keptWords), keptInputs: base64Of(d.keptInputs), keptHidden: base64Of(d.keptHidden),
    embedding: encodeMatrix(d.embedding), outputWeights: encodeMatrix(d.outputWeights), outputBias: base64Of(d.outputBias),
    cell: {
      kind: cell.kind, gateActivation: cell.gateActivation, hiddenSize: cell.hiddenSize,
      inputWeights: encodeMatrix(cell.inputWeights), hiddenWeights: encodeMatrix(cell.hiddenWeights),
      gateColumns: base64Of(cell.gateColumns), constantGates: base64Of(cell.constantGates),
      gateConstants: base64Of(cell.gateConstants), gateBias: base64Of(cell.gateBias),
      candidateRecurrentBias: cell.candidateRecurrentBias ? base64Of(cell.candidateRecurrentBias) : null,
      hiddenScale: cell.hiddenScale ? base64Of(cell.hiddenScale) : null,
    },
    summary: d.summary,
  };
  writeFileAtomic(path, JSON.stringify(json));
}

export function loadCompactModel(path: string): CompactTextClassifier {
  const r = new CompactFieldReader(path);
  const o = parseVersionedDocument(readDocumentText(path, 'compact model'), r, COMPACT_MODEL_FORMAT, COMPACT_MODEL_VERSION);
  const c = r.object(o.cell, 'cell');
  const kind = r.oneOf(c.kind, 'cell.kind', ['lstm', 'gru'] as const);
  const hiddenSize = r.count(c.hiddenSize, 'cell.hiddenSize');
  const slots = gateCount(kind) * hiddenSize;
  const cell: CompactCell = {
    kind, hiddenSize,
    gateActivation: r.oneOf(c.gateActivation, 'cell.gateActivation', ['sigmoid', 'hardSigmoid'] as const),
    inputWeights: r.matrix(c.inputWeights, 'cell.inputWeights'),
    hiddenWeights: r.matrix(c.hiddenWeights, 'cell.hiddenWeights'),
    gateColumns: r.array(c.gateColumns, 'cell.gateColumns', Int32Array, slots),
    constantGates: r.array(c.constantGates, 'cell.constantGates', Uint8Array, slots),
    gateConstants: r.array(c.gateConstants, 'cell.gateConstants', Float32Array, slots),
    gateBias: r.array(c.gateBias, 'cell.gateBias', Float32Array, slots),
  };
  if (kind === 'gru') {
    cell.candidateRecurrentBias = r.array(c.candidateRecurrentBias, 'cell.candidateRecurrentBias', Float32Array, hiddenSize);
    cell.hiddenScale = r.array(c.hiddenScale, 'cell.hiddenScale', Float32Array, hiddenSize);
  }
  const classes = r.count(o.classes, 'classes');
  const data: CompactTextClassifierData = {
    cell, vocabSize: r.count(o.vocabSize, 'vocabSize'), classes,
    keptWords: r.array(o.keptWords, 'keptWords', Int32Array),
    keptInputs: r.array(o.keptInputs, 'keptInputs', Int32Array),
    keptHidden: r.array(o.keptHidden, 'keptHidden', Int32Array, hiddenSize),
    embedding: r.matrix(o.embedding, 'embedding'),
    outputWeights: r.matrix(o.outputWeights, 'outputWeights'),
    outputBias: r.array(o.outputBias, 'outputBias', Float32Array, classes),
    summary: r.object(o.summary, 'summary') as unknown as CompactSummary,
  };
  try {
    checkCompactData(data);
    return new CompactTextClassifier(data);
  } catch (e) {
    throw new DataFileError(path, (e as Error).message);
  }
}

function encodeMatrix(m: StoredMatrix): Json {
  return m.format === 'dense'
    ? { format: 'dense', rows: m.rows, cols: m.cols, values: base64Of(m.values) }
    : { format: 'csr', rows: m.rows, cols: m.cols, rowStart: base64Of(m.rowStart), columns: base64Of(m.columns), values: base64Of(m.values) };
}

/** The compact model's fields, plus its typed arrays and stored matrices. */
class CompactFieldReader extends JsonFieldReader {
  constructor(file: string) {
    super(file, 'compact model');
  }

  array<A extends TypedArray>(v: Json | undefined, field: string, type: { new (n: number): A; BYTES_PER_ELEMENT: number },
    length?: number): A {
    const bytes = this.base64(v, field);
    if (bytes.length % type.BYTES_PER_ELEMENT !== 0) throw this.error(field, `has ${bytes.length} bytes, not a multiple of ${type.BYTES_PER_ELEMENT}`);
    const n = bytes.length / type.BYTES_PER_ELEMENT;
    if (length !== undefined && n !== length) throw this.error(field, `has ${n} entries, expected ${length}`);
    const out = new type(n);
    new Uint8Array(out.buffer).set(bytes);
    return out;
  }

  matrix(v: Json | undefined, field: string): StoredMatrix {
    const o = this.object(v, field);
    const format = this.oneOf(o.format, `${field}.format`, ['dense', 'csr'] as const);
    const rows = this.count(o.rows, `${field}.rows`), cols = this.count(o.cols, `${field}.cols`);
    if (format === 'dense') return { format, rows, cols, values: this.array(o.values, `${field}.values`, Float32Array, rows * cols) };
    const rowStart = this.array(o.rowStart, `${field}.rowStart`, Int32Array, rows + 1);
    const values = this.array(o.values, `${field}.values`, Float32Array);
    const columns = this.array(o.columns, `${field}.columns`, Int32Array, values.length);
    for (let i = 0; i < rows; i++) {
      if (rowStart[i] > rowStart[i + 1]) throw this.error(`${field}.rowStart`, `decreases at row ${i}`);
    }
    if (rowStart[0] !== 0 || rowStart[rows] !== values.length) throw this.error(`${field}.rowStart`, `must run from 0 to ${values.length}`);
    columns.forEach((c, i) => { if (c < 0 || c >= cols) throw this.error(`${field}.columns`, `[${i}] = ${c}, expected [0, ${cols})`); });
    return { format, rows, cols, rowStart, columns, values };
  }
}
