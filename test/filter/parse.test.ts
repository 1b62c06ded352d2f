// Parsing: AST shapes, operator spellings and literal values. Expected trees are written from
// the grammar (! over && over ||, left-associative) and from the literal formats themselves.
import { describe, expect, it } from 'vitest';
import type { Expr, FieldRef } from '../../src/filter/ast.js';
import { parseFilter } from '../../src/filter/parse.js';
import { fieldId } from '../../src/decode/field-store.js';

const ipSrc: FieldRef = { name: 'ip.src', ids: [fieldId('ip.src')], kind: 'ipv4' };
const vsid: FieldRef = { name: 'nvgre.vsid', ids: [fieldId('nvgre.vsid')], kind: 'dechex' };
// The keys a protocol test also looks for are checked once, below; shape tests accept any list.
const proto = (p: string): Expr => ({ type: 'proto', proto: p, ids: expect.any(Array) }) as unknown as Expr;
const ALL = 0xffffffff;

/** The operand of a filter that must be a single comparison. */
function operandOf(src: string): { value: number; mask: number } {
  const e = parseFilter(src);
  if (e.type !== 'compare') throw new Error(`not a comparison: ${e.type}`);
  return e.operand;
}

describe('precedence and grouping', () => {
  it('&& binds tighter than ||: a || b && c is a || (b && c)', () => {
    expect(parseFilter('arp || tcp && udp')).toEqual({
      type: 'or',
      left: proto('arp'),
      right: { type: 'and', left: proto('tcp'), right: proto('udp') },
    });
  });

  it('a && b || c is (a && b) || c', () => {
    expect(parseFilter('arp && tcp || udp')).toEqual({
      type: 'or',
      left: { type: 'and', left: proto('arp'), right: proto('tcp') },
      right: proto('udp'),
    });
  });

  it('! binds tighter than &&: !a && b is (!a) && b', () => {
    expect(parseFilter('!arp && tcp')).toEqual({
      type: 'and',
      left: { type: 'not', expr: proto('arp') },
      right: proto('tcp'),
    });
  });

  it('parentheses override precedence: (a || b) && c', () => {
    expect(parseFilter('(arp || tcp) && udp')).toEqual({
      type: 'and',
      left: { type: 'or', left: proto('arp'), right: proto('tcp') },
      right: proto('udp'),
    });
  });

  it('!(a || b) negates the whole group', () => {
    expect(parseFilter('!(arp || tcp)')).toEqual({
      type: 'not',
      expr: { type: 'or', left: proto('arp'), right: proto('tcp') },
    });
  });

  it('&& and || chain left-associatively', () => {
    expect(parseFilter('arp && tcp && udp')).toEqual({
      type: 'and',
      left: { type: 'and', left: proto('arp'), right: proto('tcp') },
      right: proto('udp'),
    });
    expect(parseFilter('arp || tcp || udp')).toEqual({
      type: 'or',
      left: { type: 'or', left: proto('arp'), right: proto('tcp') },
      right: proto('udp'),
    });
  });

  it('! applies to a whole comparison: !ip.src == 1.2.3.4 is !(ip.src == 1.2.3.4)', () => {
    expect(parseFilter('!ip.src == 1.2.3.4')).toEqual({
      type: 'not',
      expr: { type: 'compare', op: '==', field: ipSrc, operand: { value: 0x01020304, mask: ALL } },
    });
  });

  it('! stacks: !!ip and not not ip', () => {
    const twice = { type: 'not', expr: { type: 'not', expr: proto('ip') } };
    expect(parseFilter('!!ip')).toEqual(twice);
    expect(parseFilter('not not ip')).toEqual(twice);
  });

  it('redundant parentheses and whitespace do not change the tree', () => {
    expect(parseFilter('((nvgre))')).toEqual(proto('nvgre'));
    expect(parseFilter('  \tip.src==1.2.3.4\n')).toEqual(parseFilter('ip.src == 1.2.3.4'));
    expect(parseFilter('arp||tcp&&!udp')).toEqual(parseFilter('arp || (tcp && (!udp))'));
  });

  it('a full mixed expression', () => {
    expect(parseFilter('nvgre.vsid == 1 && (ip || !arp)')).toEqual({
      type: 'and',
      left: { type: 'compare', op: '==', field: vsid, operand: { value: 1, mask: ALL } },
      right: { type: 'or', left: proto('ip'), right: { type: 'not', expr: proto('arp') } },
    });
  });
});

describe('names', () => {
  it('every protocol name is a presence test', () => {
    for (const p of ['eth', 'vlan', 'ieee8021ad', 'ip', 'gre', 'nvgre', 'arp', 'icmp', 'tcp', 'udp', 'data']) {
      expect(parseFilter(p)).toEqual(proto(p));
    }
  });

  it('a bare field name is a presence test', () => {
    expect(parseFilter('nvgre.vsid')).toEqual({ type: 'present', field: vsid });
    expect(parseFilter('tcp.flags')).toEqual({ type: 'present', field: { name: 'tcp.flags', ids: ['tcp.flags'].map(fieldId), kind: 'hex' } });
  });

  it('aliases stand for both directions', () => {
    expect(parseFilter('ip.addr')).toEqual({ type: 'present', field: { name: 'ip.addr', ids: ['ip.src', 'ip.dst'].map(fieldId), kind: 'ipv4' } });
    expect(parseFilter('eth.addr')).toEqual({ type: 'present', field: { name: 'eth.addr', ids: ['eth.src', 'eth.dst'].map(fieldId), kind: 'mac' } });
    expect(parseFilter('tcp.port == 80')).toEqual({
      type: 'compare',
      op: '==',
      field: { name: 'tcp.port', ids: ['tcp.srcport', 'tcp.dstport'].map(fieldId), kind: 'dec' },
      operand: { value: 80, mask: ALL },
    });
    expect(parseFilter('udp.port')).toEqual({
      type: 'present',
      field: { name: 'udp.port', ids: ['udp.srcport', 'udp.dstport'].map(fieldId), kind: 'dec' },
    });
  });
});

describe('operators', () => {
  const cases: [string, string][] = [
    ['==', 'eq'],
    ['!=', 'ne'],
    ['<', 'lt'],
    ['<=', 'le'],
    ['>', 'gt'],
    ['>=', 'ge'],
  ];
  for (const [sym, word] of cases) {
    it(`${sym} and ${word} give the same comparison`, () => {
      const expected = { type: 'compare', op: sym, field: vsid, operand: { value: 7, mask: ALL } };
      expect(parseFilter(`nvgre.vsid ${sym} 7`)).toEqual(expected);
      expect(parseFilter(`nvgre.vsid ${word} 7`)).toEqual(expected);
    });
  }

  it('symbols need no surrounding spaces', () => {
    expect(parseFilter('nvgre.vsid<=7')).toEqual({ type: 'compare', op: '<=', field: vsid, operand: { value: 7, mask: ALL } });
    expect(parseFilter('nvgre.vsid!=7')).toEqual({ type: 'compare', op: '!=', field: vsid, operand: { value: 7, mask: ALL } });
  });

  it('and / or / not are the same as && / || / !', () => {
    expect(parseFilter('not arp and tcp or udp')).toEqual(parseFilter('!arp && tcp || udp'));
    expect(parseFilter('not arp and tcp or udp')).toEqual({
      type: 'or',
      left: { type: 'and', left: { type: 'not', expr: proto('arp') }, right: proto('tcp') },
      right: proto('udp'),
    });
  });
});

describe('numbers', () => {
  it('hex and decimal spell the same value', () => {
    expect(operandOf('nvgre.vsid == 0x3D59A4')).toEqual({ value: 4020644, mask: ALL });
    expect(operandOf('nvgre.vsid == 0x3d59a4')).toEqual({ value: 4020644, mask: ALL });
    expect(operandOf('nvgre.vsid == 4020644')).toEqual({ value: 4020644, mask: ALL });
    expect(operandOf('nvgre.vsid == 8793502')).toEqual(operandOf('nvgre.vsid == 0x862D9E'));
    expect(parseFilter('tcp.flags == 0x002')).toEqual(parseFilter('tcp.flags == 2'));
  });

  it('zero and the 24-bit maximum', () => {
    expect(operandOf('nvgre.flow_id == 0')).toEqual({ value: 0, mask: ALL });
    expect(operandOf('nvgre.vsid == 0xffffff')).toEqual({ value: 16777215, mask: ALL });
  });
});

describe('IPv4 literals', () => {
  it('a dotted quad becomes its uint32', () => {
    expect(operandOf('ip.src == 10.1.0.2')).toEqual({ value: 0x0a010002, mask: ALL });
    expect(operandOf('ip.dst == 172.16.0.3')).toEqual({ value: 0xac100003, mask: ALL });
    expect(operandOf('ip.dst == 0.0.0.0')).toEqual({ value: 0, mask: ALL });
  });

  it('addresses with the top bit set stay unsigned', () => {
    expect(operandOf('ip.dst == 255.255.255.255')).toEqual({ value: 4294967295, mask: ALL });
    expect(operandOf('ip.dst == 192.168.1.1')).toEqual({ value: 3232235777, mask: ALL });
  });

  it('a network literal gives value and mask', () => {
    expect(operandOf('ip.src == 10.1.0.0/16')).toEqual({ value: 0x0a010000, mask: 0xffff0000 });
    expect(operandOf('ip.src == 10.0.0.0/8')).toEqual({ value: 0x0a000000, mask: 0xff000000 });
    expect(operandOf('ip.src == 172.16.0.0/12')).toEqual({ value: 0xac100000, mask: 0xfff00000 });
    expect(operandOf('ip.src == 192.168.0.0/24')).toEqual({ value: 0xc0a80000, mask: 0xffffff00 });
  });

  it('host bits in a network literal are cleared', () => {
    expect(operandOf('ip.src == 10.1.0.2/16')).toEqual({ value: 0x0a010000, mask: 0xffff0000 });
    expect(operandOf('ip.src == 255.255.255.255/1')).toEqual({ value: 0x80000000, mask: 0x80000000 });
  });

  it('/0 masks everything, /32 nothing', () => {
    expect(operandOf('ip.src == 0.0.0.0/0')).toEqual({ value: 0, mask: 0 });
    expect(operandOf('ip.src == 10.1.0.2/32')).toEqual({ value: 0x0a010002, mask: 0xffffffff });
  });

  it('aliases and ARP address fields take IPv4 literals too', () => {
    expect(operandOf('ip.addr == 10.2.0.2')).toEqual({ value: 0x0a020002, mask: ALL });
    expect(operandOf('arp.src.proto_ipv4 == 10.1.0.2')).toEqual({ value: 0x0a010002, mask: ALL });
  });
});

describe('MAC literals', () => {
  it('colon form becomes the 48-bit number', () => {
    expect(operandOf('eth.src == 00:1d:d8:b7:1c:02').value).toBe(0x001dd8b71c02);
    expect(operandOf('eth.src == 00:15:5d:00:01:03').value).toBe(0x00155d000103);
  });

  it('dash form and upper case are the same', () => {
    expect(operandOf('eth.src == 00-1D-D8-B7-1C-02').value).toBe(0x001dd8b71c02);
    expect(operandOf('eth.addr == 00:1D:d8:B7:1c:02').value).toBe(0x001dd8b71c02);
  });

  it('broadcast is 2^48 - 1', () => {
    expect(operandOf('eth.dst == ff:ff:ff:ff:ff:ff').value).toBe(281474976710655);
    expect(operandOf('arp.dst.hw_mac == 00:00:00:00:00:00').value).toBe(0);
  });
});

describe('protocol presence also looks for the protocol\'s fields inside other layers', () => {
  it('data stands for data.len and data.data (ICMP echo data lives in the icmp layer)', () => {
    expect(parseFilter('data')).toEqual({ type: 'proto', proto: 'data', ids: ['data.len', 'data.data'].map(fieldId) });
  });
});

