import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import { type Batch, transferred } from './batch.js';
import { internedKeys } from '../decode/field-store.js';
import type { JobSetup } from './format-job.js';
import { InOrder } from './in-order.js';

/** Batches a worker may hold at once: one being written, one waiting, so it never idles between messages. */
const PER_WORKER = 2;

/** A batch for a worker, with output buffers already written out, to fill again. */
export interface ToWorker {
  slot: number;
  batch: Batch;
  spare: ArrayBuffer[];
}

/** A batch's text, and the batch's own buffers back. */
export interface ToMain {
  slot: number;
  bytes: Uint8Array;
  input: ArrayBuffer[];
}

/**
 * The worker threads of --jobs, and what keeps memory bounded: at most PER_WORKER batches a
 * worker are in flight (sent and not yet written out, the early results waiting in the ordered
 * merge included), and room() makes the reader wait for one to be written before it reads on.
 * Each batch goes to the worker with the fewest in hand. Results reach `deliver` in the order the
 * batches were sent (in-order.ts). Buffers go round rather than being made anew: a batch's come
 * back with its text (`recycle`), and the text's once written out (spare()) go with a next batch.
 */
export class FormatPool {
  private readonly workers: Worker[] = [];
  private readonly load: number[] = [];
  private readonly order: InOrder<Uint8Array>;
  private readonly cap: number;
  private readonly spares: ArrayBuffer[] = [];
  /** Those waiting in room() or drain(), told when a batch is written or a worker fails. */
  private waiting: (() => void)[] = [];
  private failure: Error | null = null;

  constructor(
    jobs: number,
    setup: JobSetup,
    deliver: (bytes: Uint8Array) => void,
    recycle: (buffers: ArrayBuffer[]) => void,
    // Beside the bundle (dist/cli/main.cjs): the build writes the worker's entry there too.
    entry = new URL('./worker.cjs', import.meta.url),
  ) {
    this.order = new InOrder(deliver);
    this.cap = jobs * PER_WORKER;
    // Loaded only here: node:worker_threads is some 26 internal modules, 2 ms of every start otherwise.
    const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
    for (let i = 0; i < jobs; i++) {
      const worker = new Worker(entry, { workerData: { ...setup, fieldKeys: internedKeys() } });
      worker.on('message', ({ slot, bytes, input }: ToMain) => {
        this.load[i]--;
        recycle(input);
        this.order.fill(slot, bytes);
        this.notify();
      });
      // A worker that fails is a bug: the run stops with its error rather than print less.
      worker.on('error', (err) => {
        this.failure ??= err;
        this.notify();
      });
      this.workers.push(worker);
      this.load.push(0);
    }
  }

  /** Hands a batch to a worker; its output keeps the batch's place. */
  send(batch: Batch): void {
    let w = 0;
    for (let i = 1; i < this.load.length; i++) if (this.load[i] < this.load[w]) w = i;
    this.load[w]++;
    const spare = this.spares.splice(0, 2);
    const message: ToWorker = { slot: this.order.take(), batch, spare };
    this.workers[w].postMessage(message, [...transferred(batch), ...spare]);
  }

  /** Output that is ready now (a file's header), in its place after the batches sent before it. */
  text(bytes: Uint8Array): void {
    this.order.fill(this.order.take(), bytes);
  }

  /** An output buffer the stream has written: a worker fills it again. */
  spare(bytes: Uint8Array): void {
    if (bytes.byteOffset === 0 && this.spares.length < this.cap) this.spares.push(bytes.buffer as ArrayBuffer);
  }

  /** Resolves once fewer than the cap of batches are in flight. */
  room(): Promise<void> {
    return this.until(() => this.order.open < this.cap);
  }

  /** Resolves once every batch sent has been delivered. */
  drain(): Promise<void> {
    return this.until(() => this.order.open === 0);
  }

  /** Stops the workers (their batches, if any are left, are not wanted: the output closed). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private async until(ready: () => boolean): Promise<void> {
    while (!ready()) {
      if (this.failure !== null) throw this.failure;
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    if (this.failure !== null) throw this.failure;
  }

  private notify(): void {
    const waiting = this.waiting;
    this.waiting = [];
    for (const wake of waiting) wake();
  }
}
