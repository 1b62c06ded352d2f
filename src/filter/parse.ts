import { fieldId, fieldKey } from '../decode/field-store.js';
import type { FieldKind } from '../decode/fields.js';
import type { ProtoId } from '../decode/packet.js';
import { FIELD_DEFS } from '../decode/registry.js';
import { PROTO_TITLES } from '../format/describe.js';
import type { ArithOp, CalcItem, CompareOp, Expr, FieldRef, FilterFunction, FrameField, Member, Operand, Slice, ValueKind } from './ast.js';
import { calculate } from './evaluate.js';
import { largestValue } from './range.js';
import { parseIpv4, parseIpv6 } from '../analyze/address.js';

/** A malformed expression: `column` is where the caret goes (0-based). */
export class FilterError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
    this.name = 'FilterError';
  }
}

/** Wireshark's "either direction" fields, which users type far more than src/dst. */
const ALIASES: Record<string, string[]> = {
  'eth.addr': ['eth.src', 'eth.dst'],
  'ip.addr': ['ip.src', 'ip.dst'],
  'tcp.port': ['tcp.srcport', 'tcp.dstport'],
  'udp.port': ['udp.srcport', 'udp.dstport'],
  'ipv6.addr': ['ipv6.src', 'ipv6.dst'],
};

const WORD_OPS: Record<string, string> = {
  and: '&&',
  or: '||',
  not: '!',
  eq: '==',
  ne: '!=',
  lt: '<',
  le: '<=',
  gt: '>',
  ge: '>=',
  any_eq: '==',
  all_ne: '!=',
  all_eq: '===',
  any_ne: '!==',
};

interface Token {
  /** The text as typed; for a quoted string, its value with the escapes undone. */
  text: string;
  /**
   * '&&' '||' '!' '(' ')' '{' '}' '[' ']' ',' '#' '~' and the arithmetic symbols, a comparison
   * operator, 'word' (field, literal, or a lone '-' or '/'), 'string' (quoted) or 'end'.
   */
  kind: string;
  at: number;
}

const SYMBOLS = ['&&', '||', '===', '!==', '==', '!=', '~=', '<=', '>=', '<', '>', '!', '(', ')', '{', '}', '[', ']', ',', '#', '~', '+', '*', '%', '&'];
const WORD = /[A-Za-z0-9_.:/-]/;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', '"': '"', '\\': '\\' };

/** A quoted string from the '"' at `start`, with C escapes (\n, \xhh, \ooo, \uXXXX) undone, as Wireshark reads them. */
function quoted(src: string, start: number): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < src.length && src[i] !== '"') {
    if (src[i] !== '\\') {
      value += src[i++];
      continue;
    }
    const e = src[i + 1] ?? '';
    const hex = /^x([0-9a-fA-F]{1,2})/.exec(src.slice(i + 1, i + 4));
    const oct = /^[0-7]{1,3}/.exec(src.slice(i + 1, i + 4));
    const uni = /^u([0-9a-fA-F]{4})/.exec(src.slice(i + 1, i + 6));
    if (hex !== null) {
      value += String.fromCharCode(Number.parseInt(hex[1], 16));
      i += 1 + hex[0].length;
    } else if (oct !== null && e !== '0') {
      value += String.fromCharCode(Number.parseInt(oct[0], 8));
      i += 1 + oct[0].length;
    } else if (uni !== null) {
      value += String.fromCharCode(Number.parseInt(uni[1], 16));
      i += 1 + uni[0].length;
    } else if (Object.hasOwn(ESCAPES, e)) {
      value += ESCAPES[e];
      i += 2;
    } else throw new FilterError(`unknown escape '\\${e}' in a string`, i);
  }
  if (i >= src.length) throw new FilterError('a string with no closing \'"\'', start);
  return { value, end: i + 1 };
}

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n') {
      i++;
      continue;
    }
    if (c === '"') {
      const { value, end } = quoted(src, i);
      tokens.push({ text: value, kind: 'string', at: i });
      i = end;
      continue;
    }
    const sym = SYMBOLS.find((s) => src.startsWith(s, i));
    if (sym !== undefined) {
      tokens.push({ text: sym, kind: sym, at: i });
      i += sym.length;
      continue;
    }
    if (!WORD.test(c)) throw new FilterError(`unexpected character '${c}'`, i);
    const start = i;
    while (i < src.length && WORD.test(src[i])) i++;
    const text = src.slice(start, i);
    tokens.push({ text, kind: WORD_OPS[text.toLowerCase()] ?? 'word', at: start });
  }
  tokens.push({ text: '', kind: 'end', at: src.length });
  return tokens;
}

const COMPARE_OPS = new Set(['==', '!=', '===', '!==', '~=', '<', '<=', '>', '>=']);

/**
 * tshark 4.0's equality operators as an operator and its quantifier when none is typed: `==` any
 * occurrence equal, `!=` none equal (every one differs), `===` every one equal, `!==` and `~=` some
 * one differs. A typed `any` or `all` overrides the operator's (`all ip.src !== x` is `!=`).
 */
const EQUALITY: Record<string, { op: CompareOp; all: boolean }> = {
  '==': { op: '==', all: false },
  '===': { op: '==', all: true },
  '!=': { op: '!=', all: true },
  '!==': { op: '!=', all: false },
  '~=': { op: '!=', all: false },
};

const FRAME_FIELDS: Record<string, ValueKind> = {
  number: 'dec',
  len: 'dec',
  cap_len: 'dec',
  time: 'abstime',
  time_epoch: 'abstime',
  time_relative: 'reltime',
  time_delta: 'reltime',
  time_delta_displayed: 'reltime',
  offset_shift: 'reltime',
  protocols: 'string',
  comment: 'string',
  encap_type: 'dec',
  marked: 'bool',
  ignored: 'bool',
  section_number: 'dec',
  interface_id: 'dec',
  interface_name: 'string',
};

/** tshark's one-bit fields of tcp.flags. */
const TCP_FLAGS: Record<string, number> = { ns: 0x100, cwr: 0x80, ece: 0x40, urg: 0x20, ack: 0x10, push: 0x08, reset: 0x04, syn: 0x02, fin: 0x01 };

/**
 * The protocols inside a layer (IPv6's extension headers: ipv6.fraghdr ...), each with its fields'
 * keys: tshark names them as protocols, and `-Y ipv6.fraghdr` tests that one of its fields is there.
 */
let headers: Map<string, number[]> | undefined;
function headerProtocols(): Map<string, number[]> {
  if (headers !== undefined) return headers;
  headers = new Map();
  for (const def of FIELD_DEFS.values()) if (def.proto !== undefined) headers.set(def.proto, [...(headers.get(def.proto) ?? []), fieldId(def.key)]);
  return headers;
}

/** Every name a filter can use, for suggesting the nearest to a typo. */
function knownNames(): string[] {
  return [
    ...FIELD_DEFS.keys(),
    ...headerProtocols().keys(),
    ...Object.keys(ALIASES),
    ...Object.keys(PROTO_TITLES),
    ...Object.keys(FRAME_FIELDS).map((f) => `frame.${f}`),
    ...Object.keys(TCP_FLAGS).map((f) => `tcp.flags.${f}`),
  ];
}

/** Edit distance (insertions, deletions, substitutions), for "did you mean". */
export function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** The known names nearest to `name` (at most 2 edits, the 3 closest), as "did you mean" text. */
function suggestion(name: string): string {
  const scored = knownNames()
    .map((k) => [levenshtein(name, k), k] as const)
    .filter(([d]) => d <= 2)
    .sort((x, y) => x[0] - y[0] || x[1].localeCompare(y[1]));
  const near = [...new Set(scored.map(([, k]) => k))].slice(0, 3);
  return near.length === 0 ? '' : ` (did you mean ${near.join(', ')}?)`;
}

/** Whether `name` is a field (not a protocol, not a literal): what a word on the right of a comparison is read as first. */
function isFieldName(name: string): boolean {
  if (name.startsWith('frame.')) return Object.hasOwn(FRAME_FIELDS, name.slice(6));
  if (name.startsWith('tcp.flags.')) return Object.hasOwn(TCP_FLAGS, name.slice(10));
  return Object.hasOwn(ALIASES, name) || FIELD_DEFS.has(name);
}

function fieldRef(name: string, at: number): FieldRef | ProtoId {
  if (Object.hasOwn(PROTO_TITLES, name)) return name as ProtoId;
  if (name.startsWith('frame.') && Object.hasOwn(FRAME_FIELDS, name.slice(6))) {
    const frame = name.slice(6) as FrameField;
    return { name, ids: [], kind: FRAME_FIELDS[frame], frame };
  }
  if (name.startsWith('tcp.flags.') && Object.hasOwn(TCP_FLAGS, name.slice(10))) {
    return { name, ids: [fieldId('tcp.flags')], kind: 'bool', bit: TCP_FLAGS[name.slice(10)] };
  }
  const keys = ALIASES[name] ?? (FIELD_DEFS.has(name) ? [name] : null);
  if (keys === null) throw new FilterError(`'${name}' is neither a field nor a protocol name${suggestion(name)}`, at);
  const defined = FIELD_DEFS.get(keys[0])!.kind;
  return { name, ids: keys.map(fieldId), kind: defined === 'text' ? 'string' : defined };
}
function parseNumber(text: string): number | null {
  if (/^[0-9]+$/.test(text)) return Number(text);
  if (/^0x[0-9a-f]+$/i.test(text)) return Number.parseInt(text.slice(2), 16);
  return null;
}

function parseMac(text: string): number | null {
  if (!/^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i.test(text)) return null;
  return Number.parseInt(text.replace(/[:-]/g, ''), 16);
}

const KIND_NAMES: Record<ValueKind, string> = {
  dec: 'a number',
  hex: 'a number',
  dechex: 'a number',
  bool: 'a number (0 or 1)',
  ipv4: 'an IPv4 address or network',
  ipv6: 'an IPv6 address or prefix',
  mac: 'a MAC address',
  bytes: 'bytes (61:62:63, 616263 or "abc")',
  string: 'a string',
  reltime: 'a number of seconds',
  abstime: 'a date ("2013-07-19 08:01:00") or seconds since 1970',
};

const NUMERIC = new Set<ValueKind>(['dec', 'hex', 'dechex', 'bool', 'reltime', 'abstime']);

/** 61:62:63, 61-62-63, 61.62.63 or 616263 (an even number of hex digits) to bytes. */
function parseBytes(text: string): Uint8Array | null {
  let hex: string;
  if (/^[0-9a-f]{1,2}([:.-][0-9a-f]{1,2})*$/i.test(text)) hex = text.split(/[:.-]/).map((b) => b.padStart(2, '0')).join('');
  else if (/^([0-9a-f]{2})+$/i.test(text)) hex = text;
  else return null;
  return Uint8Array.from(hex.match(/../g)!, (b) => Number.parseInt(b, 16));
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * A date as Wireshark reads one for frame.time: "2013-07-19 08:01:00[.frac]" or
 * "Jul 19, 2013 08:01:00[.frac]", in local time unless it ends in UTC or Z; or seconds since 1970.
 */
function parseDate(text: string): number | null {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(UTC|Z)?$/i.exec(text.trim());
  const named = /^([A-Za-z]{3})\s+(\d{1,2}),\s*(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(UTC|Z)?$/i.exec(text.trim());
  let parts: number[];
  let frac: string | undefined;
  let utc: string | undefined;
  if (iso !== null) {
    parts = [Number(iso[1]), Number(iso[2]) - 1, Number(iso[3]), Number(iso[4] ?? 0), Number(iso[5] ?? 0), Number(iso[6] ?? 0)];
    frac = iso[7];
    utc = iso[8];
  } else if (named !== null && MONTHS.includes(named[1].toLowerCase())) {
    parts = [Number(named[3]), MONTHS.indexOf(named[1].toLowerCase()), Number(named[2]), Number(named[4] ?? 0), Number(named[5] ?? 0), Number(named[6] ?? 0)];
    frac = named[7];
    utc = named[8];
  } else return null;
  const [y, mo, d, h, mi, s] = parts;
  const ms = utc !== undefined ? Date.UTC(y, mo, d, h, mi, s) : new Date(y, mo, d, h, mi, s).getTime();
  return ms / 1000 + (frac === undefined ? 0 : Number(frac));
}

/** Reads a literal in the form the field's values take, or says what was expected. */
function operand(field: FieldRef, tok: Token): Operand {
  const text = tok.text;
  let value: number | null = null;
  let mask = 0xffffffff;
  const fail = (): never => {
    throw new FilterError(`${field.name} takes ${KIND_NAMES[field.kind]}, not '${text}'`, tok.at);
  };
  switch (field.kind) {
    case 'ipv4': {
      const [addr, bits, extra] = text.split('/');
      value = parseIpv4(addr);
      if (bits !== undefined) {
        const len = /^\d+$/.test(bits) ? Number(bits) : 99;
        if (len > 32 || extra !== undefined) value = null;
        else mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
        if (value !== null) value = (value & mask) >>> 0;
      }
      break;
    }
    case 'ipv6': {
      const [addr, bits, extra] = text.split('/');
      const bytes = parseIpv6(addr);
      const prefix = bits === undefined ? 128 : /^\d+$/.test(bits) ? Number(bits) : 999;
      if (bytes !== null && prefix <= 128 && extra === undefined) return { value: 0, mask: 0xffffffff, bytes, prefix };
      return fail();
    }
    case 'mac':
      value = parseMac(text);
      break;
    case 'bytes': {
      const raw = tok.kind === 'string' ? new TextEncoder().encode(text) : parseBytes(text);
      return raw === null ? fail() : { value: 0, mask: 0xffffffff, raw };
    }
    case 'string':
      return { value: 0, mask: 0xffffffff, text };
    case 'reltime':
      value = /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : null;
      break;
    case 'abstime':
      value = parseDate(text);
      break;
    default:
      // A negative number only makes sense for arithmetic's results (`-ip.ttl == -128`).
      value = field.calc === undefined ? parseNumber(text) : calcNumber(text, false);
      // tshark's plain booleans (frame.marked, frame.ignored) also take true and false, in any case;
      // its flag fields (tcp.flags.syn, ip.flags.df) name their values otherwise and refuse them.
      if (value === null && field.kind === 'bool' && field.frame !== undefined && /^(true|false)$/i.test(text)) value = text.toLowerCase() === 'true' ? 1 : 0;
  }
  if (value === null) return fail();
  const def = field.ids.length === 0 ? undefined : FIELD_DEFS.get(fieldKey(field.ids[0]));
  if (def !== undefined && field.kind === def.kind && field.kind !== 'ipv4' && field.kind !== 'mac') {
    const max = largestValue(def);
    // Every maximum is below 2^32, so a literal past 2^53 is still above it once rounded.
    if (value > max) throw new FilterError(`'${text}' is too big for ${field.name}, maximum ${max}`, tok.at);
    if (value > Number.MAX_SAFE_INTEGER && /^(0x[0-9a-f]+|\d+)$/i.test(text)) return { value, mask, big: BigInt(text) };
  }
  return { value, mask };
}

/** `[i:j]` (j bytes from i), `[i-j]` (i to j included), `[i]`, `[i:]`, `[:j]`; negative i counts from the end. */
function parseSlice(text: string): Slice | null {
  let m = /^(-?\d+)?:(\d+)?$/.exec(text);
  if (m !== null) {
    const start = m[1] === undefined ? 0 : Number(m[1]);
    return { start, end: m[2] === undefined ? null : start + Number(m[2]) };
  }
  m = /^(-?\d+)-(\d+)$/.exec(text);
  if (m !== null) return Number(m[2]) < Number(m[1]) ? null : { start: Number(m[1]), end: Number(m[2]) + 1 };
  m = /^-?\d+$/.exec(text);
  if (m !== null) return { start: Number(text), end: Number(text) === -1 ? null : Number(text) + 1 };
  return null;
}

/** One level of parentheses being read (the whole expression is the outermost). */
interface Group {
  /** The '(' that opened it; null for the whole expression. */
  open: Token | null;
  /** The `||` terms before the current one, joined. */
  or: Expr | null;
  /** The `&&` factors of the current `||` term, joined. */
  and: Expr | null;
  /** `!`s read before the next factor. */
  nots: number;
}

/** tshark 4.0's functions besides len(), and the kinds each takes (count: any). */
const FUNCTIONS: Record<FilterFunction, ((k: ValueKind) => boolean) | null> = {
  count: null,
  max: (k) => NUMERIC.has(k) || k === 'ipv4' || k === 'mac',
  min: (k) => NUMERIC.has(k) || k === 'ipv4' || k === 'mac',
  abs: (k) => NUMERIC.has(k),
  upper: (k) => k === 'string',
  lower: (k) => k === 'string',
  // tshark 4.0 has no text for times and flags ("String conversion ... is not supported"), nor for bytes here.
  string: (k) => k === 'dec' || k === 'hex' || k === 'dechex' || k === 'ipv4' || k === 'ipv6' || k === 'mac' || k === 'string',
};

/** A protocol standing for its bytes, as in `tcp contains "GET"` or `tcp[0:2]`. */
const protoBytes = (proto: ProtoId): FieldRef => ({ name: proto, ids: [], kind: 'bytes', proto });

const ARITH: Record<string, ArithOp> = { '+': '+', '-': '-', '*': '*', '/': '/', '%': '%', '&': '&' };

/** How tightly each operator binds, as in tshark's grammar: `&` loosest, unary minus tightest. */
const PRECEDENCE: Record<ArithOp | 'neg', number> = { '&': 1, '+': 2, '-': 2, '*': 3, '/': 3, '%': 3, neg: 4 };

/** A number in arithmetic: an integer (decimal or 0x, a minus allowed), or seconds for a time. */
function calcNumber(text: string, time: boolean): number | null {
  if (time) return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : null;
  const n = parseNumber(text.startsWith('-') ? text.slice(1) : text);
  return n === null ? null : text.startsWith('-') ? -n : n;
}

/** Shunting-yard: the operators on the stack that bind at least as tightly go out first (left-associative). */
function pushOperator(op: ArithOp, ops: (ArithOp | 'neg')[], items: CalcItem[]): void {
  while (ops.length > 0 && PRECEDENCE[ops[ops.length - 1]] >= PRECEDENCE[op]) items.push(ops.pop()!);
  ops.push(op);
}

/** What can be compared with what, field to field: numbers of any width alike, otherwise the same kind (tshark's "compatible types"). */
const KIND_GROUPS: Record<ValueKind, string> = {
  dec: 'number', hex: 'number', dechex: 'number', bool: 'number',
  ipv4: 'ipv4', ipv6: 'ipv6', mac: 'mac', bytes: 'bytes', string: 'string', reltime: 'reltime', abstime: 'abstime',
};

/**
 * Parses a display filter as tshark users type it: `==  !=  <  <=  >  >=` (and eq, ne, ...),
 * `in {a, b..c}`, `not in`, `contains`, `matches` (`~`), `&&  ||  !` (and, or, not),
 * parentheses, a bare field or protocol name for presence; on the left a field with `#n`, a
 * slice `[i:j]`, `len(...)` and tshark's functions (count, max, min, abs, upper, lower, string), arithmetic `+ - * / % &` with numbers and fields, `any`/`all`
 * before it; on the right a literal (arithmetic of numbers worked out) or another such field. `!`
 * binds tighter than `&&`, `&&` than `||`, both left-associative. Read with a stack of open
 * parentheses, not by recursion: a generated filter nests or chains as deep as it likes (50,000
 * parentheses, 3,000 `||` terms) without overflowing the call stack.
 */
export function parseFilter(src: string): Expr {
  const tokens = tokenize(src);
  let pos = 0;
  const open: Group[] = [];
  let g: Group = { open: null, or: null, and: null, nots: 0 };
  for (;;) {
    const tok = tokens[pos++];
    if (tok.kind === '!') {
      g.nots++;
      continue;
    }
    if (tok.kind === '(') {
      open.push(g);
      g = { open: tok, or: null, and: null, nots: 0 };
      continue;
    }
    let factor = comparison(tok);
    // After a factor: join it, then close every group that a ')' ends here.
    for (;;) {
      for (; g.nots > 0; g.nots--) factor = { type: 'not', expr: factor };
      g.and = g.and === null ? factor : { type: 'and', left: g.and, right: factor };
      const next = tokens[pos++];
      if (next.kind === '&&') break;
      if (next.kind === '||') {
        g.or = g.or === null ? g.and : { type: 'or', left: g.or, right: g.and };
        g.and = null;
        break;
      }
      const whole: Expr = g.or === null ? g.and : { type: 'or', left: g.or, right: g.and };
      if (g.open === null) {
        if (next.kind === 'end') return whole;
        throw new FilterError(`unexpected '${next.text}' after a complete expression`, next.at);
      }
      if (next.kind !== ')') throw new FilterError(`expected ')' to close the '(' at column ${g.open.at + 1}`, next.at);
      factor = whole;
      g = open.pop()!;
    }
  }

  function expect(kind: string, what: string): Token {
    const t = tokens[pos++];
    if (t.kind !== kind) throw new FilterError(`expected ${what}, found ${t.kind === 'end' ? 'the end' : `'${t.text}'`}`, t.at);
    return t;
  }

  function fieldName(tok: Token): FieldRef | ProtoId {
    if (tok.kind !== 'word') {
      throw new FilterError(tok.kind === 'end' ? 'expected a field name, found the end' : `expected a field name, found '${tok.text}'`, tok.at);
    }
    return fieldRef(tok.text, tok.at);
  }

  /**
   * `count(f)`, `max(a, b ...)`, `min(...)`, `abs(f)`, `upper(f)`, `lower(f)` after the name: the
   * arguments, checked as tshark checks them (max's and min's of one type).
   */
  function call(name: FilterFunction): FieldRef {
    pos++;
    const args: FieldRef[] = [];
    for (;;) {
      const at = tokens[pos];
      const arg = value(tokens[pos++]);
      const ref = typeof arg === 'string' ? protoBytes(arg) : arg;
      const takes = FUNCTIONS[name];
      // As tshark 4.0: "Only string type fields can be used as parameter for upper()" for upper(string(x)).
      if (ref.fn !== undefined) throw new FilterError(`${name}() takes a field, not a function's value`, at.at);
      if (takes !== null && !takes(ref.kind)) throw new FilterError(`${name}() does not take ${ref.name}, ${KIND_NAMES[ref.kind]}`, at.at);
      const first = args[0];
      if (first !== undefined && (first.kind !== ref.kind || FIELD_DEFS.get(fieldKey(first.ids[0]))?.type !== FIELD_DEFS.get(fieldKey(ref.ids[0]))?.type)) {
        throw new FilterError(`the arguments of ${name}() must be of one type: ${first.name} and ${ref.name} are not`, at.at);
      }
      args.push(ref);
      const sep = tokens[pos++];
      if (sep.kind === ')') break;
      if (sep.kind !== ',' || (name !== 'max' && name !== 'min')) throw new FilterError(`expected ')' after ${name}'s argument${name === 'max' || name === 'min' ? 's' : ''}`, sep.at);
    }
    const kind = name === 'count' ? 'dec' : name === 'string' ? 'string' : args[0].kind;
    return { name: `${name}(${args.map((a) => a.name).join(', ')})`, ids: [], kind, fn: { name, args } };
  }

  /** One term: a field (or protocol's bytes) with its `#n`, slice and len(), or a function's values. */
  function term(tok: Token): FieldRef | ProtoId {
    let ref: FieldRef | ProtoId;
    if (tok.kind === 'word' && tok.text === 'len' && tokens[pos].kind === '(') {
      pos++;
      const at = tokens[pos];
      const inner = value(tokens[pos++]);
      expect(')', "')' after len's field");
      const measured = typeof inner === 'string' ? protoBytes(inner) : inner;
      if (measured.fn !== undefined) throw new FilterError('len() measures a field, not a function\'s value', at.at);
      ref = { ...measured, name: `len(${measured.name})`, kind: 'dec', len: measured.kind };
    } else if (tok.kind === 'word' && Object.hasOwn(FUNCTIONS, tok.text) && tokens[pos].kind === '(') ref = call(tok.text as FilterFunction);
    else ref = fieldName(tok);
    if (tokens[pos].kind === '#') {
      const hash = tokens[pos++];
      const n = tokens[pos++];
      if (typeof ref === 'string' || !/^[1-9]\d*$/.test(n.text)) throw new FilterError(`expected a layer number (1, 2 ...) after '#'`, typeof ref === 'string' ? hash.at : n.at);
      ref = { ...ref, layer: Number(n.text) };
    }
    if (tokens[pos].kind === '[') {
      const bracket = tokens[pos++];
      if (typeof ref === 'string') ref = protoBytes(ref);
      if (NUMERIC.has(ref.kind) && ref.frame === undefined) throw new FilterError(`${ref.name} is a number: only bytes, addresses and protocols can be sliced`, bracket.at);
      const t = tokens[pos++];
      const slice = parseSlice(t.text);
      if (t.kind !== 'word' || slice === null) throw new FilterError(`expected a byte range (0:3, 1-2, 4, -2:), found '${t.text}'`, t.at);
      expect(']', "']' to close the slice");
      ref = { ...ref, kind: 'bytes', slice: { ...slice, from: ref.kind } };
    }
    return ref;
  }

  function arithNext(): boolean {
    return tokens[pos].kind in ARITH || (tokens[pos].kind === 'word' && tokens[pos].text in ARITH);
  }

  /** `-field` as one word (the tokenizer keeps '-' in names): the field, and the minus before it. */
  function negated(tok: Token): Token | null {
    return tok.kind === 'word' && tok.text.length > 1 && tok.text.startsWith('-') && isFieldName(tok.text.slice(1)) ? { ...tok, text: tok.text.slice(1), at: tok.at + 1 } : null;
  }

  /**
   * A field with the arithmetic after it, read as tshark's grammar binds it: unary minus first,
   * then `* / %`, then `+ -`, then `&`, each left-associative (`ip.ttl + 1 * 2` adds 2). The
   * operands after the first are numbers or fields. Read with an operator stack (shunting-yard),
   * not by recursion.
   */
  function value(tok: Token): FieldRef | ProtoId {
    const ops: (ArithOp | 'neg')[] = [];
    let first = tok;
    const minus = negated(tok);
    if (minus !== null) {
      ops.push('neg');
      first = minus;
    }
    const ref = term(first);
    if (typeof ref === 'string' || (ops.length === 0 && !arithNext())) return ref;
    if (!NUMERIC.has(ref.kind)) throw new FilterError(`${ref.name} is not a number: no arithmetic on it`, arithNext() ? tokens[pos].at : tok.at);
    const time = ref.kind === 'reltime' || ref.kind === 'abstime';
    const items: CalcItem[] = [{ term: 0 }];
    const terms: FieldRef[] = [ref];
    while (arithNext()) {
      const op = ARITH[tokens[pos++].text];
      pushOperator(op, ops, items);
      let t = tokens[pos++];
      for (; t.kind === 'word' && t.text === '-'; t = tokens[pos++]) ops.push('neg');
      const n = calcNumber(t.text, time);
      if (n !== null) {
        items.push(n);
        continue;
      }
      const neg = negated(t);
      if (neg !== null) ops.push('neg');
      const other = t.kind === 'word' && isFieldName((neg ?? t).text) ? term(neg ?? t) : null;
      if (other === null) throw new FilterError(`expected a number or a field after '${op}', found ${t.kind === 'end' ? 'the end' : `'${t.text}'`}`, t.at);
      if (typeof other === 'string' || !NUMERIC.has(other.kind)) throw new FilterError(`${typeof other === 'string' ? other : other.name} is not a number: no arithmetic on it`, t.at);
      terms.push(other);
      items.push({ term: terms.length - 1 });
    }
    while (ops.length > 0) items.push(ops.pop()!);
    const kind = ref.kind === 'bool' || ref.kind === 'abstime' ? 'dec' : ref.kind;
    return { ...ref, kind, calc: { items, terms } };
  }

  function literal(ref: FieldRef, after: Token): Operand {
    const t = tokens[pos++];
    if (t.kind !== 'word' && t.kind !== 'string') {
      const found = t.kind === 'end' ? 'the end' : `'${t.text}'`;
      throw new FilterError(`expected a value after '${after.text}', found ${found}`, t.at);
    }
    if (!NUMERIC.has(ref.kind) || !arithNext()) return operand(ref, t);
    // Arithmetic of numbers on the right (`ip.ttl == 130 - 2`): worked out once, here.
    const time = ref.kind === 'reltime' || ref.kind === 'abstime';
    const items: CalcItem[] = [];
    const ops: (ArithOp | 'neg')[] = [];
    for (let n: Token = t; ; n = tokens[pos++]) {
      const v = calcNumber(n.text, time);
      if (v === null) throw new FilterError(`expected a number, found ${n.kind === 'end' ? 'the end' : `'${n.text}'`}`, n.at);
      items.push(v);
      if (!arithNext()) break;
      const op = ARITH[tokens[pos++].text];
      pushOperator(op, ops, items);
    }
    while (ops.length > 0) items.push(ops.pop()!);
    return operand(ref, { ...t, text: String(calculate(items, [], time)) });
  }

  /** Whether a field (not a literal) starts at `t`, on the right of a comparison: a field name, len(, -field, or a protocol's slice. */
  function fieldStarts(t: Token): boolean {
    if (t.kind !== 'word') return false;
    if ((t.text === 'len' || Object.hasOwn(FUNCTIONS, t.text)) && tokens[pos + 1].kind === '(') return true;
    if (Object.hasOwn(PROTO_TITLES, t.text)) return tokens[pos + 1].kind === '[';
    return isFieldName(t.text) || negated(t) !== null;
  }

  /** The other side of a field-to-field comparison, checked to be of a type comparable with `ref`. */
  function otherField(ref: FieldRef, t: Token): FieldRef {
    const other = value(t);
    const otherRef = typeof other === 'string' ? protoBytes(other) : other;
    if (KIND_GROUPS[ref.kind] !== KIND_GROUPS[otherRef.kind]) throw new FilterError(`${ref.name} and ${otherRef.name} are not of compatible types`, t.at);
    return otherRef;
  }

  /**
   * `{a, b..c, ip.dst, ...}` after `in`: the values, and the fields (tshark 4.0 takes them, each
   * meaning `ref == field`).
   */
  function members(ref: FieldRef): { values: Member[]; fields: FieldRef[] } {
    const brace = expect('{', "'{' after 'in'");
    const out: Member[] = [];
    const fields: FieldRef[] = [];
    for (;;) {
      const t = tokens[pos];
      if (fieldStarts(t)) {
        pos++;
        fields.push(otherField(ref, t));
      } else {
        pos++;
        if (t.kind !== 'word' && t.kind !== 'string') throw new FilterError(`expected a value in the set, found ${t.kind === 'end' ? 'the end' : `'${t.text}'`}`, t.at);
        const dots = t.kind === 'word' ? t.text.indexOf('..') : -1;
        if (dots > 0 && dots < t.text.length - 2) {
          const lo = operand(ref, { ...t, text: t.text.slice(0, dots) });
          const hi = operand(ref, { ...t, text: t.text.slice(dots + 2), at: t.at + dots + 2 });
          out.push({ lo, hi });
        } else if (tokens[pos].text === '..') {
          pos++;
          out.push({ lo: operand(ref, t), hi: operand(ref, tokens[pos++]) });
        } else {
          const one = operand(ref, t);
          out.push({ lo: one, hi: one });
        }
      }
      const sep = tokens[pos++];
      if (sep.kind === '}') break;
      if (sep.kind !== ',') throw new FilterError(`expected ',' or '}' in the set opened at column ${brace.at + 1}, found ${sep.kind === 'end' ? 'the end' : `'${sep.text}'`}`, sep.at);
    }
    return { values: out, fields };
  }

  /**
   * `ref in {...}`: the values' test, or'ed with `ref == field` for each field of the set. With
   * `all`, as tshark 4.0, each member on its own: every occurrence equal to one value (or in one
   * range), not each occurrence in some member (`all ip.src in {10.0.0.0/8, 172.16.0.0/12}` needs
   * all sources in one of the two).
   */
  function membership(ref: FieldRef, all: boolean | undefined): Expr {
    const { values, fields } = members(ref);
    let expr: Expr | null = null;
    const or = (e: Expr): void => {
      expr = expr === null ? e : { type: 'or', left: expr, right: e };
    };
    if (all) for (const m of values) or({ type: 'in', field: ref, members: [m], all });
    else if (values.length > 0) or({ type: 'in', field: ref, members: values });
    for (const other of fields) {
      or({ type: 'fields', op: '==', field: ref, other, ...(all && { all }) });
    }
    return expr!;
  }

  /** A field or protocol name, with the comparison that may follow it. */
  function comparison(first: Token): Expr {
    let tok = first;
    let all: boolean | undefined;
    let typed: boolean | undefined;
    if (tok.kind === 'word' && (tok.text === 'any' || tok.text === 'all') && tokens[pos].kind === 'word') {
      typed = tok.text === 'all';
      all = typed || undefined;
      tok = tokens[pos++];
    }
    if (tok.kind === 'word' && calcNumber(tok.text, true) !== null) throw new FilterError(`the left side of a comparison must be a field, not '${tok.text}'`, tok.at);
    const header = tok.kind === 'word' ? headerProtocols().get(tok.text) : undefined;
    if (header !== undefined) {
      const next = tokens[pos];
      if (next.kind !== 'end' && next.kind !== ')' && next.kind !== '&&' && next.kind !== '||') {
        throw new FilterError(`'${tok.text}' is a header inside a layer: test it alone, or compare one of its fields (-G fields lists them)`, next.at);
      }
      return { type: 'present', field: { name: tok.text, ids: header, kind: 'bytes' } };
    }
    let ref = value(tok);
    const next = tokens[pos];
    const relation = COMPARE_OPS.has(next.kind) || next.kind === '~' || (next.kind === 'word' && ['in', 'contains', 'matches'].includes(next.text)) || (next.text === 'not' && tokens[pos + 1].text === 'in');
    if (!relation) {
      if (typeof ref === 'string') return ref === 'frame' ? { type: 'present', field: fieldRef('frame.number', tok.at) as FieldRef } : { type: 'proto', proto: ref, ids: [...FIELD_DEFS.keys()].filter((k) => k.startsWith(`${ref}.`)).map(fieldId) };
      if (ref.slice !== undefined || ref.len !== undefined || ref.calc !== undefined) throw new FilterError(`expected a comparison after ${ref.name}`, next.at);
      return { type: 'present', field: ref };
    }
    const opTok = tokens[pos++];
    if (typeof ref === 'string') {
      if (COMPARE_OPS.has(opTok.kind) || opTok.text === 'in') throw new FilterError(`'${tok.text}' is a protocol: compare one of its fields`, opTok.at);
      ref = protoBytes(ref);
    }
    if (COMPARE_OPS.has(opTok.kind)) {
      const eq = EQUALITY[opTok.kind];
      const op = eq?.op ?? (opTok.kind as CompareOp);
      const every = typed ?? eq?.all ?? false;
      // `!=` unflagged is its plain reading (no occurrence equal); all: false makes it "some one differs".
      const quantified = op === '!=' ? (every ? {} : { all: false }) : every ? { all: true } : {};
      if (fieldStarts(tokens[pos])) return { type: 'fields', op, field: ref, other: otherField(ref, tokens[pos++]), ...quantified };
      return { type: 'compare', op, field: ref, operand: literal(ref, opTok), ...quantified };
    }
    if (opTok.text === 'in') return membership(ref, all);
    if (opTok.text === 'not') {
      pos++;
      // tshark 4.0 reads `not in` as "no occurrence in the set", whatever the quantifier.
      return { type: 'not', expr: membership(ref, undefined) };
    }
    if (ref.kind !== 'bytes' && ref.kind !== 'string') throw new FilterError(`${ref.name} is ${KIND_NAMES[ref.kind]}: '${opTok.text}' needs bytes or text`, opTok.at);
    if (opTok.text === 'contains') return { type: 'contains', field: ref, needle: literal(ref, opTok), ...(all && { all }) };
    const pattern = tokens[pos++];
    if (pattern.kind !== 'string') throw new FilterError(`expected a quoted regular expression after '${opTok.text}'`, pattern.at);
    // Wireshark's regular expressions ignore case unless they start with (?-i); JavaScript has no inline flags.
    const sensitive = pattern.text.startsWith('(?-i)');
    try {
      const re = new RegExp(sensitive ? pattern.text.slice(5) : pattern.text, sensitive ? 's' : 'is');
      return { type: 'matches', field: ref, re, ...(all && { all }) };
    } catch (e) {
      throw new FilterError(`not a regular expression: ${(e as Error).message}`, pattern.at);
    }
  }
}
