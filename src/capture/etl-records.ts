// The records of an ETW trace buffer and the trace's logfile header (the layout facts of
// ../shared/etl/NOTES.md: fox-it/dissect.etl c_etl.py, headers/*.py; airbus-cert/etl-parser
// etl/wmi.py, etl/event.py). All little-endian.

import { CaptureError } from './errors.js';

export const BUFFER_HEADER = 0x48;
export const BUFFER_FLAG_EVENTS_LOST = 0x02;
export const BUFFER_FLAG_BUFFER_LOST = 0x04;
export const BUFFER_FLAG_COMPRESSED = 0x40;
/** The size a buffer cannot exceed: ETW's own limit is far below, so a larger one is damage. */
export const MAX_BUFFER_BYTES = 16 * 1024 * 1024;

const END_OF_RECORDS = 0xffffffff;
const TRACE_HEADER_FLAGS = 0xc0;
const MESSAGE_FLAGS = 0x90;

export const HEADER_SYSTEM32 = 0x01;
export const HEADER_SYSTEM64 = 0x02;
export const HEADER_EVENT32 = 0x12;
export const HEADER_EVENT64 = 0x13;
export const EVENT_HEADER = 0x50;
const HEADER_MESSAGE = 0x0f;

/**
 * Smallest size of each header type, and where its record size is: the u16 at offset 4 in system,
 * compact and perfinfo headers (the marker's low half there is a version), at offset 0 in the rest.
 */
const HEADERS = new Map<number, { name: string; min: number; sizeAt: 0 | 4 }>([
  [0x01, { name: 'SYSTEM32', min: 0x20, sizeAt: 4 }],
  [0x02, { name: 'SYSTEM64', min: 0x20, sizeAt: 4 }],
  [0x03, { name: 'COMPACT32', min: 0x18, sizeAt: 4 }],
  [0x04, { name: 'COMPACT64', min: 0x18, sizeAt: 4 }],
  [0x0a, { name: 'FULL_HEADER32', min: 0x30, sizeAt: 0 }],
  [0x0b, { name: 'INSTANCE32', min: 0x48, sizeAt: 0 }],
  [0x0f, { name: 'MESSAGE', min: 0x08, sizeAt: 0 }],
  [0x10, { name: 'PERFINFO32', min: 0x10, sizeAt: 4 }],
  [0x11, { name: 'PERFINFO64', min: 0x10, sizeAt: 4 }],
  [0x12, { name: 'EVENT_HEADER32', min: EVENT_HEADER, sizeAt: 0 }],
  [0x13, { name: 'EVENT_HEADER64', min: EVENT_HEADER, sizeAt: 0 }],
  [0x14, { name: 'FULL_HEADER64', min: 0x30, sizeAt: 0 }],
  [0x15, { name: 'INSTANCE64', min: 0x48, sizeAt: 0 }],
]);

/** Where the records of one buffer are, for messages: in the file, or inflated from the buffer at `buffer`. */
export interface RecordPlace {
  /** File offset of records[0] when the buffer is stored plain; -1 when it was inflated. */
  at: number;
  /** File offset of the buffer. */
  buffer: number;
  /** 0-based index of the buffer in the trace. */
  index: number;
}

/** A CaptureError at byte `rel` of a buffer's records. */
export function recordError(kind: 'bad_record' | 'bad_event' | 'bad_timestamp', place: RecordPlace, rel: number, message: string): CaptureError {
  if (place.at >= 0) return new CaptureError(kind, place.at + rel, `buffer ${place.index + 1}: ${message}`);
  return new CaptureError(kind, place.buffer, `buffer ${place.index + 1} (compressed): ${message} (byte ${rel} of its inflated records)`);
}

/** Calls `onRecord(type, p, size)` for each record from 0 up to the end of `recs`. */
export function walkRecords(
  recs: Uint8Array,
  place: RecordPlace,
  onRecord: (type: number, p: number, size: number) => void,
): void {
  const dv = new DataView(recs.buffer, recs.byteOffset, recs.byteLength);
  const end = recs.length;
  let p = 0;
  while (end - p >= 4) {
    const marker = dv.getUint32(p, true);
    if (marker === END_OF_RECORDS) return;
    const flags = marker >>> 24;
    const type = flags === MESSAGE_FLAGS ? HEADER_MESSAGE : (marker >>> 16) & 0xff;
    const h = flags === TRACE_HEADER_FLAGS || flags === MESSAGE_FLAGS ? HEADERS.get(type) : undefined;
    if (h === undefined) {
      const hex = marker.toString(16).padStart(8, '0');
      throw recordError('bad_record', place, p, `record marker 0x${hex} is no trace header type this reader knows, so its size is unknown`);
    }
    if (end - p < h.sizeAt + 2) throw recordError('bad_record', place, p, `${h.name} record header runs past FilledBytes`);
    const size = dv.getUint16(p + h.sizeAt, true);
    if (size < h.min) throw recordError('bad_record', place, p, `${h.name} record of ${size} bytes, shorter than its ${h.min}-byte header`);
    if (size > end - p) throw recordError('bad_record', place, p, `${h.name} record of ${size} bytes runs past FilledBytes (${end - p} bytes left)`);
    onRecord(type, p, size);
    p += (size + 7) & ~7;
  }
}

/** The facts of a trace's TRACE_LOGFILE_HEADER that reading it needs or that are worth a note. */
export interface LogfileHeader {
  pointerSize: number;
  eventsLost: number;
  buffersLost: number;
  /** ReservedFlags: 1 QPC, 2 FILETIME, 3 CPU cycles. */
  clockType: number;
  perfFreq: bigint;
  cpuSpeedMHz: number;
  /** FILETIME (100 ns ticks since 1601) when the trace started. */
  startTime: bigint;
  loggerName: string;
}

const LOGFILE_FIXED = { 8: 0x118, 4: 0x110 } as const;

/** Reads the logfile header from the payload of the trace's first record (a system header with hook id 0). */
export function readLogfileHeader(payload: Uint8Array, pointer64: boolean, place: RecordPlace, rel: number): LogfileHeader {
  const fixed = LOGFILE_FIXED[pointer64 ? 8 : 4];
  if (payload.length < fixed) {
    throw recordError('bad_record', place, rel, `logfile header of ${payload.length} bytes, shorter than the ${fixed} it needs`);
  }
  const dv = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
  // The two string pointers before the time zone are 4 bytes each with 32-bit pointers.
  const shift = pointer64 ? 0 : 8;
  const names = readUtf16z(payload, fixed);
  return {
    pointerSize: dv.getUint32(0x2c, true),
    eventsLost: dv.getUint32(0x30, true),
    cpuSpeedMHz: dv.getUint32(0x34, true),
    perfFreq: dv.getBigUint64(0x100 - shift, true),
    startTime: dv.getBigUint64(0x108 - shift, true),
    clockType: dv.getUint32(0x110 - shift, true),
    buffersLost: dv.getUint32(0x114 - shift, true),
    loggerName: names.text,
  };
}

const utf16 = new TextDecoder('utf-16le');

/** A NUL-terminated UTF-16LE string at `at` (to the end of `b` when unterminated) and the offset after it. */
export function readUtf16z(b: Uint8Array, at: number): { text: string; next: number; terminated: boolean } {
  for (let i = at; i + 1 < b.length; i += 2) {
    if (b[i] === 0 && b[i + 1] === 0) return { text: utf16.decode(b.subarray(at, i)), next: i + 2, terminated: true };
  }
  return { text: utf16.decode(b.subarray(at, b.length - ((b.length - at) & 1))), next: b.length, terminated: false };
}
