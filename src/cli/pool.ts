import { createRequire } from 'node:module';
import type { Worker } from 'node:worker_threads';
import { type Batch, transferred } from './batch.js';
import { isBatchBuffer } from './batch-sink.js';
import { internedKeys } from '../decode/field-store.js';
import type { JobSetup } from './format-job.js';
import { InOrder } from './in-order.js';

/** Batches a worker may hold at once: one being written, one waiting, so it never idles between messages. */
const PER_WORKER = 2;
/** The main thread's own batches in flight (jobs.ts): one written and waiting for the workers' before it, one being written. */
const OWN = 2;

/** A batch for a worker, with output buffers already written out, to fill again. */
export interface ToWorker {
  slot: number;
  batch: Batch;
  spare: ArrayBuffer[];
}

/** What a worker is told at its start besides the job: where it counts the batches it has written. */
export interface WorkerSetup {
  written: Int32Array;
  index: number;
}

/** A batch's text, and the batch's own buffers back. */
export interface ToMain {
  slot: number;
  bytes: Uint8Array;
  input: ArrayBuffer[];
}

/**
 * The worker threads of --jobs, and what keeps memory bounded: at most PER_WORKER batches a
 * worker and OWN of the main thread's are in flight (not yet written out, the early results
 * waiting in the ordered merge included), and room() makes the reader wait for one to be written
 * before it reads on. Each batch goes to the worker with the fewest in hand; the main thread
 * writes one itself (reserve(), fill()) while every worker has its PER_WORKER (`busy`). Results reach `deliver` in the order the
 * batches were sent (in-order.ts). Buffers go round rather than being made anew: a batch's come
 * back with its text (`recycle`), and the text's once written out (spare()) go with a next batch.
 */
export class FormatPool {
  private readonly workers: Worker[] = [];
  /** Batches sent to each worker. */
  private readonly sent: number[] = [];
  /**
   * Batches each worker has written, counted by the worker in memory shared with this thread:
   * the main thread reads a chunk of the capture (some four batches of frames) without a turn of
   * its event loop, so the workers' messages wait until it is done, and a count kept from them
   * saw a worker busy that was long idle (it wrote a third of the frames, the main thread the rest).
   */
  private readonly written: Int32Array;
  private readonly order: InOrder<Uint8Array>;
  private readonly cap: number;
  private readonly spares: ArrayBuffer[] = [];
  /** Those waiting in room() or drain(), told when a batch is written or a worker fails. */
  private waiting: (() => void)[] = [];
  private failure: Error | null = null;

  constructor(
    workers: number,
    setup: JobSetup,
    deliver: (bytes: Uint8Array) => void,
    recycle: (buffers: ArrayBuffer[]) => void,
    // Beside the bundle (dist/cli/main.cjs): the build writes the worker's entry there too.
    entry = new URL('./worker.cjs', import.meta.url),
  ) {
    this.order = new InOrder(deliver);
    this.cap = workers * PER_WORKER + OWN;
    this.written = new Int32Array(new SharedArrayBuffer(4 * workers));
    // Loaded only here: node:worker_threads is some 26 internal modules, 2 ms of every start otherwise.
    const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');
    for (let i = 0; i < workers; i++) {
      const own: WorkerSetup = { written: this.written, index: i };
      const worker = new Worker(entry, { workerData: { ...setup, ...own, fieldKeys: internedKeys() } });
      worker.on('message', ({ slot, bytes, input }: ToMain) => {
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
      this.sent.push(0);
    }
  }

  /** Hands a batch to a worker; its output keeps the batch's place. */
  send(batch: Batch): void {
    let w = 0;
    for (let i = 1; i < this.workers.length; i++) if (this.inHand(i) < this.inHand(w)) w = i;
    this.sent[w]++;
    const spare = this.spares.splice(0, 1);
    const message: ToWorker = { slot: this.order.take(), batch, spare };
    this.workers[w].postMessage(message, [...transferred(batch), ...spare]);
  }

  /** True while every worker holds as many batches as it may. */
  get busy(): boolean {
    for (let i = 0; i < this.workers.length; i++) if (this.inHand(i) < PER_WORKER) return false;
    return true;
  }

  private inHand(worker: number): number {
    return this.sent[worker] - Atomics.load(this.written, worker);
  }

  /** The place of a batch the main thread writes itself, after those sent before it: fill() it when written. */
  reserve(): number {
    return this.order.take();
  }

  fill(slot: number, bytes: Uint8Array): void {
    this.order.fill(slot, bytes);
    this.notify();
  }

  /** Output that is ready now (a file's header), in its place after the batches sent before it. */
  text(bytes: Uint8Array): void {
    this.fill(this.reserve(), bytes);
  }

  /** An output buffer written out, for the main thread's own batches (the workers' come with send()). */
  spareBuffer(): ArrayBuffer | undefined {
    return this.spares.pop();
  }

  /**
   * An output buffer the stream has written: a thread fills it again. None is dropped: a buffer
   * is made only when none is spare, so there are never more than the most ever in use at once
   * (dropping them when many were back at once had them made again and again, 70 MB for a tree
   * of 100,000 frames, and the collector was late to free them).
   */
  spare(bytes: Uint8Array): void {
    if (isBatchBuffer(bytes)) this.spares.push(bytes.buffer as ArrayBuffer);
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
