export type CaptureErrorKind =
  | 'empty'
  | 'bad_magic'
  | 'unsupported_format'
  | 'truncated_file_header'
  | 'truncated_record_header'
  | 'truncated_record_body'
  | 'record_too_long'
  /** pcapng structure: a block length, byte-order magic, option or interface reference that cannot be right, or more interfaces than any capture has. */
  | 'bad_block'
  /** A frame time (pcapng: with its interface's if_tsoffset; Network Monitor: start plus delta) outside the dates a clock can show. */
  | 'bad_timestamp'
  /** The gzip layer itself: corrupt or cut-off compressed data. */
  | 'bad_gzip'
  /** A Network Monitor frame table or comment table that lies outside the file or cannot be parsed. */
  | 'bad_table'
  /** An ETW trace buffer whose header cannot be right, or whose compressed records do not inflate. */
  | 'bad_buffer'
  /** An ETW trace record whose header type or size cannot be right. */
  | 'bad_record'
  /** An ETW packet event shorter than the sizes it declares. */
  | 'bad_event'
  /** An ETW trace that holds no packet events at all. */
  | 'no_packets';

/**
 * A capture file that cannot be read further. `offset` is the byte where the damage starts: in
 * the file, or in the decompressed data when `decompressed` is true (a .gz capture).
 */
export class CaptureError extends Error {
  constructor(
    readonly kind: CaptureErrorKind,
    readonly offset: number,
    message: string,
    readonly decompressed = false,
  ) {
    super(message);
    this.name = 'CaptureError';
  }

  /** `at byte 436`, or `at byte 436 of the decompressed data`: where the message applies. */
  get where(): string {
    return `at byte ${this.offset}${this.decompressed ? ' of the decompressed data' : ''}`;
  }
}

/** No real link layer needs more; a larger length means a damaged or hostile file. */
export const MAX_RECORD_BYTES = 256 * 1024;

/** The first 4 bytes in hex, and whether they look like text: what an error shows of bytes it cannot place. */
export function firstBytes(b: Uint8Array): string {
  const head = b.subarray(0, 4);
  const text = head.every((c) => c === 0x09 || c === 0x0a || c === 0x0d || (c >= 0x20 && c < 0x7f));
  return `${Array.from(head, (c) => c.toString(16).padStart(2, '0')).join(' ')}${text ? ' (looks like text)' : ''}`;
}
