import { close, fstat, fstatSync, open, read, type Stats } from 'node:fs';
import { type OnReadOpts, Socket, type SocketConstructorOpts } from 'node:net';
import { promisify } from 'node:util';
import { CaptureError, firstBytes } from './errors.js';
import { EtlParser } from './etl.js';
import type { CaptureParser, FrameHandler, FrameSink } from './frame.js';
import { inflating, type Pull } from './gzip.js';
import { type CaptureFile, isNetmon, needsFile, readNetmon } from './netmon.js';
import { PcapParser, pcapMagic } from './pcap.js';
import { PcapngParser } from './pcapng.js';

/** Where frames go. `afterChunk` runs once per input chunk: it flushes output and applies backpressure. */
const PCAPNG_MAGIC = [0x0a, 0x0d, 0x0d, 0x0a];
const GZIP_MAGIC = [0x1f, 0x8b];

/**
 * Bytes that tell an ETW trace (.etl, what pktmon and netsh trace write) from other files. An .etl
 * is a series of buffers, each with a 72-byte WMI_BUFFER_HEADER; the first buffer's first event is
 * the trace's logfile header, a SYSTEM_TRACE_HEADER whose marker reads: version 2 (2 bytes), header
 * type 1 or 2 (system trace, 32- or 64-bit), flags 0xC0 (a trace header, an event trace), then the
 * event's size (2 bytes) and its hook id 0x0000 (the header group's info event). Checked: all of
 * those but the size, 6 fixed bytes that the buffer's free-running fields cannot imitate.
 */
const ETL_PROBE = 80;
function isEtl(head: Uint8Array): boolean {
  const m = head.subarray(72, ETL_PROBE);
  const marker = m.length === 8 && m[0] === 2 && m[1] === 0 && (m[2] === 1 || m[2] === 2) && m[3] === 0xc0;
  return marker && m[6] === 0 && m[7] === 0;
}

const startsWith = (head: Uint8Array, magic: number[]): boolean => magic.every((b, i) => head[i] === b);

function chooseParser(head: Uint8Array, decompressed: boolean): CaptureParser {
  const magic = pcapMagic(head);
  if (magic) return new PcapParser(magic);
  if (startsWith(head, PCAPNG_MAGIC)) return new PcapngParser();
  if (decompressed && startsWith(head, GZIP_MAGIC)) {
    throw new CaptureError('unsupported_format', 0, 'gzip-compressed data inside gzip-compressed data: gunzip it once first');
  }
  if (isEtl(head)) return new EtlParser();
  throw new CaptureError('bad_magic', 0, `not a capture file: unknown magic ${firstBytes(head)}`);
}

/** Big reads: fewer chunks, one backpressure check per chunk. */
const READ_CHUNK = 512 * 1024;

/**
 * A file's bytes, chunk by chunk, read into two buffers that the reads take turns with: a chunk is
 * valid until the next one is asked for (what a parser carries over, it copies). The next read is
 * under way while the chunk before it is parsed, so the disk and the parser do not wait for each
 * other. A read stream allocates every chunk and leaves it to the GC to free; those chunks were
 * most of the peak RSS (140 MB with --stats on 275 MB, against 66 MB with these two). A FIFO
 * (or socket) path is read as standard input's pipe is: a read waiting on its writer would keep
 * `-c 1` from ending until the writer writes again, and a socket's read can be cancelled.
 */
export async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  const fd = await openFd(path, 'r');
  let st: Stats;
  try {
    st = await fstatFd(fd);
  } catch (err) {
    await closeFd(fd);
    throw err;
  }
  if (st.isFIFO() || st.isSocket()) {
    yield* socketChunks(fd); // the socket closes fd when it is destroyed
    return;
  }
  try {
    yield* readChunks((buf) => readFd(fd, buf, 0, buf.length, null).then((r) => r.bytesRead));
  } finally {
    await closeFd(fd);
  }
}

const openFd = promisify(open);
const fstatFd = promisify(fstat);
const readFd = promisify(read);
const closeFd = promisify(close);

async function* readChunks(read: (buf: Uint8Array) => Promise<number>): AsyncGenerator<Uint8Array> {
  // Plain Uint8Arrays: frames are subarrays of them, and Buffer's subarray() is slower.
  const buffers = [new Uint8Array(READ_CHUNK), new Uint8Array(READ_CHUNK)];
  const readInto = (buf: Uint8Array): Promise<Uint8Array> => {
    const reading = read(buf).then((n) => buf.subarray(0, n));
    // Handled here too: a read that fails while the chunk before it is parsed is thrown at the
    // next await, not reported as an unhandled rejection.
    reading.catch(() => undefined);
    return reading;
  };
  let reading = readInto(buffers[0]);
  try {
    for (let turn = 1; ; turn ^= 1) {
      const chunk = await reading;
      if (chunk.length === 0) return;
      // The other buffer's chunk was handed out before this one: the consumer has finished with it.
      reading = readInto(buffers[turn]);
      yield chunk;
    }
  } finally {
    await reading.catch(() => undefined); // a read still under way must end before the file closes
  }
}

/**
 * Standard input, read into reused buffers as a file is: a redirected file by plain reads, a pipe
 * or socket through a socket that reads into one buffer (net's `onread`), which can be destroyed
 * when reading stops early. process.stdin allocates a buffer for every read and leaves it to the
 * GC: through a pipe, 1M frames took 9% longer that way (--stats 1.44 against 1.31 s, --summary
 * 2.03 against 1.85 s), at the same peak RSS. Anything else (a terminal) is read as process.stdin.
 */
export async function* stdinChunks(): AsyncGenerator<Uint8Array> {
  const st = fstatSync(0);
  if (st.isFile()) yield* readChunks((buf) => readFd(0, buf, 0, buf.length, null).then((r) => r.bytesRead));
  else if (st.isFIFO() || st.isSocket()) yield* socketChunks(0);
  else yield* process.stdin;
}

async function* socketChunks(fd: number): AsyncGenerator<Uint8Array> {
  const buf = new Uint8Array(READ_CHUNK);
  let chunk: Uint8Array | null = null;
  let ended = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  // new net.Socket() takes `onread` since Node 12.10 (its docs say so since nodejs/node#54194); @types/node lists it for connect() only.
  const options: SocketConstructorOpts & { onread: OnReadOpts } = {
    fd,
    readable: true,
    writable: false,
    // Returning false pauses the socket: the buffer holds one chunk until the consumer is done with it.
    onread: { buffer: buf, callback: (n) => ((chunk = buf.subarray(0, n)), notify(), false) },
  };
  const socket = new Socket(options);
  socket.on('end', () => ((ended = true), notify()));
  socket.on('error', (err) => ((failure = err), notify()));
  try {
    for (;;) {
      while (chunk === null && !ended && failure === null) await new Promise<void>((resolve) => (wake = resolve));
      if (chunk === null) {
        if (failure !== null) throw failure;
        return;
      }
      const c: Uint8Array = chunk;
      chunk = null;
      yield c;
      socket.resume();
    }
  } finally {
    socket.destroy();
  }
}

/**
 * Reads a whole capture: detects the format from its first bytes (classic pcap, pcapng, either
 * compressed with gzip, Network Monitor, or an ETW trace), then streams every frame to the sink. Throws
 * CaptureError on damage, after every frame before it was delivered; inside gzip, its offset is in
 * the decompressed data (`decompressed` is set). A Network Monitor capture is read by position
 * instead, from `openFile` (the same file as `input`): without it (stdin), it is refused. An ETW
 * trace is scanned through `openFile` for its components' names first, when there is one.
 */
export async function readCapture(
  input: AsyncIterable<Uint8Array>,
  sink: FrameSink,
  openFile?: () => Promise<CaptureFile>,
): Promise<void> {
  const source = input[Symbol.asyncIterator]();
  let ended = false;
  const pull: Pull = async () => {
    for (;;) {
      const r = await source.next();
      if (r.done === true) {
        ended = true;
        return null;
      }
      if (r.value.length > 0) return r.value;
    }
  };
  try {
    await readFrom(pull, sink, false, openFile);
  } finally {
    // Stopped early or failed: close the input (a file stream, stdin) as for-await would.
    if (!ended) await source.return?.();
  }
}

/** `head` with more input joined to it until it holds `n` bytes or the input ends (null: none at all). */
async function fill(head: Uint8Array | null, pull: Pull, n: number): Promise<Uint8Array | null> {
  while (head === null || head.length < n) {
    // The next pull may read into the buffer `head` is in: keep a copy.
    const kept = head === null ? null : new Uint8Array(head);
    const chunk = await pull();
    if (chunk === null) return kept;
    head = kept === null ? chunk : Buffer.concat([kept, chunk]);
  }
  return head;
}

async function readFrom(pull: Pull, sink: FrameSink, decompressed: boolean, openFile?: () => Promise<CaptureFile>): Promise<void> {
  let head = await fill(null, pull, 4);
  if (head === null) {
    throw new CaptureError('empty', 0, decompressed ? 'the gzip data inflates to nothing: no capture header' : 'empty file: no capture header');
  }
  if (!decompressed && startsWith(head, GZIP_MAGIC)) return readGzip(head, pull, sink);
  if (isNetmon(head)) {
    if (decompressed) throw needsFile('from gzip data', 'gunzip it to a file first');
    if (openFile === undefined) throw needsFile('from standard input');
    const file = await openFile();
    try {
      return await readNetmon(file, sink);
    } finally {
      await file.close();
    }
  }
  // Not a pcap magic: waiting for the bytes an ETW trace is recognised by holds no pcap or pcapng
  // capture's first chunk back.
  if (pcapMagic(head) === null && !startsWith(head, PCAPNG_MAGIC)) head = (await fill(head, pull, ETL_PROBE)) ?? head;
  const parser = chooseParser(head, decompressed);
  // A pktmon trace may name its components only at its end: a file is scanned for them first.
  if (parser instanceof EtlParser && openFile !== undefined) await parser.learnComponents(openFile);
  for (let chunk: Uint8Array | null = head; chunk !== null; chunk = await pull()) {
    parser.push(chunk, sink.onFrame);
    if (await sink.afterChunk()) return;
  }
  parser.end();
}

/** A gzip-compressed capture: the capture inside it read as any other, its offsets in the inflated data. */
async function readGzip(head: Uint8Array, pull: Pull, sink: FrameSink): Promise<void> {
  const gzip = inflating(head, pull);
  try {
    await readFrom(gzip.pull, sink, true);
  } catch (err) {
    // The capture's own damage is at an offset in the inflated data; the gzip layer's is placed already.
    if (err instanceof CaptureError && !err.decompressed && err.kind !== 'bad_gzip') throw new CaptureError(err.kind, err.offset, err.message, true);
    throw err;
  } finally {
    gzip.close();
  }
}
