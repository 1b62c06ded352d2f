import type { FieldKind } from '../decode/fields.js';
import type { ProtoId } from '../decode/packet.js';
import { FIELD_DEFS } from '../decode/registry.js';
import { PROTO_TITLES } from '../format/describe.js';
import type { CompareOp, Expr, FieldRef, Operand } from './ast.js';
import { largestValue } from './range.js';

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
};

interface Token {
  text: string;
  /** '&&' '||' '!' '(' ')', a comparison operator, 'word' (field or literal) or 'end'. */
  kind: string;
  at: number;
}

const SYMBOLS = ['&&', '||', '==', '!=', '<=', '>=', '<', '>', '!', '(', ')'];
const WORD = /[A-Za-z0-9_.:/-]/;

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n') {
      i++;
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

const COMPARE_OPS = new Set(['==', '!=', '<', '<=', '>', '>=']);

function fieldRef(name: string, at: number): FieldRef | ProtoId {
  if (Object.hasOwn(PROTO_TITLES, name) && name !== 'frame') return name as ProtoId;
  const keys = ALIASES[name] ?? (FIELD_DEFS.has(name) ? [name] : null);
  if (keys === null) throw new FilterError(`'${name}' is neither a field nor a protocol name`, at);
  const kind = FIELD_DEFS.get(keys[0])!.kind;
  return { name, keys, kind };
}

export function parseIpv4(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (m === null) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

function parseNumber(text: string): number | null {
  if (/^[0-9]+$/.test(text)) return Number(text);
  if (/^0x[0-9a-f]+$/i.test(text)) return Number.parseInt(text.slice(2), 16);
  return null;
}

/** RFC 4291 text (with ::, and an IPv4 tail as in ::ffff:10.0.0.1) to 16 bytes. */
export function parseIpv6(text: string): Uint8Array | null {
  if (!/^[0-9a-f:.]+$/i.test(text) || !text.includes(':')) return null;
  let tail: number[] = [];
  let body = text;
  const v4 = /:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4 !== null) {
    const n = parseIpv4(v4[1]);
    if (n === null) return null;
    tail = [n >>> 16, n & 0xffff];
    const before = text.slice(0, v4.index); // "::ffff" of "::ffff:1.2.3.4", ":" of "::1.2.3.4"
    body = before.endsWith(':') ? `${before}:` : before;
  }
  const halves = body.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === '') return [];
    const gs = part.split(':');
    return gs.every((g) => /^[0-9a-f]{1,4}$/i.test(g)) ? gs.map((g) => Number.parseInt(g, 16)) : null;
  };
  const head = parse(halves[0]);
  const rest = halves.length === 2 ? parse(halves[1]) : [];
  if (head === null || rest === null) return null;
  const known = head.length + rest.length + tail.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return null;
  const groups = [...head, ...Array<number>(8 - known).fill(0), ...rest, ...tail];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[2 * i] = g >>> 8;
    out[2 * i + 1] = g & 0xff;
  });
  return out;
}

function parseMac(text: string): number | null {
  if (!/^[0-9a-f]{2}([:-][0-9a-f]{2}){5}$/i.test(text)) return null;
  return Number.parseInt(text.replace(/[:-]/g, ''), 16);
}

const KIND_NAMES: Record<FieldKind, string> = {
  dec: 'a number',
  hex: 'a number',
  dechex: 'a number',
  bool: 'a number (0 or 1)',
  ipv4: 'an IPv4 address or network',
  ipv6: 'an IPv6 address or prefix',
  mac: 'a MAC address',
  bytes: 'bytes',
  text: 'no comparison (it is text: test its presence)',
};

/** Reads a literal in the form the field's values take, or says what was expected. */
function operand(field: FieldRef, tok: Token): Operand {
  const text = tok.text;
  let value: number | null = null;
  let mask = 0xffffffff;
  if (field.kind === 'ipv4') {
    const [addr, bits, extra] = text.split('/');
    value = parseIpv4(addr);
    if (bits !== undefined) {
      const len = /^\d+$/.test(bits) ? Number(bits) : 99;
      if (len > 32 || extra !== undefined) value = null;
      else mask = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
      if (value !== null) value = (value & mask) >>> 0;
    }
  } else if (field.kind === 'ipv6') {
    const [addr, bits, extra] = text.split('/');
    const bytes = parseIpv6(addr);
    const prefix = bits === undefined ? 128 : /^\d+$/.test(bits) ? Number(bits) : 999;
    if (bytes !== null && prefix <= 128 && extra === undefined) return { value: 0, mask: 0xffffffff, bytes, prefix };
  } else if (field.kind === 'mac') value = parseMac(text);
  else if (field.kind !== 'bytes' && field.kind !== 'text') value = parseNumber(text);
  if (value === null) {
    throw new FilterError(`${field.name} takes ${KIND_NAMES[field.kind]}, not '${text}'`, tok.at);
  }
  if (field.kind !== 'ipv4' && field.kind !== 'mac') {
    const max = largestValue(FIELD_DEFS.get(field.keys[0])!);
    // Every maximum is below 2^32, so a literal past 2^53 is still above it once rounded.
    if (value > max) throw new FilterError(`'${text}' is too big for ${field.name}, maximum ${max}`, tok.at);
    // A u64 field (pktmon.pkt_group_id) holds values a double would round: compared exactly.
    if (value > Number.MAX_SAFE_INTEGER) return { value, mask, big: BigInt(text) };
  }
  return { value, mask };
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

/**
 * Parses a display filter as tshark users type it: `==  !=  <  <=  >  >=` (and eq, ne, ...),
 * `&&  ||  !` (and, or, not), parentheses, a bare field or protocol name for presence. `!` binds
 * tighter than `&&`, `&&` than `||`, both left-associative. Read with a stack of open
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

  /** A field or protocol name, with the comparison that may follow it. */
  function comparison(tok: Token): Expr {
    if (tok.kind !== 'word') {
      throw new FilterError(tok.kind === 'end' ? 'expected a field name, found the end' : `expected a field name, found '${tok.text}'`, tok.at);
    }
    const ref = fieldRef(tok.text, tok.at);
    if (!COMPARE_OPS.has(tokens[pos].kind)) {
      if (typeof ref !== 'string') return { type: 'present', field: ref };
      return { type: 'proto', proto: ref, keys: [...FIELD_DEFS.keys()].filter((k) => k.startsWith(`${ref}.`)) };
    }
    const opTok = tokens[pos++];
    if (typeof ref === 'string') throw new FilterError(`'${tok.text}' is a protocol: compare one of its fields`, opTok.at);
    const valueTok = tokens[pos++];
    if (valueTok.kind !== 'word') {
      const found = valueTok.kind === 'end' ? 'the end' : `'${valueTok.text}'`;
      throw new FilterError(`expected a value after '${opTok.text}', found ${found}`, valueTok.at);
    }
    return { type: 'compare', op: opTok.kind as CompareOp, field: ref, operand: operand(ref, valueTok) };
  }
}
