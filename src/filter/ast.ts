import type { FieldKind } from '../decode/fields.js';
import type { ProtoId } from '../decode/packet.js';

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** A field as the filter sees it: the concrete keys it stands for (ip.addr: ip.src and ip.dst). */
export interface FieldRef {
  name: string;
  keys: string[];
  kind: FieldKind;
}

/** A literal on the right of a comparison, already in the field's number form. */
export interface Operand {
  value: number;
  /** For an IPv4 network literal (10.0.0.0/8): the mask applied to the field before comparing. */
  mask: number;
  /** For an IPv6 literal: its 16 bytes, and how many leading bits count (128 unless /prefix). */
  bytes?: Uint8Array;
  prefix?: number;
  /** A literal past 2^53, exactly (the double in `value` is rounded). */
  big?: bigint;
}

/** A leaf of an expression: a presence test or a comparison. */
export type Test =
  /** A protocol is present as a layer, or as its fields inside another (ICMP's echo data). */
  | { type: 'proto'; proto: ProtoId; keys: string[] }
  | { type: 'present'; field: FieldRef }
  | { type: 'compare'; op: CompareOp; field: FieldRef; operand: Operand };

export type Junction = { type: 'and' | 'or'; left: Expr; right: Expr };

export type Not = { type: 'not'; expr: Expr };

export type Expr = Junction | Not | Test;
