// The entry of a --jobs worker thread (bundled as dist/cli/worker.cjs beside main.cjs): it only
// wires messages to the job (format-job.ts), so that the job can be read, and tested, apart.
import './worker-field-ids.js';
import { parentPort, workerData } from 'node:worker_threads';
import { transferred } from './batch.js';
import { BatchFormatter, type JobSetup } from './format-job.js';
import type { ToMain, ToWorker } from './pool.js';

const job = new BatchFormatter(workerData as JobSetup);
parentPort!.on('message', ({ slot, batch, spare }: ToWorker) => {
  job.reuse(spare);
  const bytes = job.format(batch);
  // The batch's own buffers go back too, for the main thread to fill with another batch.
  const input = transferred(batch);
  const reply: ToMain = { slot, bytes, input };
  parentPort!.postMessage(reply, [bytes.buffer as ArrayBuffer, ...input]);
});
