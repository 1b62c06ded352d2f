// A real pcapng from another project (PcapPlusPlus' GrePackets.pcap, see ../shared/captures/
// PROVENANCE.md): two interfaces with different snaplens, which tcpdump refuses. Checked against
// tshark's recorded `-V` output for it.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CAPTURES_DIR, chunksOf, collect, HAVE_CAPTURES, NO_CAPTURES_REASON } from './helpers.js';

const NAME = 'nvgre_pcapplusplus_GrePackets_mixed-gre';

interface TsharkFrame {
  number: number;
  len: number;
  caplen: number;
  iface: number;
  encap: number;
  sec: number;
  nsec: number;
}

/** Frame lines, interface ids, encapsulations and epoch times from `tshark -V`. */
function tsharkFrames(text: string): TsharkFrame[] {
  const frames: TsharkFrame[] = [];
  for (const line of text.split('\n')) {
    let m = /^Frame (\d+): (\d+) bytes on wire .*?, (\d+) bytes captured/.exec(line);
    if (m) frames.push({ number: +m[1], len: +m[2], caplen: +m[3], iface: -1, encap: -1, sec: -1, nsec: -1 });
    const f = frames[frames.length - 1];
    if ((m = /^ {4}Interface id: (\d+)/.exec(line))) f.iface = +m[1];
    if ((m = /^ {4}Encapsulation type: .* \((\d+)\)$/.exec(line))) f.encap = +m[1];
    if ((m = /^ {4}Epoch Time: (\d+)\.(\d{9}) seconds/.exec(line))) [f.sec, f.nsec] = [+m[1], +m[2]];
  }
  return frames;
}

if (!HAVE_CAPTURES) {
  describe('public pcapng capture', () => {
    it.skip(`skipped: ${NO_CAPTURES_REASON}`, () => {});
  });
} else {
  describe(`public pcapng capture: ${NAME}.pcap`, () => {
    const bytes = new Uint8Array(readFileSync(resolve(CAPTURES_DIR, `${NAME}.pcap`)));
    const tshark = tsharkFrames(readFileSync(resolve(CAPTURES_DIR, 'tshark', `${NAME}.tshark-V.txt`), 'utf8'));

    it('is pcapng with two interface description blocks of different snaplens (the fixture is what it claims)', () => {
      expect(Array.from(bytes.subarray(0, 4))).toEqual([0x0a, 0x0d, 0x0d, 0x0a]);
      expect(tshark).toHaveLength(7);
      expect(new Set(tshark.map((f) => f.iface))).toEqual(new Set([0, 1]));
    });

    it('7 frames with the lengths, link types and times tshark shows, in every chunking', async () => {
      for (const size of [bytes.length, 1, 5, 64]) {
        const { frames, error } = await collect(chunksOf(bytes, size));
        expect(error, `${size}-byte chunks`).toBeNull();
        expect(frames.map((f) => [f.number, f.origLen, f.caplen, f.linktype, f.tsSec, f.tsNsec, f.tsDigits])).toEqual(
          // Both interfaces are Ethernet (wiretap's encapsulation 1, link type 1) in microseconds.
          tshark.map((t) => [t.number, t.len, t.caplen, t.encap, t.sec, t.nsec, 6]),
        );
        expect(frames.every((f) => f.comment === undefined)).toBe(true);
      }
    });

    it('frame 7 (interface 1) is the NVGRE one: GRE key 0x0000fde8', async () => {
      const { frames } = await collect(chunksOf(bytes, bytes.length));
      const d = frames[6].data;
      expect(tshark[6].iface).toBe(1);
      const gre = 14 + (d[14] & 0x0f) * 4;
      expect([d[12], d[13], d[23]]).toEqual([0x08, 0x00, 47]); // IPv4, protocol GRE
      expect(Array.from(d.subarray(gre, gre + 8))).toEqual([0x20, 0x00, 0x65, 0x58, 0x00, 0x00, 0xfd, 0xe8]);
    });
  });
}
