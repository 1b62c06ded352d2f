import type { EtwPacketInfo } from './etw-packet.js';

/**
 * One capture record. The reader reuses a single Frame object and `data` is a view into its
 * read buffer: both are valid only until the next frame is delivered (copy to keep one).
 */
export interface Frame {
  /** 1-based record number in the file: never renumbered, even when frames are filtered out. */
  number: number;
  data: Uint8Array;
  caplen: number;
  origLen: number;
  tsSec: number;
  tsNsec: number;
  /** Digits of fraction the file's clock carries: 6 for microsecond pcap, 9 for nanosecond. */
  tsDigits: number;
  linktype: number;
  /** Byte offset of the record in the (decompressed) capture, for messages and hex dumps. */
  fileOffset: number;
  /**
   * The packet's comment (pcapng opt_comment; several are joined with a newline), undefined when
   * it has none. Network Monitor: the frame's comment and the reader's notes on it (what a special
   * record is, where its time comes from), joined with '; '. At most MAX_COMMENT_CHARS of the
   * file's text (see cutComment). Untrusted text from the file: escape it before it reaches a terminal.
   */
  comment?: string;
  /** pcapng only: the if_name of the interface the packet came in on, undefined when it has none. */
  interfaceName?: string;
  /** pcapng only: the 1-based section and the interface's 0-based id in it (tshark's frame.section_number, frame.interface_id). */
  section?: number;
  interfaceId?: number;
  /**
   * ETW traces (and pcapngs converted from them) only: what pktmon or NDIS-PacketCapture logged
   * with the packet; undefined for other formats. Reused like the Frame: valid until the next frame.
   */
  etw?: EtwPacketInfo;
}

/**
 * The most of a comment a frame keeps, in characters: one full pcapng comment option (65535 bytes)
 * fits. A larger comment is a flood, not a note: every output of the frame would repeat it, so the
 * rest is dropped (and not decoded) and the text says so.
 */
export const MAX_COMMENT_CHARS = 65536;

/** `text` cut to MAX_COMMENT_CHARS, with a note of the `bytes` the file's comment holds. */
export function cutComment(text: string, bytes: number): string {
  if (text.length <= MAX_COMMENT_CHARS) return text;
  // Not between the two halves of a surrogate pair.
  const last = text.charCodeAt(MAX_COMMENT_CHARS - 1);
  const end = last >= 0xd800 && last < 0xdc00 ? MAX_COMMENT_CHARS - 1 : MAX_COMMENT_CHARS;
  // Copied, not sliced: a slice would keep the whole text alive (Network Monitor's comments are kept for the whole pass).
  const kept = Buffer.from(text.slice(0, end), 'utf16le').toString('utf16le');
  return `${kept} [comment cut to its first ${end} characters: it has ${bytes} bytes]`;
}

/**
 * The link type of a record that holds no packet (a capture tool's own metadata, such as Network
 * Monitor's filter or NetEvent records): shown as data, with no warning about its link type.
 */
export const LINKTYPE_NOT_A_PACKET = -2;

export type FrameHandler = (frame: Frame) => void;

/** Where a reader delivers frames; a reader that reads by position (Network Monitor) takes it too. */
export interface FrameSink {
  onFrame: FrameHandler;
  /** Resolves when more input may be read; resolving to true stops reading (output closed, -c reached). */
  afterChunk(): Promise<boolean> | boolean;
}

/** A streaming parser: chunks in, frames out, synchronously. */
export interface CaptureParser {
  readonly format: string;
  push(chunk: Uint8Array, onFrame: FrameHandler): void;
  /** The input ended: throws CaptureError if a record was cut off. */
  end(): void;
}

export function newFrame(): Frame {
  return {
    number: 0,
    data: new Uint8Array(0),
    caplen: 0,
    origLen: 0,
    tsSec: 0,
    tsNsec: 0,
    tsDigits: 6,
    linktype: 0,
    fileOffset: 0,
    comment: undefined,
    interfaceName: undefined,
    section: undefined,
    interfaceId: undefined,
    etw: undefined,
  };
}
