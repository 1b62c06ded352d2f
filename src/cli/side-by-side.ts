import { createRequire } from 'node:module';
// fs.promises is read when first called; importing node:fs/promises would load it (and readline) at every start.
import { promises as fs } from 'node:fs';
import type { Worker } from 'node:worker_threads';
import { internedKeys } from '../decode/field-store.js';
import { isFiltering, type Selection } from '../filter/select.js';
import { fieldsHeader, type FieldsStyle } from '../format/field-columns.js';
import { Output } from './output.js';

/** Below this many bytes of captures in all, threads would cost more to start than they save. */
const SIDE_BY_SIDE_BYTES = 16 << 20;

/**
 * The options (run.ts's Options) this module reads: declared here, not imported, as run.ts
 * imports this module. A file worker is told all the others too, once (its run's options but the capture).
 */
interface SideBySideOptions {
  captures: string[];
  jobs?: number;
  quiet: boolean;
  write?: unknown;
  count?: number;
  lineBuffered?: boolean;
  stats: boolean;
  lookup: boolean;
  journey?: boolean;
  strict: boolean;
  selection: Selection;
  batchFrames?: number;
  mode: string;
  fields?: { names: string[]; style: FieldsStyle };
}

interface Streams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** To a file worker: read this capture; or: the output chunk `seq` has been written, send more. */
export type ToFileWorker = { kind: 'file'; index: number; path: string } | { kind: 'written'; seq: number };

/** From a file worker, about capture `index`: a chunk of its output, a line for stderr, its exit code. */
export type FromFileWorker =
  | { kind: 'out'; index: number; seq: number; bytes: Uint8Array }
  | { kind: 'err'; index: number; text: string }
  | { kind: 'done'; index: number; code: number };

/**
 * Whether the captures of the command line can be read side by side, each by a worker thread
 * running the whole single-thread pass over it (read, decode, select, write): only when nothing
 * crosses from one capture to the next but the output's order. -c counts across captures, -w
 * writes one file, the analyzers (--stats, --lookup, --journey) sum them up, -l wants each frame
 * at once, and standard input is one stream: those read the captures one after another (jobs.ts
 * still hands their frames to workers). With --strict and a filter together the exit status would
 * need what each capture showed, not only its own status: one after another too.
 */
export async function sideBySide(opts: SideBySideOptions): Promise<boolean> {
  if ((opts.jobs ?? 1) < 2 || opts.captures.length < 2 || opts.captures.includes('-')) return false;
  if (opts.quiet || opts.write !== undefined || opts.count !== undefined || opts.lineBuffered) return false;
  if (opts.stats || opts.lookup || opts.journey || (opts.strict && isFiltering(opts.selection))) return false;
  // Tests give a batch size to make small fixtures cross threads: the same here, whatever the size.
  if (opts.batchFrames !== undefined) return true;
  let bytes = 0;
  for (const path of opts.captures) bytes += (await fs.stat(path)).size;
  return bytes >= SIDE_BY_SIDE_BYTES;
}

/**
 * The captures read side by side (sideBySide() said they can be), their outputs written in
 * command-line order as one thread writes them. A worker runs run() itself over its capture, so
 * nothing of the pass is written twice; its output comes here in chunks, each acknowledged once
 * written to standard output: a worker on a later capture stops after a chunk or two until its
 * turn, so memory stays bounded. A capture's complaint (a broken file) follows its frames.
 */
export async function readSideBySide(opts: SideBySideOptions, io: Streams): Promise<number> {
  const out = new Output(io.stdout, (m) => io.stderr.write(`nvgre-dissect: ${m}\n`));
  const { captures, ...rest } = opts;
  const fields = opts.fields === undefined ? undefined : { ...opts.fields, style: { ...opts.fields.style, header: false } };
  if (opts.mode === 'fields' && opts.fields?.style.header === true) out.str(fieldsHeader(opts.fields.names, opts.fields.style));
  const setup = { ...rest, fields, jobs: 1 };
  const entry = new URL('./file-worker.cjs', import.meta.url);
  const { Worker } = createRequire(import.meta.url)('node:worker_threads') as typeof import('node:worker_threads');

  const codes: number[] = [];
  /** What each capture not yet written has sent: chunks and lines, in the order they came. */
  const queued = captures.map((): FromFileWorker[] => []);
  let current = 0;
  let next = 0;
  let failure: Error | null = null;
  let finished: () => void = () => undefined;
  const allDone = new Promise<void>((resolve) => (finished = resolve));
  const workers: Worker[] = [];
  const ownerOf: Worker[] = [];

  const handOut = (w: Worker): void => {
    if (next >= captures.length) return;
    ownerOf[next] = w;
    const message: ToFileWorker = { kind: 'file', index: next, path: captures[next] };
    next++;
    w.postMessage(message);
  };
  /** A chunk or line of the capture being written now. */
  const emit = (m: FromFileWorker): void => {
    if (m.kind === 'out') {
      const owner = ownerOf[m.index];
      const written: ToFileWorker = { kind: 'written', seq: m.seq };
      out.pass(m.bytes, () => owner.postMessage(written));
    } else if (m.kind === 'err') io.stderr.write(m.text); // the frames before it are handed to the stream already

  };
  /** The capture being written is done: on to the next, with what it has sent meanwhile. */
  const advance = (): void => {
    for (;;) {
      current++;
      if (current >= captures.length) return finished();
      let done = false;
      for (const q of queued[current].splice(0)) {
        if (q.kind === 'done') {
          codes[q.index] = q.code;
          done = true;
        } else emit(q);
      }
      if (!done) return;
    }
  };
  // A reader that closed the pipe (| head) wants nothing more; a full disk is reported by Output.
  io.stdout.on('error', () => finished());
  try {
    for (let i = 0; i < Math.min(opts.jobs ?? 1, captures.length); i++) {
      const w = new Worker(entry, { workerData: { ...setup, fieldKeys: internedKeys() } });
      w.on('message', (m: FromFileWorker) => {
        if (m.kind === 'done') handOut(w);
        if (m.index !== current) queued[m.index].push(m);
        else if (m.kind !== 'done') emit(m);
        else {
          codes[m.index] = m.code;
          advance();
        }
      });
      w.on('error', (err) => {
        failure ??= err;
        finished();
      });
      workers.push(w);
      handOut(w);
    }
    await allDone;
    if (failure !== null) throw failure;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  await out.finish();
  // One thread's status: 2 for a broken capture or output; with a filter, 1 when no capture showed
  // a frame (each capture's 1 says it showed none); without one, 1 is --strict's.
  if (out.failed || codes.includes(2)) return 2;
  if (isFiltering(opts.selection)) return codes.length === captures.length && codes.every((c) => c === 1) ? 1 : 0;
  return codes.includes(1) ? 1 : 0;
}
