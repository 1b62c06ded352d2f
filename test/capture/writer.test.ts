// The capture writer on its own: times at the edges of what each format holds come back exact
// through our readers, and what a format cannot hold is a WriteError naming the frame.
import { describe, expect, it } from 'vitest';
import { type Frame, newFrame } from '../../src/capture/frame.js';
import { PcapParser, pcapMagic } from '../../src/capture/pcap.js';
import { PcapngParser } from '../../src/capture/pcapng.js';
import { CaptureWriter, type WriteFormat, WriteError } from '../../src/capture/writer.js';

function frame(number: number, tsSec: number, tsNsec: number, tsDigits = 9): Frame {
  return { ...newFrame(), number, tsSec, tsNsec, tsDigits, linktype: 1, data: Uint8Array.of(1, 2, 3), caplen: 3, origLen: 60 };
}

function written(format: WriteFormat, frames: Frame[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const w = new CaptureWriter(format, (b) => parts.push(Uint8Array.from(b)));
  for (const f of frames) w.write(f);
  w.finish();
  return Buffer.concat(parts);
}

function times(format: WriteFormat, bytes: Uint8Array): string[] {
  const magic = pcapMagic(bytes);
  const parser = format === 'pcap' && magic !== null ? new PcapParser(magic) : new PcapngParser();
  const out: string[] = [];
  parser.push(bytes, (f) => out.push(`${f.tsSec}.${String(f.tsNsec).padStart(9, '0')} ${f.caplen}/${f.origLen}`));
  parser.end();
  return out;
}

describe('CaptureWriter', () => {
  it('pcapng: nanosecond times exact up to the year 2540 (the 64-bit count split without loss)', () => {
    const frames = [frame(1, 0, 0), frame(2, 1_374_220_800, 123_456_789), frame(3, 4_294_967_295, 999_999_999), frame(4, 17_999_999_999, 999_999_999)];
    expect(times('pcapng', written('pcapng', frames))).toEqual([
      '0.000000000 3/60',
      '1374220800.123456789 3/60',
      '4294967295.999999999 3/60',
      '17999999999.999999999 3/60',
    ]);
  });

  it('pcap: microseconds when the first frame has them (finer digits dropped), else nanoseconds', () => {
    const us = written('pcap', [frame(1, 4_294_967_295, 999_999_000, 6), frame(2, 5, 1_999, 9)]);
    expect(times('pcap', us)).toEqual(['4294967295.999999000 3/60', '5.000001000 3/60']);
    expect(times('pcap', written('pcap', [frame(1, 5, 1_999)]))).toEqual(['5.000001999 3/60']);
  });

  it('a time a format cannot hold is an error naming the frame (and its capture, when set)', () => {
    const w = new CaptureWriter('pcap', () => undefined);
    w.source = 'b.pcapng';
    expect(() => w.write(frame(7, 4_294_967_296, 0))).toThrow(new WriteError('frame 7 of b.pcapng has a time 4294967296 s from 1970, which pcap cannot hold'));
    expect(() => new CaptureWriter('pcapng', () => undefined).write(frame(2, -1, 0))).toThrow(WriteError);
  });

  it('no frame: a pcapng section header alone, or an Ethernet pcap header', () => {
    expect(times('pcapng', written('pcapng', []))).toEqual([]);
    expect(Buffer.from(written('pcap', [])).toString('hex')).toBe(['d4c3b2a1', '02000400', '00000000', '00000000', '00000400', '01000000'].join(''));
  });
});
