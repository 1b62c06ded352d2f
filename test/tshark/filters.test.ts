// Every display filter of filters.ts, on every fixture and public capture, against the frames
// tshark 4.0 selected with it (recorded by `npm run record-tshark` into *.filters.tsv; see
// record-filters.sh). Decoded in-process with reassembly, as the CLI does.
import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../src/capture/frame.js';
import { openCaptureFile } from '../../src/capture/netmon.js';
import { readCapture } from '../../src/capture/read.js';
import { dissect } from '../../src/decode/dissect.js';
import { Dissection } from '../../src/decode/packet.js';
import { Reassembler } from '../../src/decode/reassembly.js';
import { matches } from '../../src/filter/evaluate.js';
import { parseFilter } from '../../src/filter/parse.js';
import { ROOT } from '../cli/spawn.js';
import { FILTERS } from './filters.js';
import { keep } from '../fields.js';

const TSHARK = `${ROOT}test/tshark`;
const CAPTURES = resolve(ROOT, process.env.NVGRE_CAPTURES ?? '../shared/captures');

/** "1-3,7" -> [1, 2, 3, 7]. */
function frameList(text: string): number[] {
  if (text === '') return [];
  return text.split(',').flatMap((part) => {
    const [a, b = a] = part.split('-').map(Number);
    return Array.from({ length: b - a + 1 }, (_, i) => a + i);
  });
}

/** tshark's answers for one capture, by tshark's spelling of the filter. */
function recorded(path: string): Map<string, string> {
  // Not trimEnd: the last line's empty frame list would go with it.
  const lines = readFileSync(path, 'utf8').replace(/\n$/, '').split('\n');
  return new Map(lines.map((l) => l.split('\t') as [string, string]));
}

/** Frame numbers each of our filters selects in the capture. */
async function ourAnswers(path: string): Promise<Map<string, number[]>> {
  const frames: Frame[] = [];
  await readCapture(createReadStream(path), { onFrame: (f) => frames.push({ ...f, data: new Uint8Array(f.data) }), afterChunk: () => false }, () =>
    openCaptureFile(path),
  );
  const d = new Dissection(new Reassembler());
  const packets = frames.map((f) => keep(dissect(f, d)));
  const out = new Map<string, number[]>();
  for (const f of FILTERS) {
    const expr = parseFilter(f.ours);
    out.set(f.ours, packets.filter((p) => matches(expr, p)).map((p) => p.frame.number));
  }
  return out;
}

/**
 * Where we still differ from tshark, and why: filters (or 'any') on the captures `captures`
 * names. Each entry must still differ somewhere (the last test checks), so the list cannot go stale.
 */
interface Known {
  captures: RegExp;
  filters: readonly string[] | 'any';
  why: string;
}

const PAYLOAD = ['data', 'len(data.data) > 10', 'data.data contains 00:01'];
const DIFFERENT: readonly Known[] = [
  {
    captures: /./,
    filters: PAYLOAD,
    why: 'tshark hands TCP and UDP payloads to HTTP, DNS, ... and ICMP errors to the quoted headers; we show them as data',
  },
  {
    captures: /^(tenant-mix|lengths|gre-nesting|nvgre-shaped.*|neighbour_vxlan.*)\.pcap$/,
    filters: ['eth.dst[0] == ff'],
    why: 'tshark 4.0 reads a bare ff as the name of its Foundation Fieldbus protocol, not as a byte (it needs 0xff or "\\xff")',
  },
  {
    captures: /^seed-ping-nm(1|20)\.cap$/,
    filters: ['frame.comment'],
    why: "our Network Monitor reader notes where a frame's time comes from in its comment; tshark has no comment",
  },
  {
    captures: /^snaplen-64\.pcap$/,
    filters: ['frame.len > ip.len + 20'],
    why: "the tenant's IPv4 header is cut after 8 bytes: tshark reads its ip.len from them, we do not half-decode it (as in agreement.test.ts)",
  },
  { captures: /^netmon-special\.cap$/, filters: 'any', why: 'tshark skips the special records (network info, DNS cache ...) so its frame numbers fall behind ours' },
  { captures: /^multi-section\.pcapng$/, filters: 'any', why: 'tshark counts the custom block as frame 10 and gives the simple packet block no time; we skip the one and give the other time 0' },
  { captures: /^(lengths|gre-nesting|truncated-headers)\.pcap$/, filters: 'any', why: 'malformed and over-nested headers decode differently (see DIFFERENT_ON_PURPOSE in agreement.test.ts)' },
  {
    captures: /^(fragments|nvgre-shaped_zeek_erspan-trace_real-2015_teb-key_outer-frags)\.pcap$/,
    filters: 'any',
    why: "IP fragments: tshark names a datagram's protocols on the frame that completes it and shows earlier pieces as fragments; we also lend later pieces the NVGRE header of the first",
  },
];

const used = new Set<Known>();
const known = (capture: string, filter: string): Known | undefined =>
  DIFFERENT.find((d) => d.captures.test(capture) && (d.filters === 'any' || d.filters.includes(filter)));

async function compare(capture: string, tsv: string, path: string): Promise<void> {
  const theirs = recorded(tsv);
  const ours = await ourAnswers(path);
  const unexplained: string[] = [];
  for (const f of FILTERS) {
    const t = theirs.get(f.tshark ?? f.ours);
    expect(t, `${capture}: no recording for ${f.ours}: npm run record-tshark`).toBeDefined();
    const same = t !== 'error' && JSON.stringify(frameList(t!)) === JSON.stringify(ours.get(f.ours));
    if (same) continue;
    const k = known(capture, f.ours);
    if (k === undefined) unexplained.push(`${f.ours}: tshark ${t}, ours ${ours.get(f.ours)!.join(',')}`);
    else used.add(k);
  }
  expect({ capture, unexplained }).toEqual({ capture, unexplained: [] });
}

const fixtures = readdirSync(`${ROOT}fixtures`).filter((f) => /\.(pcap|pcapng|cap|gz)$/.test(f));

describe('display filters select the frames tshark selects, on every fixture', () => {
  it(`the table has at least 80 filters`, () => {
    expect(FILTERS.length).toBeGreaterThanOrEqual(80);
  });
  for (const name of fixtures) {
    const tsv = `${TSHARK}/${name}.filters.tsv`;
    it(name, () => compare(name, tsv, `${ROOT}fixtures/${name}`));
  }
});

describe.skipIf(!existsSync(CAPTURES))('display filters select the frames tshark selects, on the public captures', () => {
  const names = existsSync(CAPTURES) ? readdirSync(CAPTURES).filter((f) => f.endsWith('.pcap')).map((f) => f.slice(0, -5)) : [];
  for (const name of names) {
    const tsv = `${TSHARK}/captures/${name}.filters.tsv`;
    it.skipIf(!existsSync(tsv))(name, () => compare(`${name}.pcap`, tsv, `${CAPTURES}/${name}.pcap`));
  }
});

describe('the known differences', () => {
  it('each still differs on some capture (the public ones too, when they are here)', () => {
    const stale = DIFFERENT.filter((d) => !used.has(d) && (existsSync(CAPTURES) || !/nvgre-shaped|neighbour/.test(d.captures.source)));
    expect(stale.map((d) => d.why)).toEqual([]);
  });
});
