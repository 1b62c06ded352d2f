/** -G fields and -G protocols: every protocol and field we decode, in tshark's column layout. */
import { type FieldDef, fieldBase } from '../decode/fields.js';
import type { ProtoId } from '../decode/packet.js';
import { FIELD_DEFS } from '../decode/registry.js';
import { PROTO_TITLES } from './describe.js';
import { FRAME_FIELDS } from './field-values.js';

/**
 * tshark 4.0.17's long and short names (-G protocols) for the protocols it has; ours (PktMon,
 * NDIS-PacketCapture, NVGRE) keep their tree titles.
 */
const TSHARK_NAMES: Partial<Record<ProtoId, readonly [string, string]>> = {
  frame: ['Frame', 'Frame'],
  sll: ['Linux cooked-mode capture', 'SLL'],
  null: ['Null/Loopback', 'Null'],
  eth: ['Ethernet', 'Ethernet'],
  vlan: ['802.1Q Virtual LAN', 'VLAN'],
  ieee8021ad: ['IEEE 802.1ad', 'IEEE 802.1AD'],
  cmd: ['Cisco MetaData', 'Cisco MetaData'],
  ip: ['Internet Protocol Version 4', 'IPv4'],
  ipv6: ['Internet Protocol Version 6', 'IPv6'],
  gre: ['Generic Routing Encapsulation', 'GRE'],
  erspan: ['Encapsulated Remote Switch Packet ANalysis', 'ERSPAN'],
  ppp: ['Point-to-Point Protocol', 'PPP'],
  arp: ['Address Resolution Protocol', 'ARP/RARP'],
  icmp: ['Internet Control Message Protocol', 'ICMP'],
  icmpv6: ['Internet Control Message Protocol v6', 'ICMPv6'],
  tcp: ['Transmission Control Protocol', 'TCP'],
  udp: ['User Datagram Protocol', 'UDP'],
  vxlan: ['Virtual eXtensible Local Area Network', 'VXLAN'],
  data: ['Data', 'Data'],
};

/** tshark 4.0.17's names for the headers we decode inside a layer (the fields' protocol column). */
const HEADER_NAMES: Record<string, readonly [string, string]> = {
  'ipv6.hopopts': ['IPv6 Hop-by-Hop Option', 'IPv6 Hop-by-Hop'],
  'ipv6.routing': ['Routing Header for IPv6', 'IPv6 Routing'],
  'ipv6.fraghdr': ['Fragment Header for IPv6', 'IPv6 Fragment'],
  'ipv6.dstopts': ['Destination Options for IPv6', 'IPv6 Destination'],
};

const names = (proto: ProtoId): readonly [string, string] => TSHARK_NAMES[proto] ?? [PROTO_TITLES[proto], PROTO_TITLES[proto]];

/** Each layer's protocol, then the headers inside it that have fields (ipv6, then ipv6.hopopts ...), with tshark's names. */
function protocols(): [name: string, long: string, short: string][] {
  const inside = new Map<string, string[]>();
  for (const def of FIELD_DEFS.values()) {
    if (def.proto === undefined) continue;
    const top = def.proto.split('.')[0];
    const list = inside.get(top) ?? [];
    if (!list.includes(def.proto)) inside.set(top, [...list, def.proto]);
  }
  return (Object.keys(PROTO_TITLES) as ProtoId[]).flatMap((proto) => [
    [proto, ...names(proto)] as [string, string, string],
    ...(inside.get(proto) ?? []).map((h) => [h, ...HEADER_NAMES[h]] as [string, string, string]),
  ]);
}

const protoOf = (def: FieldDef): string => def.proto ?? def.key.slice(0, def.key.indexOf('.'));

const maskText = (mask = 0): string => `0x${mask.toString(16)}`;

/** `F\tlabel\tname\ttype\tprotocol\tbase\tbitmask\tblurb`, each protocol's `P\ttitle\tname` line before its fields. */
export function formatFieldList(): string {
  const lines: string[] = [];
  const byProto = new Map<string, string[]>();
  const add = (proto: string, line: string): void => {
    let list = byProto.get(proto);
    if (list === undefined) byProto.set(proto, (list = []));
    list.push(line);
  };
  for (const f of FRAME_FIELDS) add('frame', `F\t${f.label}\t${f.key}\t${f.type}\tframe\t${f.base}\t0x0\t${f.blurb ?? ''}`);
  for (const def of FIELD_DEFS.values()) {
    const proto = protoOf(def);
    add(proto, `F\t${def.label}\t${def.key}\t${def.type}\t${proto}\t${fieldBase(def)}\t${maskText(def.mask)}\t${def.blurb ?? ''}`);
  }
  for (const [proto, long] of protocols()) lines.push(`P\t${long}\t${proto}`, ...(byProto.get(proto) ?? []));
  return `${lines.join('\n')}\n`;
}

/** `name\tshort name\tfilter name`, as tshark -G protocols. */
export function formatProtocolList(): string {
  return protocols()
    .map(([proto, long, short]) => `${long}\t${short}\t${proto}\n`)
    .join('');
}
