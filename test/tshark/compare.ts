import { readFileSync } from 'node:fs';
import { FIELD_DEFS } from '../../src/decode/registry.js';

/** One tshark -T fields row: field name -> every occurrence, outer layer first. */
export type TsharkRow = Map<string, string[]>;

/** The columns of a recording, in order, and its rows. */
export interface Recording {
  columns: string[];
  rows: TsharkRow[];
}

export function readFieldsTsv(path: string): Recording {
  const [header, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const columns = header.split('\t');
  const rows = lines.map((line) => {
    const cells = line.split('\t');
    return new Map(columns.map((name, i) => [name, cells[i] ? cells[i].split(',') : []]));
  });
  return { columns, rows };
}

type JsonLayer = { proto: string; fields: Record<string, string | number | number[]>; learnt_from?: number };

export interface JsonFrame {
  frame: { number: number; time?: string; len: number; caplen?: number; comment?: string };
  layers: JsonLayer[];
}

/**
 * Our frame object's keys under tshark's names. `linktype` has no tshark field: tshark shows its
 * own encapsulation numbers (frame.encap_type), not the capture's link type.
 */
export const FRAME_FIELDS: Readonly<Record<string, keyof JsonFrame['frame']>> = {
  'frame.number': 'number',
  'frame.len': 'len',
  'frame.cap_len': 'caplen',
  'frame.time_epoch': 'time',
  'frame.comment': 'comment',
};

/** `2013-07-19T08:00:00.5Z` as tshark's frame.time_epoch, `1374220800.500000000`. */
function epoch(iso: string): string {
  const m = /^(.*?)(?:\.(\d+))?Z$/.exec(iso);
  if (m === null) return iso;
  return `${Date.parse(`${m[1]}Z`) / 1000}.${(m[2] ?? '').padEnd(9, '0')}`;
}

/**
 * One value in a form both sides share, strict about meaning: hex and decimal numbers become
 * numbers, bytes become bare lowercase hex (tshark `abcd`, our JSON `ab:cd`), times become epoch
 * seconds with 9 decimals; addresses and text stay as they are.
 */
export function normalize(field: string, v: string | number): string | number {
  if (typeof v === 'number') return v;
  if (field === 'frame.time_epoch') return v.endsWith('Z') ? epoch(v) : v;
  if (field === 'frame.comment') return v;
  if (FIELD_DEFS.get(field)?.kind === 'bytes' || field === 'tcp.payload') return v.replaceAll(':', '').toLowerCase();
  if (/^0x[0-9a-f]+$/i.test(v)) return Number.parseInt(v, 16);
  if (/^-?\d+$/.test(v)) return Number(v);
  return v;
}

/**
 * tshark fields that more than one of its dissectors set, with our names for the others: its IPv6
 * dissector also sets ip.version (so that `ip.version == 6` matches), where we have ipv6.version.
 */
export const TSHARK_ALSO: Readonly<Record<string, readonly string[]>> = { 'ip.version': ['ipv6.version'] };

type Value = string | number;

/**
 * tshark fields that we have under another name, worked out from our frame: tcp.payload, the bytes
 * after a TCP header whatever dissects them, is our data layer after it. (udp.payload is not: under
 * VXLAN it holds the header and frame we decode, and our JSON keeps no bytes of those.)
 */
export const TSHARK_NAMED: Readonly<Record<string, (frame: JsonFrame) => Value[]>> = {
  'tcp.payload': (frame) =>
    tsharkLayers(frame).flatMap((l, i, layers) => {
      const next = layers[i + 1];
      return l.proto === 'tcp' && next?.proto === 'data' ? [next.fields['data.data'] as string] : [];
    }),
};

/** A column recorded only to explain differences, not compared: the protocols tshark took apart. */
export const PROTOCOLS = 'frame.protocols';

/** Every column record.sh asks tshark for (those it knows): the frame's, the named ones, then our fields. */
export const RECORDED = [...Object.keys(FRAME_FIELDS), PROTOCOLS, ...Object.keys(TSHARK_NAMED), ...FIELD_DEFS.keys()];

/** An IP header of a first fragment whose datagram this frame did not complete. */
function pendingFirstFragment(l: JsonLayer): boolean {
  const f = l.fields;
  if (l.proto === 'ip') return f['ip.flags.mf'] === 1 && f['ip.frag_offset'] === 0 && f['ip.fragment'] === undefined;
  return l.proto === 'ipv6' && f['ipv6.fraghdr.more'] === 1 && f['ipv6.fraghdr.offset'] === 0 && f['ipv6.fragment'] === undefined;
}

/** Whether a frame holds a first fragment not yet completed: tshark shows its payload as data, we decode it. */
export function holdsPendingFirstFragment(frame: JsonFrame): boolean {
  return frame.layers.some(pendingFirstFragment);
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
  const key = FRAME_FIELDS[field];
  if (key !== undefined) return frame.frame[key] === undefined ? [] : [frame.frame[key]];
  const named = TSHARK_NAMED[field];
  if (named !== undefined) return named(frame);
  const names = [field, ...(TSHARK_ALSO[field] ?? [])];
  return tsharkLayers(frame).flatMap((l) => names.flatMap((name) => (l.fields[name] === undefined ? [] : [l.fields[name]].flat())));
}

const GRE_K = 0x2000;

/**
 * The key of the first GRE header that is NVGRE (protocol 0x6558 with the K bit) in a tshark row.
 * Its columns list every GRE header's flags and protocol but only the keys there are, so a GRE
 * without a key before it (an ERSPAN mirror session's) shifts the keys: they are matched by K bit.
 */
function firstNvgreKey(row: TsharkRow): number | undefined {
  const flags = (row.get('gre.flags_and_version') ?? []).map((v) => normalize('gre.flags_and_version', v)) as number[];
  const protos = (row.get('gre.proto') ?? []).map((v) => normalize('gre.proto', v));
  const keys = (row.get('gre.key') ?? []).map((v) => normalize('gre.key', v)) as number[];
  let k = 0;
  for (let i = 0; i < protos.length; i++) {
    if ((flags[i] & GRE_K) === 0) continue;
    if (protos[i] === 0x6558) return keys[k];
    k++;
  }
  return undefined;
}

/** tshark's names for the parts of our layers it lists as protocols of their own in frame.protocols. */
const TSHARK_PARTS = ['ethertype', 'raw', 'ipv6.hopopts', 'ipv6.routing', 'ipv6.fraghdr', 'ipv6.dstopts'];

/**
 * The protocols tshark decoded in this frame that we have no decoder for (`dns`, `llc`, `pim`),
 * from its frame.protocols column: where there are some, its data fields cannot be ours, since it
 * took apart bytes that we show as data.
 */
export function decodedOnlyByTshark(row: TsharkRow, ourProtocols: ReadonlySet<string>): string[] {
  const protocols = (row.get(PROTOCOLS) ?? []).join(',').split(':');
  return [...new Set(protocols.filter((p) => p !== '' && p !== 'data' && !ourProtocols.has(p) && !TSHARK_PARTS.includes(p)))];
}

/** One column of one frame where the two disagree. */
export interface Disagreement {
  frame: number;
  field: string;
  /** `frame 3 ip.src: tshark [..] ours [..]` */
  line: string;
}

/**
 * Every column of every frame where the two disagree, for every column tshark recorded (record.sh
 * records exactly the fields both know). NVGRE has no tshark fields (4.0): it is checked against
 * the key split by hand, VSID = gre.key >> 8 and FlowID = gre.key & 0xff, of the first GRE header
 * with protocol 0x6558 and a key, as the pseudo-field `nvgre`.
 */
export function disagreements(rec: Recording, frames: JsonFrame[]): Disagreement[] {
  const out: Disagreement[] = [];
  if (rec.rows.length !== frames.length) {
    out.push({ frame: 0, field: 'frame', line: `frame count: tshark ${rec.rows.length}, ours ${frames.length}` });
  }
  rec.rows.forEach((row, i) => {
    const frame = frames[i];
    if (frame === undefined) return;
    for (const [field, values] of row) {
      if (field === PROTOCOLS) continue;
      // A comment is one value: its commas are not tshark's separators between occurrences.
      const occurrences = field === 'frame.comment' && values.length > 0 ? [values.join(',')] : values;
      const theirs = occurrences.map((v) => normalize(field, v));
      const mine = ours(frame, field).map((v) => normalize(field, v));
      if (JSON.stringify(theirs) !== JSON.stringify(mine)) {
        out.push({ frame: i + 1, field, line: `frame ${i + 1} ${field}: tshark ${JSON.stringify(theirs)} ours ${JSON.stringify(mine)}` });
      }
    }
    const key = firstNvgreKey(row);
    const expected = key !== undefined ? [key >>> 8, key & 0xff] : [];
    const vsid = ours(frame, 'nvgre.vsid');
    const flow = ours(frame, 'nvgre.flow_id');
    const got = vsid.length > 0 ? [vsid[0], flow[0]] : [];
    if (JSON.stringify(expected) !== JSON.stringify(got)) {
      out.push({ frame: i + 1, field: 'nvgre', line: `frame ${i + 1} VSID/FlowID: from gre.key ${JSON.stringify(expected)} ours ${JSON.stringify(got)}` });
    }
  });
  return out;
}
