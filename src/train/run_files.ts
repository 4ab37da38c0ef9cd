// Files of a training run directory as the trainer writes them: JSON with non-finite numbers spelled out (written
// with src/data/write_file_atomic.ts).

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
