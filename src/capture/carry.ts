/**
 * The unparsed tail of one chunk, carried over until the header or record it starts is whole.
 * Parts are kept as views and joined once, when enough bytes are there, so each byte of a record
 * split over many chunks is copied once, not once per chunk.
 */
export class Carry {
  private parts: Uint8Array[] = [];
  private bytes = 0;
  /** Bytes the carried header or record needs before it can be parsed. */
  private need = 0;

  get empty(): boolean {
    return this.parts.length === 0;
  }

  /** Holds `rest` (a view, not a copy) until `need` bytes are there. */
  keep(rest: Uint8Array, need: number): void {
    this.parts = [rest];
    this.bytes = rest.length;
    this.need = need;
  }

  /**
   * The bytes to parse next: `chunk` itself when nothing is carried, else the carried bytes
   * joined with it once `need` are there (the carry is then empty), or null until then.
   */
  next(chunk: Uint8Array): Uint8Array | null {
    if (this.parts.length === 0) return chunk;
    this.parts.push(chunk);
    this.bytes += chunk.length;
    if (this.bytes < this.need) return null;
    return this.take();
  }

  /** Everything carried, joined; the carry is then empty. */
  take(): Uint8Array {
    const out = concat(this.parts, this.bytes);
    this.parts = [];
    this.bytes = 0;
    return out;
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let o = 0;
  for (const part of parts) {
    out.set(part, o);
    o += part.length;
  }
  return out;
}
