import { TextSink } from '../format/sink.js';

/** Output buffers: large, so that a stream sees one write per megabyte, not one per frame. */
const BUFFER_SIZE = 1 << 20;

/**
 * Buffered writer to stdout with backpressure: formatters write into its buffer (it is their
 * sink), and a full buffer goes to the stream whole. A reader closing the pipe early (`| head`) is
 * not an error: the output is marked closed and the caller stops reading. Any other write error (a
 * full disk, a descriptor not open for writing) is reported once through `report` and marks the
 * output `failed`: the run then exits 2, as grep does, instead of claiming success.
 */
export class Output extends TextSink {
  closed = false;
  failed = false;
  /** Buffers the stream has finished with, to fill again: memory stays at a few buffers. */
  private readonly spare: Buffer[] = [];
  private draining: Promise<void> | null = null;
  /** Writes handed to the stream whose callback has not come yet. */
  private unwritten = 0;
  private allWritten: (() => void) | null = null;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly report: (message: string) => void,
  ) {
    super(BUFFER_SIZE);
    stream.on('error', (err: NodeJS.ErrnoException) => this.fail(err));
  }

  /** Hands everything buffered to the stream; resolves once the stream can take more. */
  async flush(): Promise<void> {
    this.push();
    if (this.draining !== null) await this.draining;
  }

  /**
   * Hands everything on and waits until the stream has written it or failed: the exit status
   * must not be decided while a write that may fail is still under way.
   */
  async finish(): Promise<void> {
    await this.flush();
    if (this.unwritten > 0 && !this.closed) await new Promise<void>((resolve) => (this.allWritten = resolve));
  }

  /**
   * Hands what is buffered to the stream now, without waiting (-l, as tcpdump -l): a copy, so
   * that a frame a line does not take a whole buffer; backpressure is still awaited between chunks.
   */
  handOver(): void {
    if (this.pos === 0) return;
    const bytes = Buffer.from(this.buf.subarray(0, this.pos));
    this.pos = 0;
    this.send(bytes, null);
  }

  /**
   * Bytes made elsewhere (a worker's batch), handed to the stream as they are after what is
   * buffered: no copy. `written` gets them back once the stream is done with them, to be filled
   * again. Backpressure is awaited by flush(), as for the buffer's own writes.
   */
  pass(bytes: Uint8Array, written: (bytes: Uint8Array) => void): void {
    this.push();
    this.send(bytes, written);
  }

  private fail(err: NodeJS.ErrnoException): void {
    if (this.closed) return; // a failed stream fails every pending write too: one report
    this.closed = true;
    if (err.code !== 'EPIPE') {
      this.failed = true;
      this.report(`cannot write output: ${err.message}`);
    }
    this.settle();
  }

  private settle(): void {
    const done = this.allWritten;
    this.allWritten = null;
    done?.();
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
    this.send(full, done.length === BUFFER_SIZE ? () => this.spare.push(done) : null);
  }

  /** `reuse`: told once the stream has written the bytes (not when it failed), so they can be filled again. */
  private send(bytes: Uint8Array, reuse: ((bytes: Uint8Array) => void) | null): void {
    if (this.closed) return;
    this.unwritten++;
    // The callback comes before the stream's 'error' event: a failure is taken from either.
    const written = (err?: Error | null): void => {
      this.unwritten--;
      if (err) this.fail(err);
      else reuse?.(bytes);
      if (this.unwritten === 0) this.settle();
    };
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
