// The entry of a worker thread reading whole captures side by side (side-by-side.ts; bundled as
// dist/cli/file-worker.cjs): it runs the single-thread pass, run(), over each capture it is given,
// its standard output and error streams sent to the main thread. Output waits for each chunk to
// be written out before it takes more (a Writable that calls back on the main thread's word), so
// a worker ahead of its turn stops after a chunk or two.
import './worker-field-ids.js';
import { Writable } from 'node:stream';
import { parentPort, workerData } from 'node:worker_threads';
import { type Options, run } from './run.js';
import type { FromFileWorker, ToFileWorker } from './side-by-side.js';

const setup = workerData as Omit<Options, 'captures'>;
const port = parentPort!;
const unwritten = new Map<number, () => void>();
let seq = 0;
const send = (m: FromFileWorker): void => port.postMessage(m);

async function read(index: number, path: string): Promise<void> {
  const stdout = new Writable({
    write(chunk: Uint8Array, _encoding, callback) {
      const at = seq++;
      unwritten.set(at, () => callback());
      // Copied as it is posted: the writer fills its buffer again once called back.
      send({ kind: 'out', index, seq: at, bytes: chunk });
    },
  });
  const stderr = new Writable({
    write(chunk: Uint8Array, _encoding, callback) {
      send({ kind: 'err', index, text: Buffer.from(chunk).toString() });
      callback();
    },
  });
  const code = await run({ ...setup, captures: [path], oneOfSeveral: true }, { stdin: (async function* () {})(), stdout, stderr });
  send({ kind: 'done', index, code });
}

port.on('message', (m: ToFileWorker) => {
  if (m.kind === 'written') {
    unwritten.get(m.seq)?.();
    unwritten.delete(m.seq);
  } else void read(m.index, m.path);
});
