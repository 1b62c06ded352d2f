/** Output is gathered into large strings: one write per ~64 KiB, not one per line. */
const FLUSH_AT = 64 * 1024;

/**
 * Buffered writer to stdout with backpressure. A reader closing the pipe early (`| head`) is not
 * an error: the output is marked closed and the caller stops reading.
 */
export class Output {
  closed = false;
  private buf = '';
  private draining: Promise<void> | null = null;

  constructor(private readonly stream: NodeJS.WritableStream) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      this.closed = true;
      if (err.code !== 'EPIPE') process.stderr.write(`nvgre-dissect: cannot write output: ${err.message}\n`);
    });
  }

  write(s: string): void {
    this.buf += s;
    if (this.buf.length >= FLUSH_AT) this.push();
  }

  /** Hands everything buffered to the stream; resolves once the stream can take more. */
  async flush(): Promise<void> {
    this.push();
    if (this.draining !== null) await this.draining;
  }

  private push(): void {
    if (this.buf === '' || this.closed) {
      this.buf = '';
      return;
    }
    const full = !this.stream.write(this.buf);
    this.buf = '';
    if (full && this.draining === null) {
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
