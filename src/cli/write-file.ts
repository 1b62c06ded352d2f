// fs.promises is read when first called; importing node:fs/promises would load it (and readline) at every start.
import { constants, createWriteStream, fstatSync, ftruncateSync, open, promises as fs } from 'node:fs';
import { promisify } from 'node:util';
import { CaptureWriter, type WriteFormat } from '../capture/writer.js';
import { innerFrame } from '../decode/inner.js';
import type { Packet } from '../decode/packet.js';
import { tunnelNote } from '../format/tunnel-note.js';
import { Output } from './output.js';
import { shownPath } from './paths.js';
import { escapeControls } from '../format/text.js';
import { etwNote } from '../format/tree.js';

const openFd = promisify(open);

/** Why a path cannot be written, in a few words. */
function whyNot(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return 'no such directory';
  if (e.code === 'EACCES') return 'permission denied';
  if (e.code === 'EISDIR') return 'is a directory';
  if (e.code !== undefined) return escapeControls(e.message);
  throw err;
}

/** What -w asks for. */
export interface WriteOptions {
  /** `-`: standard output. */
  path: string;
  format: WriteFormat;
  /** Write each tunnel's inner Ethernet frame instead of the frame as captured. */
  decap: boolean;
  /** Frames are printed too (-s, --json, -x, -P): otherwise -w prints nothing. */
  print: boolean;
}

/** The selected frames going to a capture file, through a buffered output with backpressure. */
export class FileWriter {
  private readonly writer: CaptureWriter;
  /** The file as messages name it. */
  readonly shown: string;
  /** Whether any byte went out: until then an existing file is left as it was. */
  private started = false;

  private constructor(
    readonly out: Output,
    private readonly opts: WriteOptions,
    /** The file's stream, ended when done; null for standard output, which the run goes on using. */
    private readonly file: NodeJS.WritableStream | null,
    /** A regular file's descriptor, emptied when the first byte is written. */
    private readonly regularFd: number | null = null,
  ) {
    this.writer = new CaptureWriter(opts.format, (b) => {
      if (!this.started) {
        this.started = true;
        if (regularFd !== null) ftruncateSync(regularFd, 0);
      }
      out.bytes(b);
    });
    this.shown = opts.path === '-' ? '(stdout)' : shownPath(opts.path);
  }

  /**
   * Opens the file before any frame is read: a path that cannot be written, or that is one of the
   * captures (opening it would empty it first), is returned as the one line to say, and nothing is opened.
   */
  static async open(opts: WriteOptions, captures: readonly string[], stdout: NodeJS.WritableStream, report: (m: string) => void): Promise<FileWriter | string> {
    if (opts.path === '-') return new FileWriter(new Output(stdout, report), opts, null);
    // The file's write errors name it: standard output's need no name, as the printed output's do not.
    const fileReport = (m: string): void => report(`-w ${shownPath(opts.path)}: ${m}`);
    const target = await fs.stat(opts.path).catch(() => null);
    for (const path of target === null ? [] : captures) {
      if (path === '-') continue;
      const s = await fs.stat(path).catch(() => null);
      if (s !== null && s.dev === target?.dev && s.ino === target.ino) return `-w ${shownPath(opts.path)}: is the capture ${shownPath(path)} being read: write to another file`;
    }
    try {
      // Not truncated yet: a run that fails before its first frame (-w typed for -r, an empty
      // standard input) must not have emptied the file it names.
      const fd = await openFd(opts.path, constants.O_WRONLY | constants.O_CREAT);
      const stream = createWriteStream('', { fd });
      return new FileWriter(new Output(stream, fileReport), opts, stream, fstatSync(fd).isFile() ? fd : null);
    } catch (err) {
      return `-w ${shownPath(opts.path)}: cannot write: ${whyNot(err)}`;
    }
  }

  /** The capture the next frames come from, to name in errors when there are several. */
  set source(name: string) {
    this.writer.source = name;
  }

  /** Writes a selected packet; a frame the format cannot hold is a WriteError (the run stops). */
  write(pkt: Packet): void {
    const e = pkt.frame.etw;
    // The PktGroupId, the drop and the component go in the file's own options and interfaces
    // (CaptureWriter); the rest of what a trace logged (component id, direction, appearance, the
    // NDIS fields) has no pcapng option, and would be lost without the comment. What a converted
    // pcapng held is all in those options already.
    const etw = e === undefined || e.provider === 'pktmon-pcapng' ? undefined : e;
    if (!this.opts.decap) {
      this.writer.write(pkt.frame, etw === undefined ? undefined : { note: etwNote(etw) });
      return;
    }
    const inner = innerFrame(pkt);
    if (inner === null) return;
    const note = etw === undefined ? tunnelNote(inner) : `${tunnelNote(inner)}; ${etwNote(etw)}`;
    this.writer.write(pkt.frame, { data: inner.data, origLen: inner.origLen, linktype: 1, note });
  }

  /**
   * Writes the header of a file no frame went to (unless the input was `broken` before any frame:
   * then an existing file is left untouched), and waits until everything is written.
   */
  async finish(broken: boolean): Promise<void> {
    if (!(broken && !this.started)) this.writer.finish();
    await this.out.finish();
    const file = this.file;
    // Closed before the exit status is decided: a failure to close (a full disk on NFS) is a write error too.
    if (file !== null && !this.out.closed) await new Promise<void>((resolve) => file.end(resolve));
  }
}
