export type CaptureErrorKind =
  | 'empty'
  | 'bad_magic'
  | 'unsupported_format'
  | 'truncated_file_header'
  | 'truncated_record_header'
  | 'truncated_record_body'
  | 'record_too_long';

/** A capture file that cannot be read further. `offset` is the byte where the damage starts. */
export class CaptureError extends Error {
  constructor(
    readonly kind: CaptureErrorKind,
    readonly offset: number,
    message: string,
  ) {
    super(message);
    this.name = 'CaptureError';
  }
}

/** No real link layer needs more; a larger length means a damaged or hostile file. */
export const MAX_RECORD_BYTES = 256 * 1024;
