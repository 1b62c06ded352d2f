import { readFileSync } from 'node:fs';

/** One tshark -T fields row: field name -> every occurrence, outer layer first. */
export type TsharkRow = Map<string, string[]>;

export function readFieldsTsv(path: string): TsharkRow[] {
  const [header, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const names = header.split('\t');
  return lines.map((line) => {
    const cells = line.split('\t');
    return new Map(names.map((name, i) => [name, cells[i] ? cells[i].split(',') : []]));
  });
}

/** tshark prints hex as 0x..., decimals as digits, addresses as text: numbers become numbers. */
export function normalize(v: string | number): string | number {
  if (typeof v === 'number') return v;
  if (/^0x[0-9a-f]+$/i.test(v)) return Number.parseInt(v, 16);
  if (/^-?\d+$/.test(v)) return Number(v);
  return v;
}

type JsonLayer = { proto: string; fields: Record<string, string | number | number[]>; learnt_from?: number };

export interface JsonFrame {
  frame: { number: number; len: number };
  layers: JsonLayer[];
}

/** An IP header of a first fragment whose datagram this frame did not complete. */
function pendingFirstFragment(l: JsonLayer): boolean {
  const f = l.fields;
  if (l.proto === 'ip') return f['ip.flags.mf'] === 1 && f['ip.frag_offset'] === 0 && f['ip.fragment'] === undefined;
  return l.proto === 'ipv6' && f['ipv6.fraghdr.more'] === 1 && f['ipv6.fraghdr.offset'] === 0 && f['ipv6.fragment'] === undefined;
}

/**
 * Our layers as tshark 4 has them: it shows a first fragment's payload as data until the frame
 * that completes the datagram, and lends no NVGRE header to later pieces; we decode what the first
 * piece holds and lend its header (README, Reassembly). The rest is compared as it is.
 */
function tsharkLayers(frame: JsonFrame): JsonLayer[] {
  const out: JsonLayer[] = [];
  for (const l of frame.layers) {
    if (l.learnt_from !== undefined) continue;
    out.push(l);
    if (pendingFirstFragment(l)) break;
  }
  return out;
}

/** Every occurrence of `field` in our JSON frame, outer layer first, in tshark's terms. */
export function ours(frame: JsonFrame, field: string): (string | number)[] {
  if (field === 'frame.number') return [frame.frame.number];
  if (field === 'frame.len') return [frame.frame.len];
  return tsharkLayers(frame).flatMap((l) => (l.fields[field] === undefined ? [] : [l.fields[field]].flat()));
}

const GRE_K = 0x2000;

/**
 * The key of the first GRE header that is NVGRE (protocol 0x6558 with the K bit) in a tshark row.
 * Its columns list every GRE header's flags and protocol but only the keys there are, so a GRE
 * without a key before it (an ERSPAN mirror session's) shifts the keys: they are matched by K bit.
 */
function firstNvgreKey(row: TsharkRow): number | undefined {
  const flags = (row.get('gre.flags_and_version') ?? []).map(normalize) as number[];
  const protos = (row.get('gre.proto') ?? []).map(normalize);
  const keys = (row.get('gre.key') ?? []).map(normalize) as number[];
  let k = 0;
  for (let i = 0; i < protos.length; i++) {
    if ((flags[i] & GRE_K) === 0) continue;
    if (protos[i] === 0x6558) return keys[k];
    k++;
  }
  return undefined;
}

/**
 * Columns where the two disagree, as readable lines ("frame 3 ip.src: tshark [..] ours [..]"),
 * for the columns our decoders know. NVGRE has no tshark fields (4.0): it is checked against the
 * key split by hand, VSID = gre.key >> 8 and FlowID = gre.key & 0xff, of the first GRE header with
 * protocol 0x6558 and a key.
 */
export function disagreements(rows: TsharkRow[], frames: JsonFrame[], known: (field: string) => boolean): string[] {
  const out: string[] = [];
  if (rows.length !== frames.length) out.push(`frame count: tshark ${rows.length}, ours ${frames.length}`);
  rows.forEach((row, i) => {
    const frame = frames[i];
    if (frame === undefined) return;
    for (const [field, values] of row) {
      if (field !== 'frame.number' && field !== 'frame.len' && !known(field)) continue;
      const theirs = values.map(normalize);
      const mine = ours(frame, field).map(normalize);
      if (JSON.stringify(theirs) !== JSON.stringify(mine)) {
        out.push(`frame ${i + 1} ${field}: tshark ${JSON.stringify(theirs)} ours ${JSON.stringify(mine)}`);
      }
    }
    const key = firstNvgreKey(row);
    const expected = key !== undefined ? [key >>> 8, key & 0xff] : [];
    const vsid = ours(frame, 'nvgre.vsid');
    const flow = ours(frame, 'nvgre.flow_id');
    const got = vsid.length > 0 ? [vsid[0], flow[0]] : [];
    if (JSON.stringify(expected) !== JSON.stringify(got)) {
      out.push(`frame ${i + 1} VSID/FlowID: from gre.key ${JSON.stringify(expected)} ours ${JSON.stringify(got)}`);
    }
  });
  return out;
}
