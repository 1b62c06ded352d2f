import type { Packet } from '../decode/packet.js';
import type { CompareOp, Expr, Junction, Not, Test } from './ast.js';

/** Orders the first `bits` bits of two addresses: negative, zero or positive, as numbers compare. */
function compareBits(a: Uint8Array, b: Uint8Array, bits: number): number {
  for (let i = 0; i * 8 < bits; i++) {
    const mask = bits - i * 8 >= 8 ? 0xff : (0xff << (8 - (bits - i * 8))) & 0xff;
    const diff = (a[i] & mask) - (b[i] & mask);
    if (diff !== 0) return diff;
  }
  return 0;
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
  return op === '==' || op === '!=' ? a === b : op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
}

function compareMasked(op: CompareOp, v: number, mask: number, value: number): boolean {
  return compare(op, mask === 0xffffffff ? v : (v & mask) >>> 0, value);
}

/** The `&&`, `||` and `!` above the test being evaluated; reused, so a match allocates nothing. */
const pending: (Junction | Not)[] = [];

/**
 * Whether the packet matches. A field present in several layers (outer and inner ip.dst) matches
 * when any occurrence does; `a != b` is "no occurrence equals b", as in tshark 4. `&&` and `||`
 * short-circuit. Walked with a stack of its own, not by recursion: 3,000 `||` terms chain 3,000
 * deep, and the call stack would not hold them.
 */
export function matches(expr: Expr, pkt: Packet): boolean {
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
      if (sp === 0) return value;
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

function test(expr: Test, pkt: Packet): boolean {
  switch (expr.type) {
    case 'proto':
      return pkt.layers.some((l) => l.proto === expr.proto || expr.keys.some((k) => l.fields[k] !== undefined));
    case 'present':
      return pkt.layers.some((l) => expr.field.keys.some((k) => l.fields[k] !== undefined));
    case 'compare': {
      const { op, field, operand } = expr;
      const op2 = op === '!=' ? '==' : op;
      let any = false;
      for (const layer of pkt.layers) {
        for (const key of field.keys) {
          const v = layer.fields[key];
          if (v === undefined) continue;
          if (operand.bytes !== undefined) {
            if (v instanceof Uint8Array && compare(op2, compareBits(v, operand.bytes, operand.prefix ?? 128), 0)) any = true;
            continue;
          }
          if (typeof v === 'number') {
            if (operand.big === undefined ? compareMasked(op2, v, operand.mask, operand.value) : compareBig(op2, BigInt(v), operand.big)) any = true;
          } else if (typeof v === 'string') {
            // A u64 past 2^53, as its digits (text fields take no comparison).
            if (compareBig(op2, BigInt(v), operand.big ?? BigInt(operand.value))) any = true;
            // A list is a field that occurs several times (ip.fragment): each occurrence counts.
          } else if (!(v instanceof Uint8Array) && v.some((x) => compareMasked(op2, x, operand.mask, operand.value))) any = true;
        }
      }
      return op === '!=' ? !any : any;
    }
  }
}
