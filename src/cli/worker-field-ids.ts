// Imported first by each worker entry (worker.ts, file-worker.ts), so that it runs before any
// other module interns a field id: the worker's ids are then the main thread's (see adoptFieldIds).
import { workerData } from 'node:worker_threads';
import { adoptFieldIds } from '../decode/field-store.js';

adoptFieldIds((workerData as { fieldKeys: readonly string[] }).fieldKeys);
