import { LookupTable } from '../analyze/lookup.js';
import { Stats } from '../analyze/stats.js';
import { CaptureError } from '../capture/errors.js';
import { openCaptureFile } from '../capture/netmon.js';
import { fileChunks, readCapture } from '../capture/read.js';
import { dissect } from '../decode/dissect.js';
import { Dissection, type Packet } from '../decode/packet.js';
import { Reassembler } from '../decode/reassembly.js';
import { earlyRejection, isFiltering, type Selection, selects } from '../filter/select.js';
import { writePacketHex } from '../format/hex.js';
import { writeJson } from '../format/json.js';
import { formatLookupJson, formatLookupTable } from '../format/lookup.js';
import { makePalette, type Palette } from '../format/palette.js';
import { formatStatsJson, formatStatsTable } from '../format/stats.js';
import type { TextSink } from '../format/sink.js';
import { writeSummary } from '../format/summary.js';
import { writeTree } from '../format/tree.js';
import type { ColorLevel } from './color.js';
import { Output } from './output.js';

export type Mode = 'tree' | 'summary' | 'json';

export interface Options {
  captures: string[];
  color: ColorLevel;
  mode: Mode;
  /** Print the per-VSID table (or JSON object with --json) instead of frames. */
  stats: boolean;
  /** Print the lookup records rebuilt from the traffic (or JSON) instead of frames. */
  lookup: boolean;
  /** A hex dump after each frame, VSID and FlowID marked. */
  hex: boolean;
  /** Print nothing: the exit status is the answer. */
  quiet: boolean;
  /** Exit 1 when a shown frame carries a warning of severity warn or error. */
  strict: boolean;
  /** Decode fragmented datagrams on the frame that completes them (as tshark does). */
  reassemble: boolean;
  /** Stop after this many shown frames. */
  count?: number;
  selection: Selection;
}

export interface Streams {
  stdin: AsyncIterable<Uint8Array>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
export const EXIT_BROKEN = 2;

function frameWriter(mode: Mode, palette: Palette): (pkt: Packet, out: TextSink) => void {
  if (mode === 'json') return writeJson;
  if (mode === 'summary') return (pkt, out) => writeSummary(pkt, palette, out);
  return (pkt, out) => writeTree(pkt, palette, out);
}

function hasSeriousWarning(pkt: Packet): boolean {
  const serious = (ws: Packet['frameWarnings']): boolean => ws?.some((w) => w.severity !== 'note') ?? false;
  return serious(pkt.frameWarnings) || pkt.layers.some((l) => serious(l.warnings));
}

/** Dissects every capture in turn and prints what was asked; returns the exit code. */
export async function run(opts: Options, io: Streams): Promise<number> {
  const out = new Output(io.stdout);
  const palette = makePalette(opts.color);
  const write = frameWriter(opts.mode, palette);
  // Without reassembly fragments are still followed, without their bytes: a later piece names its first and its VSID.
  const dissection = new Dissection(new Reassembler(opts.reassemble));
  dissection.rejects = earlyRejection(opts.selection);
  const stats = new Stats();
  const lookup = new LookupTable();
  const summaryOnly = opts.stats || opts.lookup;
  const filtering = isFiltering(opts.selection);
  let broken = false;
  let sawSerious = false;
  let done = false;
  let read = 0;
  let shown = 0;

  const onPacket = (pkt: Packet): void => {
    if (filtering && (dissection.rejected || !selects(opts.selection, pkt))) return;
    if (opts.strict && !sawSerious) sawSerious = hasSeriousWarning(pkt);
    shown++;
    if (opts.stats) stats.add(pkt);
    if (opts.lookup) lookup.add(pkt);
    if (summaryOnly || opts.quiet) {
      // the end-of-pass views print instead of frames
    } else {
      write(pkt, out);
      if (opts.hex) writePacketHex(pkt, palette, out);
    }
    if (opts.count !== undefined && shown >= opts.count) done = true;
  };

  for (const path of opts.captures) {
    if (out.closed || done) break;
    if (opts.captures.length > 1 && opts.mode === 'tree' && !summaryOnly && !opts.quiet) out.str(`==> ${path} <==\n`);
    const input = path === '-' ? io.stdin : fileChunks(path);
    // A Network Monitor .cap is read by position (its frame table is at the end): stdin cannot be.
    const openFile = path === '-' ? undefined : () => openCaptureFile(path);
    try {
      await readCapture(input, {
        onFrame: (frame) => {
          if (done) return;
          read++;
          onPacket(dissect(frame, dissection));
        },
        afterChunk: async () => {
          await out.flush();
          return out.closed || done;
        },
      }, openFile);
    } catch (err) {
      await out.flush();
      io.stderr.write(`nvgre-dissect: ${path === '-' ? '(stdin)' : path}: ${describeError(err)}\n`);
      broken = true;
    }
  }
  stats.totals.framesRead = read;
  // Tables fit a terminal, or COLUMNS when it is set (as ls takes it); in a pipe they keep their natural width.
  const tty = io.stdout as Partial<NodeJS.WriteStream>;
  const columns = /^[1-9]\d{0,4}$/.test(process.env.COLUMNS ?? '') ? Number(process.env.COLUMNS) : undefined;
  const width = columns ?? (tty.isTTY === true ? tty.columns : undefined);
  if (opts.stats && !opts.quiet) out.str(opts.mode === 'json' ? formatStatsJson(stats) : formatStatsTable(stats, palette, width));
  if (opts.lookup && !opts.quiet) out.str(opts.mode === 'json' ? formatLookupJson(lookup) : formatLookupTable(lookup, palette, width));
  await out.flush();
  if (broken) return EXIT_BROKEN;
  if (filtering && shown === 0) return EXIT_CHECK_FAILED;
  return sawSerious ? EXIT_CHECK_FAILED : EXIT_OK;
}

function describeError(err: unknown): string {
  if (err instanceof CaptureError) return `${err.where}: ${err.message}`;
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
