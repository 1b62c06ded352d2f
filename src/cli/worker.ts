// The entry of a --jobs worker thread (bundled as dist/cli/worker.cjs beside main.cjs): it only
// wires messages to the job (format-job.ts), so that the job can be read, and tested, apart.
import './worker-field-ids.js';
import { parentPort, workerData } from 'node:worker_threads';
import { transferred } from './batch.js';
import { BatchFormatter, type JobSetup } from './format-job.js';
import type { ToMain, ToWorker, WorkerSetup } from './pool.js';

const setup = workerData as JobSetup & WorkerSetup;
const job = new BatchFormatter(setup);
parentPort!.on('message', ({ slot, batch, spare }: ToWorker) => {
  job.reuse(spare);
  const bytes = job.format(batch);
  // The batch's own buffers go back too, for the main thread to fill with another batch.
  const input = transferred(batch);
  const reply: ToMain = { slot, bytes, input };
  parentPort!.postMessage(reply, [bytes.buffer as ArrayBuffer, ...input]);
  Atomics.add(setup.written, setup.index, 1);
});
