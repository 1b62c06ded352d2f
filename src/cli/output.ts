import { TextSink } from '../format/sink.js';

/** Output buffers: large, so that a stream sees one write per megabyte, not one per frame. */
const BUFFER_SIZE = 1 << 20;

/**
 * Buffered writer to stdout with backpressure: formatters write into its buffer (it is their
 * sink), and a full buffer goes to the stream whole. A reader closing the pipe early (`| head`) is
 * not an error: the output is marked closed and the caller stops reading.
 */
export class Output extends TextSink {
  closed = false;
  /** Buffers the stream has finished with, to fill again: memory stays at a few buffers. */
  private readonly spare: Buffer[] = [];
  private draining: Promise<void> | null = null;

  constructor(private readonly stream: NodeJS.WritableStream) {
    super(BUFFER_SIZE);
    stream.on('error', (err: NodeJS.ErrnoException) => {
      this.closed = true;
      if (err.code !== 'EPIPE') process.stderr.write(`nvgre-dissect: cannot write output: ${err.message}\n`);
    });
  }

  /** Hands everything buffered to the stream; resolves once the stream can take more. */
  async flush(): Promise<void> {
    this.push();
    if (this.draining !== null) await this.draining;
  }

  protected override makeRoom(n: number): void {
    this.push();
    // Bigger than a buffer (a stats table of many VSIDs): a one-off buffer of its own.
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }

  private push(): void {
    if (this.pos === 0) return;
    // The stream may keep the bytes until they are written: hand it this buffer, fill another, and
    // take this one back once the stream says it is written.
    const done = this.buf;
    const full = done.subarray(0, this.pos);
    this.buf = this.spare.pop() ?? Buffer.allocUnsafe(BUFFER_SIZE);
    this.pos = 0;
    this.send(full, done.length === BUFFER_SIZE ? () => this.spare.push(done) : undefined);
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
