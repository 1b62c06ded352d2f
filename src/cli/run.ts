import { JourneyLog } from '../analyze/journey.js';
import { LookupTable } from '../analyze/lookup.js';
import { annotate, PolicyNames } from '../analyze/names.js';
import { comparePolicy, FlowLog } from '../analyze/policy.js';
import { Stats } from '../analyze/stats.js';
import { CaptureError } from '../capture/errors.js';
import { openCaptureFile } from '../capture/netmon.js';
import { fileChunks, readCapture } from '../capture/read.js';
import { dissect } from '../decode/dissect.js';
import { Dissection, type Packet } from '../decode/packet.js';
import type { Policy } from '../policy/model.js';
import { Conversations } from '../decode/conversations.js';
import { Reassembler } from '../decode/reassembly.js';
import { earlyRejection, isFiltering, type Selection, selects } from '../filter/select.js';
import { Clock, type TimeFormat } from '../format/clock.js';
import { fieldsHeader } from '../format/field-columns.js';
import { formatJourneyJson, formatJourneyText } from '../format/journey.js';
import { formatLookupJson, formatLookupTable } from '../format/lookup.js';
import { formatPolicyJson, formatPolicyTable } from '../format/policy.js';
import { makePalette } from '../format/palette.js';
import { formatStatsJson, formatStatsTable } from '../format/stats.js';
import type { ColorLevel } from './color.js';
import { type FrameFormat, frameWriter, type Mode } from './frame-writer.js';
import { Jobs } from './jobs.js';
import { readSideBySide, sideBySide } from './side-by-side.js';
import { Output } from './output.js';
import { describeIoError, shownPath, unreadablePaths } from './paths.js';
import { WriteError } from '../capture/writer.js';
import { FileWriter, type WriteOptions } from './write-file.js';

export type { Mode };

export interface Options extends FrameFormat {
  captures: string[];
  color: ColorLevel;
  /** Print the per-VSID table (or JSON object with --json) instead of frames. */
  stats: boolean;
  /** Print the lookup records rebuilt from the traffic (or JSON) instead of frames. */
  lookup: boolean;
  /** Print each pktmon packet's path through the host (or JSON) instead of frames. */
  journey?: boolean;
  /** Print nothing: the exit status is the answer. */
  quiet: boolean;
  /** Exit 1 when a shown frame carries a warning of severity warn or error. */
  strict: boolean;
  /** Decode fragmented datagrams on the frame that completes them (as tshark does). */
  reassemble: boolean;
  /** Stop after this many shown frames. */
  count?: number;
  selection: Selection;
  /** -t: how the tree and summary show a frame's time (UTC ISO 8601 when not given). */
  time?: TimeFormat;
  /** -l: every frame handed to the output as soon as it is written, for a reader that follows. */
  lineBuffered?: boolean;
  /** -w: the selected frames are written to a capture file too (or instead of printed). */
  write?: WriteOptions;
  /**
   * --policy: every record of the given PowerShell exports, read before the first capture: names
   * for the outputs, and with --lookup the policy the wire is compared with.
   */
  policy?: Policy;
  /**
   * --jobs: threads writing the shown frames (1: all on this one). With more, a capture larger
   * than a few batches is written by worker threads, the output unchanged (jobs.ts).
   */
  jobs?: number;
  /** Frames per batch handed to a worker (tests make it tiny, so that small fixtures cross threads). */
  batchFrames?: number;
  /** One capture of several on the command line, read by a worker of its own (side-by-side.ts): named as with several. */
  oneOfSeveral?: boolean;
}

export interface Streams {
  stdin: AsyncIterable<Uint8Array>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
export const EXIT_BROKEN = 2;

/** One line on standard error, as every complaint of the program is. */
export function complain(io: Streams, message: string): void {
  io.stderr.write(`nvgre-dissect: ${message}\n`);
}

function hasSeriousWarning(pkt: Packet): boolean {
  const serious = (ws: Packet['frameWarnings']): boolean => ws?.some((w) => w.severity !== 'note') ?? false;
  return serious(pkt.frameWarnings) || pkt.layers.some((l) => serious(l.warnings));
}

/** Dissects every capture in turn and prints what was asked; returns the exit code. */
export async function run(opts: Options, io: Streams): Promise<number> {
  const unreadable = await unreadablePaths(opts.captures);
  if (unreadable.length > 0) {
    for (const line of unreadable) complain(io, line);
    return EXIT_BROKEN;
  }
  if (await sideBySide(opts)) return readSideBySide(opts, io);
  let file: FileWriter | undefined;
  if (opts.write !== undefined) {
    const opened = await FileWriter.open(opts.write, opts.captures, io.stdout, (m) => complain(io, m));
    if (typeof opened === 'string') {
      complain(io, opened);
      return EXIT_BROKEN;
    }
    file = opened;
  }
  const out = new Output(io.stdout, (m) => complain(io, m));
  // -w alone prints no frame: the file is the output.
  const printing = !opts.quiet && (opts.write === undefined || opts.write.print);
  const palette = makePalette(opts.color);
  const several = opts.captures.length > 1 || opts.oneOfSeveral === true;
  let clock = new Clock(opts.time);
  let write = frameWriter(opts, palette, clock, opts.captures[0], several);
  // Without reassembly fragments are still followed, without their bytes: a later piece names its first and its VSID.
  const dissection = new Dissection(new Reassembler(opts.reassemble));
  // The journey decodes every frame: a packet is shown when any of its appearances is selected.
  dissection.rejects = opts.journey ? null : earlyRejection(opts.selection);
  const stats = new Stats();
  const lookup = new LookupTable();
  const journey = new JourneyLog();
  // Without a policy no frame is annotated: one null check per frame.
  const names = opts.policy === undefined ? null : new PolicyNames(opts.policy);
  const flows = opts.lookup && opts.policy !== undefined ? new FlowLog() : null;
  const summaryOnly = opts.stats || opts.lookup || opts.journey;
  if (opts.mode === 'fields' && opts.fields?.style.header === true && !summaryOnly && printing) out.str(fieldsHeader(opts.fields.names, opts.fields.style));
  // Only frames written as text are worth handing out; -l wants each frame out as soon as it is read.
  const format: FrameFormat = { mode: opts.mode, fields: opts.fields, hex: opts.hex };
  const jobs =
    (opts.jobs ?? 1) > 1 && printing && !summaryOnly && !opts.lineBuffered
      ? new Jobs(opts.jobs!, { format, color: opts.color, time: opts.time, captures: opts.captures, policy: opts.policy }, out, opts.batchFrames)
      : null;
  let fileIndex = 0;
  const filtering = isFiltering(opts.selection);
  let broken = false;
  let sawSerious = false;
  let done = false;
  let read = 0;
  let shown = 0;

  const onPacket = (pkt: Packet): void => {
    const selected = !filtering || (!dissection.rejected && selects(opts.selection, pkt));
    if (opts.journey) journey.add(pkt, selected);
    if (!selected) {
      if (jobs?.started === true) jobs.notShown();
      return;
    }
    if (opts.strict && !sawSerious) sawSerious = hasSeriousWarning(pkt);
    shown++;
    if (opts.stats) stats.add(pkt);
    if (opts.lookup) lookup.add(pkt);
    if (flows !== null) flows.add(pkt);
    if (file !== undefined) file.write(pkt);
    if (summaryOnly || !printing) {
      // the end-of-pass views print instead of frames
    } else if (jobs?.started === true) jobs.shown(pkt, clock, fileIndex, write);
    else {
      write(pkt, out);
      if (opts.lineBuffered) out.handOver();
    }
    clock.shown(pkt.frame);
    if (opts.count !== undefined && shown >= opts.count) done = true;
  };

  try {
    for (const [index, path] of opts.captures.entries()) {
      if (out.closed || done || file?.out.closed === true) break;
      fileIndex = index;
      if (several) {
        // Times relative to the first frame, and frame numbers, start again in each file.
        clock = new Clock(opts.time);
        if (file !== undefined) file.source = shownPath(path);
        write = frameWriter(opts, palette, clock, path, several);
        // Frame numbers start again in each file: so do the datagrams pieces are gathered into.
        dissection.reassembly = new Reassembler(opts.reassemble);
        // And the conversations: tcp.stream counts from 0 in each file, as tshark's would.
        dissection.conversations = new Conversations();
        stats.nextFile(shownPath(path));
        lookup.nextFile(shownPath(path));
        flows?.nextFile(lookup.files.length - 1);
        journey.nextFile(path);
      }
      if (several && opts.mode === 'tree' && !summaryOnly && printing) {
        const header = `==> ${shownPath(path)} <==\n`;
        if (jobs === null) out.str(header);
        else jobs.text(header);
      }
      const input = path === '-' ? io.stdin : fileChunks(path);
      // A Network Monitor .cap is read by position (its frame table is at the end): stdin cannot be.
      const openFile = path === '-' ? undefined : () => openCaptureFile(path);
      try {
        await readCapture(input, {
          onFrame: (frame) => {
            if (done) return;
            read++;
            clock.read(frame);
            jobs?.beforeFrame(read, dissection);
            const pkt = dissect(frame, dissection);
            if (names !== null) annotate(pkt, names);
            onPacket(pkt);
          },
          afterChunk: async () => {
            await jobs?.room();
            await out.flush();
            if (file !== undefined) await file.out.flush();
            return out.closed || done || file?.out.closed === true;
          },
        }, openFile);
        jobs?.endFile(index);
      } catch (err) {
        // Every frame before the damage is written first, then the one line that says where it is.
        jobs?.endFile(index);
        await jobs?.drain();
        await out.flush();
        complain(io, err instanceof WriteError ? `-w ${file?.shown}: ${err.message}` : `${shownPath(path)}: ${describeError(err)}`);
        broken = true;
        if (err instanceof WriteError) break;
      }
    }
    await jobs?.drain();
  } finally {
    await jobs?.close();
  }
  await file?.finish(broken);
  stats.totals.framesRead = read;
  // Tables fit a terminal, or COLUMNS when it is set (as ls takes it); in a pipe they keep their natural width.
  const tty = io.stdout as Partial<NodeJS.WriteStream>;
  const columns = /^[1-9]\d{0,4}$/.test(process.env.COLUMNS ?? '') ? Number(process.env.COLUMNS) : undefined;
  const width = columns ?? (tty.isTTY === true ? tty.columns : undefined);
  if (opts.stats && !opts.quiet) out.str(opts.mode === 'json' ? formatStatsJson(stats) : formatStatsTable(stats, palette, width));
  // With a policy, --lookup holds the records against it: exit 1 when anything differs.
  const wire = flows === null ? null : lookup.result();
  const comparison = wire === null ? null : comparePolicy(opts.policy!, wire.records, flows!.result(), lookup.files);
  if (opts.lookup && !opts.quiet) {
    if (comparison !== null) {
      const conflicts = wire!.conflicts;
      out.str(opts.mode === 'json' ? formatPolicyJson(comparison, conflicts) : formatPolicyTable(comparison, conflicts, palette, width));
    } else out.str(opts.mode === 'json' ? formatLookupJson(lookup) : formatLookupTable(lookup, palette, width));
  }
  if (opts.journey && !opts.quiet) out.str(opts.mode === 'json' ? formatJourneyJson(journey.result()) : formatJourneyText(journey.result(), palette, width));
  await out.finish();
  if (broken || out.failed || file?.out.failed === true) return EXIT_BROKEN;
  if (filtering && shown === 0) return EXIT_CHECK_FAILED;
  if (comparison !== null && !comparison.agrees) return EXIT_CHECK_FAILED;
  return sawSerious ? EXIT_CHECK_FAILED : EXIT_OK;
}

function describeError(err: unknown): string {
  return err instanceof CaptureError ? `${err.where}: ${err.message}` : describeIoError(err);
}
