// Cross-check of readCapture against the independent devDependency pcap-parser 0.2.1 (its only
// role in the project). pcap-parser reads classic microsecond pcap in either byte order only.
import type { EventEmitter } from 'node:events';
import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../src/capture/read.js';
import { CAPTURES_DIR, copyFrame, FIXTURES, type FrameCopy, HAVE_CAPTURES, NO_CAPTURES_REASON } from './helpers.js';

interface PcapParserPacket {
  header: { timestampSeconds: number; timestampMicroseconds: number; capturedLength: number; originalLength: number };
  data: Buffer;
}
interface PcapParserModule {
  parse(input: string | NodeJS.ReadableStream): EventEmitter;
}
const pcapParser = createRequire(import.meta.url)('pcap-parser') as PcapParserModule;

interface Rec {
  sec: number;
  usec: number;
  caplen: number;
  origLen: number;
  data: Uint8Array;
}

function viaPcapParser(path: string): Promise<Rec[]> {
  return new Promise((done, fail) => {
    const out: Rec[] = [];
    let failed = false;
    const p = pcapParser.parse(path);
    p.on('packet', (pkt: PcapParserPacket) => {
      out.push({
        sec: pkt.header.timestampSeconds,
        usec: pkt.header.timestampMicroseconds,
        caplen: pkt.header.capturedLength,
        origLen: pkt.header.originalLength,
        data: new Uint8Array(pkt.data),
      });
    });
    p.on('error', (e: Error) => {
      failed = true;
      fail(e);
    });
    p.on('end', () => {
      if (!failed) done(out);
    });
  });
}

async function viaReadCapture(path: string): Promise<{ recs: Rec[]; frames: FrameCopy[] }> {
  const frames: FrameCopy[] = [];
  await readCapture(createReadStream(path), { onFrame: (f) => frames.push(copyFrame(f)), afterChunk: () => false });
  return {
    frames,
    recs: frames.map((f) => ({
      sec: f.tsSec,
      usec: f.tsNsec / 1000,
      caplen: f.caplen,
      origLen: f.origLen,
      data: f.data,
    })),
  };
}

/** Classic microsecond pcap, either byte order: the magics pcap-parser understands. */
function isClassicMicro(path: string): boolean {
  const m = readFileSync(path).subarray(0, 4).toString('hex');
  return m === 'd4c3b2a1' || m === 'a1b2c3d4';
}

function pcapsIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith('.pcap'))
    .sort();
}

async function crossCheck(path: string, expectedCount: number): Promise<void> {
  const [theirs, ours] = await Promise.all([viaPcapParser(path), viaReadCapture(path)]);
  expect(theirs.length, 'pcap-parser record count').toBe(expectedCount);
  expect(ours.recs.length, 'readCapture record count').toBe(expectedCount);
  for (let i = 0; i < expectedCount; i++) {
    const f = ours.frames[i];
    expect(f.number).toBe(i + 1);
    expect(f.tsDigits).toBe(6);
    expect(f.tsNsec % 1000, `frame ${i + 1}: a µs clock gives whole µs`).toBe(0);
    expect(ours.recs[i], `frame ${i + 1}`).toEqual(theirs[i]);
  }
}

describe('cross-check with pcap-parser: committed fixtures', () => {
  // Frame counts as fixtures/build.ts, fixtures/anomalies.ts and fixtures/kinds.ts write them.
  const EXPECTED: Record<string, number> = {
    'bad-checksums.pcap': 9,
    'ca-moved.pcap': 8,
    'fragments.pcap': 13,
    'gre-nesting.pcap': 2,
    'hostile-payload.pcap': 2,
    'host-a.pcap': 8,
    'host-b.pcap': 4,
    'host-c.pcap': 4,
    'lengths.pcap': 18,
    'lookup-conflicts.pcap': 6,
    'mtu.pcap': 6,
    'null-truncated.pcap': 1,
    'nvgre-ipv6.pcap': 21,
    'overlays.pcap': 14,
    'rfc7637-violations.pcap': 9,
    'seed-ping-be.pcap': 8,
    'seed-ping-null.pcap': 8,
    'seed-ping-raw.pcap': 8,
    'seed-ping-raw4.pcap': 8,
    'seed-ping-sll.pcap': 8,
    'seed-ping-sll2.pcap': 8,
    'seed-ping-vlan.pcap': 8,
    'seed-ping.pcap': 8,
    'sll-truncated.pcap': 1,
    'snaplen-64.pcap': 8,
    'streams.pcap': 13,
    'tenant-mix.pcap': 9,
    'truncated-headers.pcap': 11,
    'unknown-linktype.pcap': 1,
  };
  const files = pcapsIn(FIXTURES).filter((n) => isClassicMicro(resolve(FIXTURES, n)));

  it('finds the classic µs fixtures (the ns ones are out of pcap-parser’s reach)', () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const name of files) {
    it(`${name}: same record count, timestamps and bytes`, async () => {
      await crossCheck(resolve(FIXTURES, name), EXPECTED[name] ?? -1);
    });
  }
});

if (!HAVE_CAPTURES) {
  describe('cross-check with pcap-parser: public captures', () => {
    it.skip(`skipped: ${NO_CAPTURES_REASON}`, () => {});
  });
} else {
  describe('cross-check with pcap-parser: public captures', () => {
    // Frame counts from PROVENANCE.md (tshark ground truth).
    const EXPECTED: Record<string, number> = {
      'neighbour_erspan-ii_tcpdump_erspan-type-ii-1.pcap': 1,
      'neighbour_gre-csum-key-seq-ipv4_ryu_gre_full_options.pcap': 1,
      'neighbour_gre-ipv4-plain_zeek_gre-sample.pcap': 40,
      'neighbour_gre-key-nonteb_tcpdump_various_gre.pcap': 100,
      'neighbour_gre-teb-nokey_suricata-verify_bug-2576-01_temp6.pcap': 15,
      'neighbour_vxlan_tcpdump_vxlan.pcap': 10,
      'nvgre-shaped_zeek_erspan-trace_real-2015_teb-key_outer-frags.pcap': 287,
      'nvgre_packetnet_gre_nvgre.pcap': 1,
      'nvgre_ryu_gre_nvgre_option_inner-vlan.pcap': 1,
    };
    const all = pcapsIn(CAPTURES_DIR);
    const classic = all.filter((n) => isClassicMicro(resolve(CAPTURES_DIR, n)));

    it('every public capture but the pcapng one is classic µs pcap', () => {
      expect(all.filter((n) => !classic.includes(n))).toEqual(['nvgre_pcapplusplus_GrePackets_mixed-gre.pcap']);
    });

    for (const name of classic) {
      it(`${name}: same record count, timestamps and bytes`, async () => {
        expect(EXPECTED[name], `no expected frame count for ${name}`).toBeTypeOf('number');
        await crossCheck(resolve(CAPTURES_DIR, name), EXPECTED[name] ?? -1);
      });
    }
  });
}
