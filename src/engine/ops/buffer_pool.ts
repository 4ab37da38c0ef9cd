// Reusable Float32Arrays for what fused ops keep between their forward and backward (tens of MB per training
// step for a recurrent layer). A fresh array that size costs a page fault per 4 KiB on first write and an munmap
// when collected, about a fifth of a GRU layer's training step; once a backward is done with its buffers it hands
// them back, and the next forward of the same size reuses them.

/** Float32Arrays kept for reuse, by length; at most `perLength` of each and `maxBytes` in all. */
export class Float32BufferPool {
  private readonly free = new Map<number, Float32Array[]>();
  private bytes = 0;

  constructor(private readonly maxBytes: number, private readonly perLength = 2) {}

  /** An array of n floats, reused when one was given back: its contents are arbitrary, not zeros. */
  take(n: number): Float32Array {
    const reused = this.free.get(n)?.pop();
    if (!reused) return new Float32Array(n);
    this.bytes -= reused.byteLength;
    return reused;
  }

  /** Hands arrays back (null is skipped). Neither they nor any tensor over them may be read afterwards. */
  give(...arrays: (Float32Array | null)[]): void {
    for (const a of arrays) {
      if (!a || a.length === 0 || a.byteOffset !== 0 || a.length * 4 !== a.buffer.byteLength) continue;  // whole arrays only
      const list = this.free.get(a.length) ?? [];
      if (list.length >= this.perLength || this.bytes + a.byteLength > this.maxBytes) continue;
      list.push(a);
      this.free.set(a.length, list);
      this.bytes += a.byteLength;
    }
  }

  /** Drops every kept array (their memory goes back to the system once collected). */
  clear(): void {
    this.free.clear();
    this.bytes = 0;
  }
}

/** The pool the fused recurrent ops share. */
export const savedActivationPool = new Float32BufferPool(512 * 2 ** 20);
