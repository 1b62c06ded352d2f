import type { FieldId } from '../decode/field-store.js';
import type { FieldKind } from '../decode/fields.js';
import type { ProtoId } from '../decode/packet.js';

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

export type ArithOp = '+' | '-' | '*' | '/' | '%' | '&';

/** The frame's own fields, computed from the capture record rather than decoded. */
export type FrameField =
  | 'number'
  | 'len'
  | 'cap_len'
  | 'time'
  | 'time_epoch'
  | 'time_relative'
  | 'time_delta'
  | 'time_delta_displayed'
  | 'offset_shift'
  | 'protocols'
  | 'comment'
  | 'encap_type'
  | 'marked'
  | 'ignored'
  | 'section_number'
  | 'interface_id'
  | 'interface_name';

/**
 * What a value is once read (and sliced, measured ...): a field's kind, text, a time in seconds
 * (relative or since the epoch), or bytes.
 */
/** A decoder's text field (a pktmon component's name) is compared as a string. */
export type ValueKind = Exclude<FieldKind, 'text'> | 'string' | 'reltime' | 'abstime';

/** A byte range of a slice: `start` from the end when negative; `end` exclusive, null for "to the end". */
export interface Slice {
  start: number;
  end: number | null;
}

/**
 * A field as the filter sees it: the ids of the concrete fields it stands for (ip.addr: ip.src and ip.dst),
 * and what is done to each occurrence before comparing (absent when nothing is).
 */
export interface FieldRef {
  name: string;
  ids: FieldId[];
  kind: ValueKind;
  /** A protocol's bytes (`tcp contains "GET"`, `tcp[0:2]`): from its header to the end of its data. */
  proto?: ProtoId;
  frame?: FrameField;
  /** A one-bit flag of the number field (tcp.flags.syn: 0x002 of tcp.flags). */
  bit?: number;
  /** `#n`: only the occurrence in the n-th layer that has the field (1-based). */
  layer?: number;
  /** `[i:j]`, over the bytes of the value (an address's too), of kind `from`. */
  slice?: Slice & { from: ValueKind };
  /** `len(field)`: the occurrence's length in bytes; the kind of what is measured. */
  len?: ValueKind;
  /** `field & 0xff`, `field * 2 + 1`, `tcp.srcport + tcp.dstport`: arithmetic over the occurrences. */
  calc?: Calc;
  /** A function of tshark 4.0's (`count(ip.src)`, `max(a, b)`, `upper(f)`): its values are the occurrences. */
  fn?: { name: FilterFunction; args: FieldRef[] };
}

/**
 * count: how many occurrences (none when 0, as tshark); max, min: the largest, smallest of every
 * argument's; abs, upper, lower, string: each occurrence's (string: a number in decimal, an
 * address as written).
 */
export type FilterFunction = 'count' | 'max' | 'min' | 'abs' | 'upper' | 'lower' | 'string';

/**
 * Arithmetic in postfix order (precedence already applied): a number, an operator, `neg` (unary
 * minus) or a term: 0 the field itself (each of its occurrences), n the n-th of `terms`, a field
 * whose every occurrence combines with every other term's, as tshark's arithmetic does.
 */
export type CalcItem = number | ArithOp | 'neg' | { term: number };

export interface Calc {
  items: CalcItem[];
  terms: FieldRef[];
}

/** A literal on the right of a comparison, already in the field's value form. */
export interface Operand {
  value: number;
  /** For an IPv4 network literal (10.0.0.0/8): the mask applied to the field before comparing. */
  mask: number;
  /** For an IPv6 literal: its 16 bytes, and how many leading bits count (128 unless /prefix). */
  bytes?: Uint8Array;
  prefix?: number;
  /** For a bytes literal (61:62:63, "abc" against bytes): compared whole, as Wireshark orders bytes. */
  raw?: Uint8Array;
  text?: string;
  /** A number literal past 2^53, exactly (the double in `value` is rounded): for pktmon's u64 PktGroupId. */
  big?: bigint;
}

/** A member of `in {...}`: one value, or a range `lo..hi` (both ends included). */
export interface Member {
  lo: Operand;
  hi: Operand;
}

/** A leaf of an expression: a presence test or a comparison. */
export type Test =
  /** A protocol is present as a layer, or as its fields inside another (ICMP's echo data). */
  | { type: 'proto'; proto: ProtoId; ids: FieldId[] }
  | { type: 'present'; field: FieldRef }
  /**
   * `all` needs every occurrence to compare true; otherwise one is enough. `!=` is true when no
   * occurrence is equal; with `all: false` (tshark's `!==`, `~=`, `any ... !=`), when one is not.
   */
  | { type: 'compare'; op: CompareOp; field: FieldRef; operand: Operand; all?: boolean }
  /** Field to field (`ip.src == ip.dst`): true when some pair of occurrences compares true (every pair with `all`). */
  | { type: 'fields'; op: CompareOp; field: FieldRef; other: FieldRef; all?: boolean }
  | { type: 'in'; field: FieldRef; members: Member[]; all?: boolean }
  | { type: 'contains'; field: FieldRef; needle: Operand; all?: boolean }
  | { type: 'matches'; field: FieldRef; re: RegExp; all?: boolean };

export type Junction = { type: 'and' | 'or'; left: Expr; right: Expr };

export type Not = { type: 'not'; expr: Expr };

export type Expr = Junction | Not | Test;
