import { wtapEncap } from '../decode/names.js';
import { ipv4, ipv6, mac } from '../format/text.js';
import type { Layer, Packet } from '../decode/packet.js';
import type { ArithOp, CalcItem, CompareOp, Expr, FieldRef, FrameField, Junction, Not, Operand, Test, ValueKind } from './ast.js';

/** One occurrence of a value: a number (addresses too), bytes, or text. */
type Occurrence = number | Uint8Array | string;

/** Orders the first `bits` bits of two addresses: negative, zero or positive, as numbers compare. */
function compareBits(a: Uint8Array, b: Uint8Array, bits: number): number {
  for (let i = 0; i * 8 < bits; i++) {
    const mask = bits - i * 8 >= 8 ? 0xff : (0xff << (8 - (bits - i * 8))) & 0xff;
    const diff = (a[i] & mask) - (b[i] & mask);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** Orders bytes as Wireshark does: byte by byte, then the shorter first. */
function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}

function compare(op: CompareOp, a: number, b: number): boolean {
  switch (op) {
    case '==':
    case '!=':
      return a === b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

function compareBig(op: CompareOp, a: bigint, b: bigint): boolean {
  return compare(op, a < b ? -1 : a > b ? 1 : 0, 0);
}

/** Whether one occurrence compares true with the literal (`!=` answers as `==`: see test). */
function holds(op: CompareOp, v: Occurrence, o: Operand): boolean {
  if (typeof v === 'number') {
    if (o.big !== undefined) return compareBig(op, BigInt(v), o.big);
    return o.raw === undefined && o.text === undefined && compare(op, o.mask === 0xffffffff ? v : (v & o.mask) >>> 0, o.value);
  }
  if (typeof v === 'string') {
    if (o.text !== undefined) return compare(op, v < o.text ? -1 : v > o.text ? 1 : 0, 0);
    // A u64 past 2^53 is kept as its digits (pktmon.pkt_group_id): compared exactly.
    return /^\d+$/.test(v) && Number.isInteger(o.value) && compareBig(op, BigInt(v), o.big ?? BigInt(o.value));
  }
  if (o.bytes !== undefined) return compare(op, compareBits(v, o.bytes, o.prefix ?? 128), 0);
  return o.raw !== undefined && compare(op, compareBytes(v, o.raw), 0);
}

function indexOfBytes(hay: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/** A number's bytes as on the wire, for slicing and len(): an IPv4 address is 4, a MAC 6. */
function numberBytes(v: number, kind: ValueKind): Uint8Array {
  const n = kind === 'mac' ? 6 : 4;
  const out = new Uint8Array(n);
  for (let i = n - 1, x = v; i >= 0; i--, x = Math.floor(x / 256)) out[i] = x % 256;
  return out;
}

function sliced(v: Occurrence, f: FieldRef): Occurrence {
  const s = f.slice!;
  const bytes = typeof v === 'number' ? numberBytes(v, s.from) : typeof v === 'string' ? new TextEncoder().encode(v) : v;
  const start = s.start < 0 ? Math.max(0, bytes.length + s.start) : s.start;
  const end = s.end === null ? bytes.length : s.start < 0 && s.end <= 0 ? bytes.length + s.end : s.end;
  return bytes.subarray(start, Math.min(end, bytes.length));
}

function apply(op: ArithOp, a: number, b: number, time: boolean): number {
  switch (op) {
    case '&':
      return (a & b) >>> 0;
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '%':
      return a % b;
    case '/':
      // Integers divide as integers, as Wireshark's do; a division by zero matches nothing.
      return b === 0 ? Number.NaN : time ? a / b : Math.trunc(a / b);
  }
}

/** Reused by calculate(): arithmetic allocates nothing per frame. */
const stack: number[] = [];

/** The value of postfix arithmetic, each term standing for the number `picked` holds at its index. */
export function calculate(items: readonly CalcItem[], picked: readonly number[], time: boolean): number {
  let sp = 0;
  for (const item of items) {
    if (typeof item === 'number') stack[sp++] = item;
    else if (item === 'neg') stack[sp - 1] = -stack[sp - 1];
    else if (typeof item === 'object') stack[sp++] = picked[item.term];
    else {
      sp--;
      stack[sp - 1] = apply(item, stack[sp - 1], stack[sp], time);
    }
  }
  return stack[0];
}

/** Each occurrence after the field's bit, slice and len() are applied. */
function transformed(v: Occurrence, f: FieldRef): Occurrence {
  let x = v;
  if (f.bit !== undefined && typeof x === 'number') x = (x & f.bit) === 0 ? 0 : 1;
  if (f.slice !== undefined) x = sliced(x, f);
  if (f.len !== undefined && f.proto === undefined) x = typeof x === 'number' ? (f.len === 'ipv4' ? 4 : f.len === 'mac' ? 6 : Number.NaN) : x.length;
  return x;
}

/** tshark's frame.protocols names for our layers: an Ethernet or VLAN header adds its type field's name. */
const PROTOCOL_NAMES: Partial<Record<string, string>> = { eth: 'eth:ethertype', vlan: 'vlan:ethertype', sll: 'sll:ethertype', ieee8021ad: 'ieee8021ad:ethertype' };

const LINKTYPE_RAW = 101;

/**
 * The times of the capture's first frame, of the frame before this one and of the last frame the
 * filter matched (NaN before the first), for time_relative, time_delta and time_delta_displayed.
 * Kept here, by frame number: a frame numbered no higher than the last seen starts a new capture.
 */
const clock = { number: 0, first: 0, prev: 0, now: 0, shown: Number.NaN };

function tick(pkt: Packet): void {
  const f = pkt.frame;
  const t = f.tsSec + f.tsNsec / 1e9;
  // The same frame asked again (several filters over one packet); by its time too, as a one-frame capture's frame 1 may follow another's.
  if (f.number === clock.number && t === clock.now) return;
  if (f.number <= clock.number || clock.number === 0) {
    clock.first = clock.prev = t;
    clock.shown = Number.NaN;
  } else clock.prev = clock.now;
  clock.number = f.number;
  clock.now = t;
}

function frameValue(field: FrameField, pkt: Packet): Occurrence | undefined {
  const f = pkt.frame;
  switch (field) {
    case 'number':
      return f.number;
    case 'len':
      return f.origLen;
    case 'cap_len':
      return f.caplen;
    case 'time':
    case 'time_epoch':
      return f.tsSec + f.tsNsec / 1e9;
    case 'time_relative':
      return clock.now - clock.first;
    case 'time_delta':
      return clock.now - clock.prev;
    case 'time_delta_displayed':
      // As tshark's one pass: 0 until a frame is shown, so a filter that needs a gap shows none.
      return Number.isNaN(clock.shown) ? 0 : clock.now - clock.shown;
    case 'protocols':
      // NVGRE is our reading of GRE's key: tshark lists no protocol for it. Raw IP (link type 101) is "raw".
      return (f.linktype === LINKTYPE_RAW ? 'raw:' : '') + pkt.layers.filter((l) => l.proto !== 'nvgre').map((l) => PROTOCOL_NAMES[l.proto] ?? l.proto).join(':');
    case 'comment':
      return f.comment;
    case 'offset_shift':
      // Nothing shifts our times (see frame.offset_shift in -T ek); we neither mark nor ignore frames.
    case 'marked':
    case 'ignored':
      return 0;
    case 'encap_type':
      return wtapEncap(f.linktype);
    // pcapng only, as tshark has them.
    case 'section_number':
      return f.section;
    case 'interface_id':
      return f.section === undefined ? undefined : (f.interfaceId ?? 0);
    case 'interface_name':
      return f.section === undefined ? undefined : (f.interfaceName ?? 'unknown');
  }
}

/** A protocol's bytes: from its header to the end of the bytes it was decoded from. */
function layerBytes(layer: Layer, pkt: Packet): Uint8Array | undefined {
  if (layer.learntFrom !== 0) return undefined;
  const data = layer.reassembled && pkt.reassembled !== null ? pkt.reassembled : pkt.frame.data.subarray(0, pkt.frame.caplen);
  return data.subarray(layer.offset);
}

/**
 * Lists of occurrences, lent to one test at a time (its field, the field it is compared with, the
 * terms of their arithmetic) and taken back when the next test starts: collecting allocates nothing.
 */
const lists: Occurrence[][] = [];
let lent = 0;
function borrow(): Occurrence[] {
  const list = (lists[lent++] ??= []);
  list.length = 0;
  return list;
}
/** Which occurrence of each term of an arithmetic is combined now. */
const picks: number[] = [];
const picked: number[] = [];

/** A function's values from its arguments' occurrences, into `out`. */
function functionValues(fn: NonNullable<FieldRef['fn']>, pkt: Packet, out: Occurrence[]): void {
  for (const arg of fn.args) {
    const values = occurrences(arg, pkt, borrow());
    for (let i = 0; i < values.length; i++) out.push(values[i]);
  }
  switch (fn.name) {
    case 'count': {
      const n = out.length;
      out.length = 0;
      if (n > 0) out.push(n);
      return;
    }
    case 'max':
    case 'min': {
      if (out.length === 0) return;
      let best = out[0] as number;
      for (let i = 1; i < out.length; i++) best = fn.name === 'max' ? Math.max(best, out[i] as number) : Math.min(best, out[i] as number);
      out.length = 1;
      out[0] = best;
      return;
    }
    case 'abs':
      for (let i = 0; i < out.length; i++) out[i] = Math.abs(out[i] as number);
      return;
    case 'upper':
    case 'lower':
      for (let i = 0; i < out.length; i++) out[i] = fn.name === 'upper' ? (out[i] as string).toUpperCase() : (out[i] as string).toLowerCase();
      return;
    case 'string': {
      const kind = fn.args[0].kind;
      for (let i = 0; i < out.length; i++) {
        const v = out[i];
        out[i] = typeof v === 'string' ? v : typeof v !== 'number' ? ipv6(v) : kind === 'ipv4' ? ipv4(v) : kind === 'mac' ? mac(v) : String(v);
      }
    }
  }
}

/** Every occurrence of the field in the packet, in layer order, transformed, into `out`. */
function occurrences(f: FieldRef, pkt: Packet, out: Occurrence[]): Occurrence[] {
  if (f.fn !== undefined) functionValues(f.fn, pkt, out);
  else if (f.frame !== undefined) {
    const v = frameValue(f.frame, pkt);
    if (v !== undefined) out.push(v);
  } else {
    let nth = 0;
    for (const layer of pkt.layers) {
      if (f.proto !== undefined) {
        if (layer.proto !== f.proto || (f.layer !== undefined && ++nth !== f.layer)) continue;
        // len(tcp) is the header's length, as tshark's tree item is; its bytes run on to the end (tcp contains "GET").
        const b = f.len !== undefined ? layer.length : layerBytes(layer, pkt);
        if (b !== undefined) out.push(b);
        continue;
      }
      let counted = false;
      for (const id of f.ids) {
        const v = layer.fields.get(id);
        if (v === undefined) continue;
        if (!counted) {
          counted = true;
          nth++;
        }
        if (f.layer !== undefined && nth !== f.layer) continue;
        // A list is a field that occurs several times (ip.fragment): each occurrence counts.
        if (typeof v === 'number' || typeof v === 'string' || v instanceof Uint8Array) out.push(v);
        else for (const x of v) out.push(x);
      }
    }
  }
  if (f.bit !== undefined || f.slice !== undefined || f.len !== undefined) {
    for (let i = 0; i < out.length; i++) out[i] = transformed(out[i], f);
  }
  if (f.calc !== undefined) combine(f, pkt, out);
  return out;
}

/**
 * Replaces the field's occurrences by the arithmetic's results: every occurrence of each term
 * with every one of the others (tshark's arithmetic over fields that occur several times).
 */
function combine(f: FieldRef, pkt: Packet, out: Occurrence[]): void {
  const { items, terms } = f.calc!;
  const time = f.kind === 'reltime';
  const values = [borrow()];
  for (let i = 0; i < out.length; i++) values[0].push(out[i]);
  for (let t = 1; t < terms.length; t++) values.push(occurrences(terms[t], pkt, borrow()));
  out.length = 0;
  for (const v of values) if (v.length === 0) return;
  for (let t = 0; t < terms.length; t++) picks[t] = 0;
  for (;;) {
    for (let t = 0; t < terms.length; t++) picked[t] = values[t][picks[t]] as number;
    out.push(calculate(items, picked, time));
    let t = 0;
    while (t < terms.length && ++picks[t] === values[t].length) picks[t++] = 0;
    if (t === terms.length) return;
  }
}

/** The `&&`, `||` and `!` above the test being evaluated; reused, so a match allocates nothing. */
const pending: (Junction | Not)[] = [];

/**
 * Whether the packet matches. A field present in several layers (outer and inner ip.dst) matches
 * when any occurrence does (with `all`, when every one does); `a != b` is "a occurs and no
 * occurrence equals b", as in tshark 4.0; field to field, pairs of occurrences count. `&&` and `||` short-circuit. Walked with a stack of its own, not by
 * recursion: 3,000 `||` terms chain 3,000 deep, and the call stack would not hold them.
 */
export function matches(expr: Expr, pkt: Packet): boolean {
  tick(pkt);
  let sp = 0;
  let node = expr;
  for (;;) {
    while (!isTest(node)) {
      pending[sp++] = node;
      node = node.type === 'not' ? node.expr : node.left;
    }
    let value = test(node, pkt);
    // Up until an operator needs its right side: then that side's value is the operator's.
    for (;;) {
      if (sp === 0) {
        // The filter is the last part of a selection (select.ts): a match is a frame shown.
        if (value) clock.shown = clock.now;
        return value;
      }
      const op = pending[--sp];
      if (op.type === 'not') value = !value;
      else if (value === (op.type === 'and')) {
        node = op.right;
        break;
      }
    }
  }
}

const isTest = (e: Expr): e is Test => e.type !== 'and' && e.type !== 'or' && e.type !== 'not';

/** Whether one occurrence satisfies the test (`!=` is asked as `==` and negated by the caller). */
function one(expr: Exclude<Test, { type: 'proto' | 'present' | 'fields' }>, v: Occurrence): boolean {
  switch (expr.type) {
    case 'compare':
      return holds(expr.op, v, expr.operand);
    case 'in':
      return expr.members.some((m) => (m.lo === m.hi ? holds('==', v, m.lo) : holds('>=', v, m.lo) && holds('<=', v, m.hi)));
    case 'contains': {
      const n = expr.needle;
      if (typeof v === 'string') return n.text !== undefined && v.includes(n.text);
      return typeof v !== 'number' && n.raw !== undefined && indexOfBytes(v, n.raw) >= 0;
    }
    case 'matches':
      return expr.re.test(typeof v === 'string' ? v : typeof v === 'number' ? String(v) : Buffer.from(v.buffer, v.byteOffset, v.length).toString('latin1'));
  }
}

/** Whether two occurrences of compatible kinds compare true (`!=` asked as `==`). */
function pairHolds(op: CompareOp, a: Occurrence, b: Occurrence): boolean {
  if (typeof a === 'number') return typeof b === 'number' && compare(op, a, b);
  if (typeof a === 'string') return typeof b === 'string' && compare(op, a < b ? -1 : a > b ? 1 : 0, 0);
  return b instanceof Uint8Array && compare(op, compareBytes(a, b), 0);
}

function test(expr: Test, pkt: Packet): boolean {
  if (expr.type === 'proto') return pkt.layers.some((l) => l.proto === expr.proto || expr.ids.some((id) => l.fields.has(id)));
  lent = 0;
  const occ = occurrences(expr.field, pkt, borrow());
  if (expr.type === 'present') return occ.length > 0;
  // Counted in loops, not with some(): a closure per test would be an allocation per frame.
  let hits = 0;
  let tries = occ.length;
  if (expr.type === 'fields') {
    const other = occurrences(expr.other, pkt, borrow());
    tries *= other.length;
    for (let i = 0; i < occ.length; i++) for (let j = 0; j < other.length; j++) if (pairHolds(expr.op, occ[i], other[j])) hits++;
  } else for (let i = 0; i < occ.length; i++) if (one(expr, occ[i])) hits++;
  // `!=` counts the occurrences that are equal: none (all_ne), or fewer than all (any_ne, all: false).
  if ((expr.type === 'compare' || expr.type === 'fields') && expr.op === '!=') return expr.all === false ? hits < tries : tries > 0 && hits === 0;
  return expr.all === true ? tries > 0 && hits === tries : hits > 0;
}
