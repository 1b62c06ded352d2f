import type { FieldValue } from '../decode/fields.js';
import { ETHERTYPE_NAMES, IP_PROTO_NAMES } from '../decode/names.js';
import type { Layer, ProtoId } from '../decode/packet.js';
import { ARP_OPCODE_NAMES } from '../decode/protocols/arp.js';
import { NDIS_RECEIVE, NDIS_SEND } from '../decode/protocols/etw.js';
import { ICMP_TYPE_NAMES } from '../decode/protocols/icmp.js';
import { ICMPV6_TYPE_NAMES } from '../decode/protocols/icmpv6.js';
import { upperProtocol } from '../decode/protocols/ipv6.js';
import { PPP_PROTOCOL_NAMES } from '../decode/protocols/ppp.js';
import { TCP_FLAG_NAMES } from '../decode/protocols/tcp.js';
import { encoded, type TextSink, textOf } from './sink.js';
import { hex, hexUpper, ipv4, ipv4Bytes, ipv6, mac, macBytes, remembered, rememberedBytes } from './text.js';

type Fields = Record<string, FieldValue>;

export const PROTO_TITLES: Record<ProtoId, string> = {
  frame: 'Frame',
  pktmon: 'PktMon',
  ndis: 'NDIS-PacketCapture',
  sll: 'Linux cooked capture',
  null: 'Loopback',
  eth: 'Ethernet II',
  vlan: '802.1Q VLAN',
  ieee8021ad: '802.1ad S-tag',
  cmd: 'Cisco MetaData',
  ip: 'IPv4',
  ipv6: 'IPv6',
  gre: 'GRE',
  nvgre: 'NVGRE',
  erspan: 'ERSPAN',
  ppp: 'PPP',
  arp: 'ARP',
  icmp: 'ICMP',
  icmpv6: 'ICMPv6',
  tcp: 'TCP',
  udp: 'UDP',
  vxlan: 'VXLAN',
  data: 'Data',
};

const n = (f: Fields, key: string): number => f[key] as number;

/** `IPv4 (0x0800)`, or `type (0x1234)` for a number the table does not name. */
export function ethertypeName(type: number): string {
  return `${ETHERTYPE_NAMES[type] ?? 'type'} (${hex(type, 4)})`;
}

/** What follows a tag: its ethertype, or the 802.3 length an Ethernet frame may have in its place. */
function typeOrLength(f: Fields, type: string, length: string): string {
  return f[length] !== undefined ? `802.3 length ${n(f, length)}` : ethertypeName(n(f, type));
}

/** `4020644 (0x3D59A4)`: a capture has few VSIDs and every frame names one, so each is made once. */
export const vsidText = remembered((vsid) => `${vsid} (${hexUpper(vsid, 6)})`);

/** The 9 TCP flags' names, each combination named when first seen: naming all 512 at start-up cost 3 ms. */
const flagTexts = remembered((flags) =>
  TCP_FLAG_NAMES.filter(([mask]) => flags & mask)
    .map(([, name]) => name)
    .join(', '),
);

export function tcpFlagsText(flags: number): string {
  return flagTexts(flags & 0x1ff);
}

export function arpText(f: Fields): string {
  const op = n(f, 'arp.opcode');
  if (f['arp.src.proto_ipv4'] === undefined) return ARP_OPCODE_NAMES[op] ?? `opcode ${op}`;
  const sender = ipv4(n(f, 'arp.src.proto_ipv4'));
  if (op === 1) return `who-has ${ipv4(n(f, 'arp.dst.proto_ipv4'))} tell ${sender}`;
  if (op === 2) return `${sender} is-at ${mac(n(f, 'arp.src.hw_mac'))}`;
  return `${ARP_OPCODE_NAMES[op] ?? `opcode ${op}`} from ${sender}`;
}

/** How the tree and the summary line word an ICMP message's facts: the text before each number. */
export interface IcmpStyle {
  type: Uint8Array;
  id: Uint8Array;
  seq: Uint8Array;
  code: Uint8Array;
  target: Uint8Array;
}

const TREE_ICMP: IcmpStyle = {
  type: encoded('type '),
  id: encoded(', id '),
  seq: encoded(', seq '),
  code: encoded(', code '),
  target: encoded(' for '),
};

/**
 * An ICMP or ICMPv6 message: its type's name, then the echo id and sequence, or (ICMP) the code,
 * or (ICMPv6 neighbour discovery) the target address.
 */
export function writeIcmp(f: Fields, style: IcmpStyle, out: TextSink): void {
  const v6 = f['icmpv6.type'] !== undefined;
  const type = n(f, v6 ? 'icmpv6.type' : 'icmp.type');
  const name = (v6 ? ICMPV6_TYPE_NAMES : ICMP_TYPE_NAMES)[type];
  if (name !== undefined) out.str(name);
  else {
    out.bytes(style.type);
    out.num(type);
  }
  const id = f[v6 ? 'icmpv6.echo.identifier' : 'icmp.ident'];
  if (id !== undefined) {
    out.bytes(style.id);
    out.num(id as number);
    out.bytes(style.seq);
    out.num(n(f, v6 ? 'icmpv6.echo.sequence_number' : 'icmp.seq'));
  } else if (!v6) {
    out.bytes(style.code);
    out.num(n(f, 'icmp.code'));
  }
  const target = v6 ? (f['icmpv6.nd.ns.target_address'] ?? f['icmpv6.nd.na.target_address']) : undefined;
  if (target !== undefined) {
    out.bytes(style.target);
    out.str(ipv6(target as Uint8Array));
  }
}

export function erspanText(f: Fields): string {
  if (f['erspan.version'] === undefined) return 'type I (no header)';
  return `type ${n(f, 'erspan.version') + 1}, session ${n(f, 'erspan.spanid')}`;
}

const a6 = (f: Fields, key: string): string => ipv6(f[key] as Uint8Array);

const ARROW = encoded(' -> ');
const COMMA = encoded(', ');

/** `a -> b` from two texts that recur (addresses), as bytes made once. */
function pair(out: TextSink, a: Uint8Array, b: Uint8Array): void {
  out.bytes(a);
  out.bytes(ARROW);
  out.bytes(b);
}

const ethertypeBytes = rememberedBytes(ethertypeName);
export const vsidBytes = rememberedBytes(vsidText);

/** `IPv4: ` and the like, encoded once per protocol. */
const TITLES = new Map(Object.entries(PROTO_TITLES).map(([proto, title]) => [proto, encoded(`${title}: `)]));

/**
 * Each protocol's one-line description, written into the sink: this runs for every layer of every
 * frame, so the common protocols write their pieces directly instead of building a string.
 */
const DESCRIBE: Record<ProtoId, (f: Fields, out: TextSink) => void> = {
  frame: () => {},
  // Names from the trace are untrusted text: the tree escapes them in the fields below, so the
  // one-line description keeps to numbers.
  pktmon: (f, out) => {
    if (f['pktmon.dropped'] !== undefined) out.str('dropped at ');
    if (f['pktmon.component_id'] === undefined) {
      // A converted pcapng: the interface standing for the component, no appearance.
      out.str('interface ');
      out.num(n(f, 'pktmon.interface_id'));
      out.str(`, PktGroupId ${f['pktmon.pkt_group_id']}`);
      return;
    }
    out.str('component ');
    out.num(n(f, 'pktmon.component_id'));
    out.str(', appearance ');
    out.num(n(f, 'pktmon.appearance'));
    out.str(` of PktGroupId ${f['pktmon.pkt_group_id']}`);
  },
  ndis: (f, out) => {
    const dir = f['ndis.direction'];
    out.str(dir === NDIS_SEND ? 'sent on interface ' : dir === NDIS_RECEIVE ? 'received on interface ' : 'interface ');
    out.num(n(f, 'ndis.lower_if_index'));
    if (f['ndis.port_id'] === undefined) return;
    out.str(', vSwitch port ');
    out.num(n(f, 'ndis.port_id'));
  },
  sll: (f, out) => out.str((f['sll.src.eth'] !== undefined ? `from ${mac(n(f, 'sll.src.eth'))}, ` : '') + ethertypeName(n(f, 'sll.etype'))),
  null: (f, out) => out.str(`family ${n(f, 'null.family')}`),
  eth: (f, out) => {
    pair(out, macBytes(n(f, 'eth.src')), macBytes(n(f, 'eth.dst')));
    out.bytes(COMMA);
    if (f['eth.type'] !== undefined) out.bytes(ethertypeBytes(n(f, 'eth.type')));
    else out.str(typeOrLength(f, 'eth.type', 'eth.len'));
  },
  vlan: (f, out) => out.str(`ID ${n(f, 'vlan.id')}, PCP ${n(f, 'vlan.priority')}, ${typeOrLength(f, 'vlan.etype', 'vlan.len')}`),
  ieee8021ad: (f, out) =>
    out.str(`ID ${n(f, 'ieee8021ad.id')}, PCP ${n(f, 'ieee8021ad.priority')}, ${ethertypeName(n(f, 'ieee8021ad.etype'))}`),
  cmd: (f, out) => out.str(`SGT ${n(f, 'cmd.sgt')}, ${ethertypeName(n(f, 'cmd.type'))}`),
  ip: (f, out) => {
    pair(out, ipv4Bytes(n(f, 'ip.src')), ipv4Bytes(n(f, 'ip.dst')));
    out.bytes(protoBytes(n(f, 'ip.proto')));
  },
  ipv6: (f, out) => {
    out.str(`${a6(f, 'ipv6.src')} -> ${a6(f, 'ipv6.dst')}`);
    // After extension headers, the protocol that matters is the upper layer's.
    out.bytes(protoBytes(upperProtocol(f)));
  },
  gre: (f, out) => {
    out.str('flags ');
    out.hex(n(f, 'gre.flags_and_version'), 4);
    if (f['gre.key'] !== undefined) {
      out.str(', key ');
      out.hex(n(f, 'gre.key'), 8);
    }
    out.bytes(COMMA);
    out.bytes(ethertypeBytes(n(f, 'gre.proto')));
  },
  nvgre: (f, out) => {
    out.str('VSID ');
    out.bytes(vsidBytes(n(f, 'nvgre.vsid')));
    out.str(', FlowID ');
    out.num(n(f, 'nvgre.flow_id'));
  },
  erspan: (f, out) => out.str(erspanText(f)),
  ppp: (f, out) => out.str(`${PPP_PROTOCOL_NAMES[n(f, 'ppp.protocol')] ?? 'protocol'} (${hex(n(f, 'ppp.protocol'), 4)})`),
  arp: (f, out) => out.str(arpText(f)),
  icmp: (f, out) => writeIcmp(f, TREE_ICMP, out),
  icmpv6: (f, out) => writeIcmp(f, TREE_ICMP, out),
  tcp: (f, out) => {
    out.num(n(f, 'tcp.srcport'));
    out.bytes(ARROW);
    out.num(n(f, 'tcp.dstport'));
    out.str(' [');
    out.str(tcpFlagsText(n(f, 'tcp.flags')));
    out.str('] seq ');
    out.num(n(f, 'tcp.seq_raw'));
    out.str(' ack ');
    out.num(n(f, 'tcp.ack_raw'));
    out.str(' win ');
    out.num(n(f, 'tcp.window_size_value'));
    if (f['tcp.len'] !== undefined) {
      out.str(' len ');
      out.num(n(f, 'tcp.len'));
    }
  },
  udp: (f, out) => {
    out.num(n(f, 'udp.srcport'));
    out.bytes(ARROW);
    out.num(n(f, 'udp.dstport'));
    out.str(', length ');
    out.num(n(f, 'udp.length'));
  },
  vxlan: (f, out) => {
    out.str('VNI ');
    out.bytes(vsidBytes(n(f, 'vxlan.vni')));
  },
  data: (f, out) => {
    out.num(n(f, 'data.len'));
    out.str(' bytes');
  },
};

/** `, GRE (47)`: the IP protocol an IP header carries. */
const protoBytes = rememberedBytes((proto) => `, ${IP_PROTO_NAMES[proto] ?? 'protocol'} (${proto})`);

/** The VM names a policy gives a tenant IP header's source and destination, shown after each address (escaped). */
export type VmNames = readonly [string | undefined, string | undefined];

const vmSuffix = (vm: string | undefined): string => (vm === undefined ? '' : ` (VM ${vm})`);

/** `10.1.0.2 (VM red-1) -> 10.2.0.2 (VM red-2), ICMP (1)`: a tenant's IP header with its VMs' names. */
function writeNamedIp(f: Fields, v4: boolean, vms: VmNames, out: TextSink): void {
  const src = v4 ? ipv4(n(f, 'ip.src')) : a6(f, 'ipv6.src');
  const dst = v4 ? ipv4(n(f, 'ip.dst')) : a6(f, 'ipv6.dst');
  out.str(`${src}${vmSuffix(vms[0])} -> ${dst}${vmSuffix(vms[1])}`);
  out.bytes(protoBytes(v4 ? n(f, 'ip.proto') : upperProtocol(f)));
}

/**
 * The layer's one-line summary, written into `out`: `IPv4: 172.16.0.2 -> 172.16.0.3, GRE (47)`;
 * with `vms` (an IP layer a policy names), each address followed by its VM.
 */
export function writeDescription(layer: Layer, out: TextSink, vms?: VmNames): void {
  out.bytes(TITLES.get(layer.proto)!);
  // A header cut short has nothing to summarise but its size (its few fields are listed below it).
  if (layer.cut) {
    out.num(layer.length);
    out.str(' bytes, incomplete');
  } else if (vms !== undefined && (layer.proto === 'ip' || layer.proto === 'ipv6')) writeNamedIp(layer.fields, layer.proto === 'ip', vms, out);
  else DESCRIBE[layer.proto](layer.fields, out);
  if (layer.learntFrom !== 0) {
    out.str(' (from the first fragment, frame ');
    out.num(layer.learntFrom);
    out.byte(0x29);
  }
}

/** The layer's one-line summary as text. */
export const describeLayer = (layer: Layer, vms?: VmNames): string => textOf((out) => writeDescription(layer, out, vms));
