import { createReadStream } from 'node:fs';
import { CaptureError } from '../capture/errors.js';
import { readCapture } from '../capture/read.js';
import { dissect } from '../decode/dissect.js';
import { Dissection } from '../decode/packet.js';
import { makePalette } from '../format/palette.js';
import { formatTree } from '../format/tree.js';
import type { ColorLevel } from './color.js';
import { Output } from './output.js';

export interface Options {
  captures: string[];
  color: ColorLevel;
}

export interface Streams {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export const EXIT_OK = 0;
export const EXIT_BROKEN = 2;

/** Big reads: fewer chunks to join, one backpressure check per chunk. */
const READ_CHUNK = 512 * 1024;

/** Dissects every capture in turn and prints the tree; returns the exit code. */
export async function run(opts: Options, io: Streams): Promise<number> {
  const out = new Output(io.stdout);
  const palette = makePalette(opts.color);
  const dissection = new Dissection();
  let code = EXIT_OK;
  for (const path of opts.captures) {
    if (out.closed) break;
    if (opts.captures.length > 1) out.write(`==> ${path} <==\n`);
    const input = path === '-' ? io.stdin : createReadStream(path, { highWaterMark: READ_CHUNK });
    try {
      await readCapture(input as AsyncIterable<Uint8Array>, {
        onFrame: (frame) => out.write(formatTree(dissect(frame, dissection), palette)),
        afterChunk: async () => {
          await out.flush();
          return out.closed;
        },
      });
    } catch (err) {
      await out.flush();
      io.stderr.write(`nvgre-dissect: ${path === '-' ? '(stdin)' : path}: ${describeError(err)}\n`);
      code = EXIT_BROKEN;
    } finally {
      if (path !== '-') (input as ReturnType<typeof createReadStream>).destroy();
    }
  }
  await out.flush();
  return code;
}

function describeError(err: unknown): string {
  if (err instanceof CaptureError) return `at byte ${err.offset}: ${err.message}`;
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, not a capture file';
    default:
      if (e.code !== undefined) return `cannot read: ${e.message}`;
      throw err; // a bug, not a capture problem: let it surface with its stack
  }
}
