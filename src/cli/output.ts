/**
 * Output is encoded into large buffers as it is produced, one write to the stream per buffer.
 * (Joining the text first and encoding it at write time cost more than formatting it: flattening
 * a string built from thousands of pieces is slow.)
 */
const BUFFER_SIZE = 1 << 20;

/**
 * Buffered writer to stdout with backpressure. A reader closing the pipe early (`| head`) is not
 * an error: the output is marked closed and the caller stops reading.
 */
export class Output {
  closed = false;
  private buf: Buffer = Buffer.allocUnsafe(BUFFER_SIZE);
  private pos = 0;
  /** Buffers the stream has finished with, to fill again: memory stays at a few buffers. */
  private readonly spare: Buffer[] = [];
  private draining: Promise<void> | null = null;

  constructor(private readonly stream: NodeJS.WritableStream) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      this.closed = true;
      if (err.code !== 'EPIPE') process.stderr.write(`nvgre-dissect: cannot write output: ${err.message}\n`);
    });
  }

  write(s: string): void {
    // UTF-8 takes at most 3 bytes per UTF-16 unit: make sure it fits before encoding in place.
    if (this.pos + s.length * 3 > this.buf.length) {
      this.push();
      if (s.length * 3 > this.buf.length) {
        this.send(Buffer.from(s));
        return;
      }
    }
    this.pos += this.buf.write(s, this.pos);
  }

  /** Hands everything buffered to the stream; resolves once the stream can take more. */
  async flush(): Promise<void> {
    this.push();
    if (this.draining !== null) await this.draining;
  }

  private push(): void {
    if (this.pos === 0) return;
    // The stream may keep the bytes until they are written: hand it this buffer, fill another, and
    // take this one back once the stream says it is written.
    const done = this.buf;
    const full = done.subarray(0, this.pos);
    this.buf = this.spare.pop() ?? Buffer.allocUnsafe(BUFFER_SIZE);
    this.pos = 0;
    this.send(full, () => this.spare.push(done));
  }

  private send(bytes: Uint8Array, written?: () => void): void {
    if (this.closed) return;
    if (!this.stream.write(bytes, written) && this.draining === null) {
      this.draining = new Promise<void>((resolve) => {
        const done = (): void => {
          this.stream.off('drain', done);
          this.stream.off('error', done);
          this.draining = null;
          resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('error', done);
      });
    }
  }
}
