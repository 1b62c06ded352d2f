/**
 * The unparsed tail of one chunk, carried over until the header or record it starts is whole.
 * Chunks are views into a read buffer that the next read reuses, so what is carried is copied:
 * the tail, then only the bytes of the next chunks that complete the record, never a whole chunk,
 * into one buffer of the size the record needs (a 16 MiB block is held once, not in pieces and
 * then joined).
 */
export class Carry {
  private buf: Uint8Array | null = null;
  private filled = 0;

  get empty(): boolean {
    return this.buf === null;
  }

  /** Holds a copy of `rest` until the `need` bytes (more than `rest` has) are there. */
  keep(rest: Uint8Array, need: number): void {
    this.buf = new Uint8Array(need);
    this.buf.set(rest);
    this.filled = rest.length;
  }

  /** Everything carried; the carry is then empty. */
  take(): Uint8Array {
    const out = this.buf === null ? new Uint8Array(0) : this.buf.subarray(0, this.filled);
    this.buf = null;
    this.filled = 0;
    return out;
  }

  /**
   * Hands `chunk` to `parse`: first the carried bytes completed from its front (as often as the
   * parser carries again, a record header then its body), then the rest of it, uncopied.
   */
  feed(chunk: Uint8Array, parse: (buf: Uint8Array) => void): void {
    let rest = chunk;
    while (this.buf !== null) {
      const n = Math.min(rest.length, this.buf.length - this.filled);
      this.buf.set(rest.subarray(0, n), this.filled);
      this.filled += n;
      rest = rest.subarray(n);
      if (this.filled < this.buf.length) return;
      parse(this.take());
    }
    if (rest.length > 0) parse(rest);
  }
}
