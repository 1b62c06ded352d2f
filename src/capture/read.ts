import { CaptureError } from './errors.js';
import type { CaptureParser, FrameHandler } from './frame.js';
import { PcapParser, pcapMagic } from './pcap.js';

/** Where frames go. `afterChunk` runs once per input chunk: it flushes output and applies backpressure. */
export interface FrameSink {
  onFrame: FrameHandler;
  /** Resolves when more input may be read; resolving to true stops reading (output closed, -c reached). */
  afterChunk(): Promise<boolean> | boolean;
}

/** Formats recognised by magic that another reader handles (or will): named in the error. */
const KNOWN_MAGICS: [number[], string][] = [
  [[0x0a, 0x0d, 0x0d, 0x0a], 'pcapng'],
  [[0x1f, 0x8b], 'gzip-compressed data'],
  [[0x47, 0x4d, 0x42, 0x55], 'Network Monitor 2.x capture'],
  [[0x52, 0x54, 0x53, 0x53], 'Network Monitor 1.x capture'],
];

function chooseParser(head: Uint8Array): CaptureParser {
  const magic = pcapMagic(head);
  if (magic) return new PcapParser(magic);
  for (const [bytes, name] of KNOWN_MAGICS) {
    if (bytes.every((b, i) => head[i] === b)) {
      throw new CaptureError('unsupported_format', 0, `${name} is not supported yet; convert it with: editcap -F pcap IN OUT`);
    }
  }
  const shown = Array.from(head.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
  const text = head.subarray(0, 4).every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f));
  throw new CaptureError('bad_magic', 0, `not a capture file: unknown magic ${shown}${text ? ' (looks like text)' : ''}`);
}

/**
 * Reads a whole capture: detects the format from its first bytes, then streams every frame to
 * the sink. Throws CaptureError on damage, after every frame before it was delivered.
 */
export async function readCapture(input: AsyncIterable<Uint8Array>, sink: FrameSink): Promise<void> {
  let parser: CaptureParser | null = null;
  let head: Uint8Array | null = null;
  for await (const raw of input) {
    let chunk: Uint8Array = raw;
    if (chunk.length === 0) continue;
    if (parser === null) {
      head = head === null ? chunk : Buffer.concat([head, chunk]);
      if (head.length < 4) continue;
      parser = chooseParser(head);
      chunk = head;
    }
    parser.push(chunk, sink.onFrame);
    if (await sink.afterChunk()) return;
  }
  if (parser === null) {
    if (head === null) throw new CaptureError('empty', 0, 'empty file: no capture header');
    parser = chooseParser(head);
    parser.push(head, sink.onFrame);
  }
  parser.end();
}
