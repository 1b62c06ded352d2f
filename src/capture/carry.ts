/**
 * The unparsed tail of one chunk, carried over until the header or record it starts is whole.
 * Chunks are views into a read buffer that the next read reuses, so what is carried is copied:
 * the tail, then only the bytes of the next chunk that complete the record, never a whole chunk.
 */
export class Carry {
  private parts: Uint8Array[] = [];
  private bytes = 0;
  /** Bytes the carried header or record needs before it can be parsed. */
  private need = 0;

  get empty(): boolean {
    return this.parts.length === 0;
  }

  /** Holds a copy of `rest` until `need` bytes are there. */
  keep(rest: Uint8Array, need: number): void {
    this.parts = [new Uint8Array(rest)]; // a copy (a Buffer's slice() would be a view)
    this.bytes = rest.length;
    this.need = need;
  }

  /** Everything carried, joined; the carry is then empty. */
  take(): Uint8Array {
    const out = this.parts.length === 1 ? this.parts[0] : new Uint8Array(this.bytes);
    if (this.parts.length > 1) {
      let o = 0;
      for (const part of this.parts) {
        out.set(part, o);
        o += part.length;
      }
    }
    this.parts = [];
    this.bytes = 0;
    return out;
  }

  /**
   * Hands `chunk` to `parse`: first the carried bytes completed from its front (as often as the
   * parser carries again, a record header then its body), then the rest of it, uncopied.
   */
  feed(chunk: Uint8Array, parse: (buf: Uint8Array) => void): void {
    let rest = chunk;
    while (this.parts.length > 0) {
      const n = Math.min(rest.length, this.need - this.bytes);
      if (n > 0) {
        this.parts.push(new Uint8Array(rest.subarray(0, n)));
        this.bytes += n;
        rest = rest.subarray(n);
      }
      if (this.bytes < this.need) return;
      parse(this.take());
    }
    if (rest.length > 0) parse(rest);
  }
}
