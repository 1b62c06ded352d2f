// Every display filter of filters.ts, on every fixture and public capture, against the frames
// tshark 4.0 selected with it (recorded by `npm run record-tshark` into *.filters.tsv; see
// record-filters.sh). Decoded in-process with reassembly, as the CLI does.
import { createReadStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../../src/capture/frame.js';
import { readCapture } from '../../src/capture/read.js';
import { dissect } from '../../src/decode/dissect.js';
import { Dissection } from '../../src/decode/packet.js';
import { Reassembler } from '../../src/decode/reassembly.js';
import { matches } from '../../src/filter/evaluate.js';
import { parseFilter } from '../../src/filter/parse.js';
import { ROOT } from '../cli/spawn.js';
import { FILTERS } from './filters.js';

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
  const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
  return new Map(lines.map((l) => l.split('\t') as [string, string]));
}

/** Frame numbers each of our filters selects in the capture. */
async function ourAnswers(path: string): Promise<Map<string, number[]>> {
  const frames: Frame[] = [];
  await readCapture(createReadStream(path), { onFrame: (f) => frames.push({ ...f, data: new Uint8Array(f.data) }), afterChunk: () => false });
  const d = new Dissection(new Reassembler());
  const packets = frames.map((f) => dissect(f, d));
  const out = new Map<string, number[]>();
  for (const f of FILTERS) {
    const expr = parseFilter(f.ours);
    out.set(f.ours, packets.filter((p) => matches(expr, p)).map((p) => p.frame.number));
  }
  return out;
}

/** Where we still differ from tshark, by capture and filter, and why; the test checks each still differs. */
const DIFFERENT: readonly { captures: RegExp; filter: string; why: string }[] = [];

const why = (capture: string, filter: string): string | undefined => DIFFERENT.find((d) => d.captures.test(capture) && d.filter === filter)?.why;

async function compare(capture: string, tsv: string, path: string): Promise<void> {
  const theirs = recorded(tsv);
  const ours = await ourAnswers(path);
  const unexplained: string[] = [];
  const stale: string[] = [];
  for (const f of FILTERS) {
    const t = theirs.get(f.tshark ?? f.ours);
    expect(t, `${capture}: no recording for ${f.ours}: npm run record-tshark`).toBeDefined();
    const same = t !== 'error' && JSON.stringify(frameList(t!)) === JSON.stringify(ours.get(f.ours));
    const known = why(capture, f.ours);
    if (!same && known === undefined) unexplained.push(`${f.ours}: tshark ${t}, ours ${ours.get(f.ours)!.join(',')}`);
    if (same && known !== undefined) stale.push(`${f.ours}: listed as different (${known}) but now agrees`);
  }
  expect({ capture, unexplained, stale }).toEqual({ capture, unexplained: [], stale: [] });
}

const fixtures = readdirSync(`${ROOT}fixtures`).filter((f) => /\.(pcap|pcapng|cap|gz)$/.test(f));

describe('display filters select the frames tshark selects, on every fixture', () => {
  it(`the table has at least 80 filters`, () => {
    expect(FILTERS.length).toBeGreaterThanOrEqual(80);
  });
  for (const name of fixtures) {
    const tsv = `${TSHARK}/${name}.filters.tsv`;
    it.skipIf(!existsSync(tsv))(name, () => compare(name, tsv, `${ROOT}fixtures/${name}`));
  }
});

describe.skipIf(!existsSync(CAPTURES))('display filters select the frames tshark selects, on the public captures', () => {
  const names = existsSync(CAPTURES) ? readdirSync(CAPTURES).filter((f) => f.endsWith('.pcap')).map((f) => f.slice(0, -5)) : [];
  for (const name of names) {
    const tsv = `${TSHARK}/captures/${name}.filters.tsv`;
    it.skipIf(!existsSync(tsv))(name, () => compare(name, tsv, `${CAPTURES}/${name}.pcap`));
  }
});
