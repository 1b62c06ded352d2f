import type { FieldDef } from '../decode/fields.js';

/**
 * The decimal fields stored in 8 or 16 bits, by the type tshark gives them (`tshark -G fields`:
 * FT_UINT8, FT_UINT16; nvgre.flow_id, which tshark lacks, is the key's low byte). Every other
 * decimal field is a 32-bit number, as tshark's counts and sequence numbers are (pktmon's u16
 * fields are as its events log them, NOTES.md).
 */
const BYTE_FIELDS = [
  'ip.version', 'ip.hdr_len', 'ip.ttl', 'ip.proto', 'ip.checksum.status', 'nvgre.flow_id',
  'cmd.version', 'cmd.length', 'arp.hw.size', 'arp.proto.size',
  'icmp.type', 'icmp.code', 'icmp.checksum.status', 'icmpv6.type', 'icmpv6.code', 'icmpv6.checksum.status',
  'icmpv6.nd.ra.cur_hop_limit', 'tcp.hdr_len', 'tcp.options.wscale.shift', 'tcp.checksum.status',
  'udp.checksum.status', 'gre.checksum.status',
  'ipv6.version', 'ipv6.nxt', 'ipv6.hlim', 'ipv6.hopopts.nxt', 'ipv6.hopopts.len', 'ipv6.routing.nxt',
  'ipv6.routing.len', 'ipv6.routing.type', 'ipv6.routing.segleft', 'ipv6.fraghdr.nxt', 'ipv6.dstopts.nxt',
  'ipv6.dstopts.len',
];
const SHORT_FIELDS = [
  'sll.pkttype', 'sll.hatype', 'sll.halen', 'eth.len', 'vlan.priority', 'vlan.id', 'ieee8021ad.priority',
  'ieee8021ad.id', 'cmd.sgt', 'ip.len', 'ip.frag_offset', 'gre.flags.version', 'gre.key.payload_length',
  'gre.key.call_id', 'erspan.version', 'erspan.vlan', 'erspan.cos', 'erspan.encap', 'erspan.bso',
  'erspan.spanid', 'erspan.sgt', 'erspan.direction', 'arp.hw.type', 'arp.opcode', 'icmp.ident', 'icmp.seq',
  'icmpv6.echo.identifier', 'icmpv6.echo.sequence_number', 'icmpv6.nd.ra.router_lifetime',
  'tcp.srcport', 'tcp.dstport', 'tcp.window_size_value', 'tcp.urgent_pointer', 'tcp.options.mss_val',
  'udp.srcport', 'udp.dstport', 'udp.length', 'ipv6.plen', 'ipv6.hopopts.len_oct', 'ipv6.routing.len_oct',
  'ipv6.dstopts.len_oct', 'ipv6.fraghdr.offset',
  'pktmon.pkt_number', 'pktmon.appearance', 'pktmon.component_id', 'pktmon.direction', 'pktmon.edge_id',
  'pktmon.filter_id', 'pktmon.packet_type', 'pktmon.original_size', 'pktmon.logged_size', 'ndis.port_id',
  'ndis.event_id', 'ndis.vlan', 'ndis.user_priority',
];

const DECIMAL_MAX = new Map<string, number>([
  ...BYTE_FIELDS.map((k): [string, number] => [k, 0xff]),
  ...SHORT_FIELDS.map((k): [string, number] => [k, 0xffff]),
  // PktGroupId is a u64 (its values past 2^53 are compared exactly: Operand.big).
  ['pktmon.pkt_group_id', 2 ** 64 - 1],
]);

/**
 * The largest value a number field can hold, for refusing a literal no frame can match
 * (`ip.ttl == 300`) as tshark does. Hex fields are as wide as their digits, flags are 0 or 1.
 */
export function largestValue(def: FieldDef): number {
  if (def.kind === 'bool') return 1;
  if (def.width !== undefined && (def.kind === 'hex' || def.kind === 'dechex')) return 16 ** def.width - 1;
  return DECIMAL_MAX.get(def.key) ?? 0xffffffff;
}

/** The keys the table names, for the test that keeps it to real decimal fields. */
export const SIZED_DECIMAL_FIELDS: readonly string[] = [...DECIMAL_MAX.keys()];
