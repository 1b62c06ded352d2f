import { type FieldId, type Fields, fieldId } from '../decode/field-store.js';
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

const ICMPV6_TYPE = fieldId('icmpv6.type');
const ICMP_TYPE = fieldId('icmp.type');
const ICMP_IDENT = fieldId('icmp.ident');
const ICMP_SEQ = fieldId('icmp.seq');
const ICMPV6_ECHO_IDENTIFIER = fieldId('icmpv6.echo.identifier');
const ICMPV6_ECHO_SEQUENCE_NUMBER = fieldId('icmpv6.echo.sequence_number');
const PKTMON_DROPPED = fieldId('pktmon.dropped');
const SLL_SRC_ETH = fieldId('sll.src.eth');
const ETH_TYPE = fieldId('eth.type');
const ETH_LEN = fieldId('eth.len');
const VLAN_ETYPE = fieldId('vlan.etype');
const VLAN_LEN = fieldId('vlan.len');
const GRE_KEY = fieldId('gre.key');
const TCP_LEN = fieldId('tcp.len');
const ARP_SRC_PROTO_IPV4 = fieldId('arp.src.proto_ipv4');
const ERSPAN_VERSION = fieldId('erspan.version');
const PKTMON_COMPONENT_ID = fieldId('pktmon.component_id');
const NDIS_PORT_ID = fieldId('ndis.port_id');
const ICMPV6_ND_NS_TARGET_ADDRESS = fieldId('icmpv6.nd.ns.target_address');
const ICMPV6_ND_NA_TARGET_ADDRESS = fieldId('icmpv6.nd.na.target_address');
const PKTMON_PKT_GROUP_ID = fieldId('pktmon.pkt_group_id');
const NDIS_DIRECTION = fieldId('ndis.direction');
const ARP_OPCODE = fieldId('arp.opcode');
const ARP_DST_PROTO_IPV4 = fieldId('arp.dst.proto_ipv4');
const ARP_SRC_HW_MAC = fieldId('arp.src.hw_mac');
const ICMP_CODE = fieldId('icmp.code');
const ERSPAN_SPANID = fieldId('erspan.spanid');
const PKTMON_INTERFACE_ID = fieldId('pktmon.interface_id');
const PKTMON_APPEARANCE = fieldId('pktmon.appearance');
const NDIS_LOWER_IF_INDEX = fieldId('ndis.lower_if_index');
const SLL_ETYPE = fieldId('sll.etype');
const NULL_FAMILY = fieldId('null.family');
const ETH_SRC = fieldId('eth.src');
const ETH_DST = fieldId('eth.dst');
const VLAN_ID = fieldId('vlan.id');
const VLAN_PRIORITY = fieldId('vlan.priority');
const IEEE8021AD_ID = fieldId('ieee8021ad.id');
const IEEE8021AD_PRIORITY = fieldId('ieee8021ad.priority');
const IEEE8021AD_ETYPE = fieldId('ieee8021ad.etype');
const CMD_SGT = fieldId('cmd.sgt');
const CMD_TYPE = fieldId('cmd.type');
const IP_SRC = fieldId('ip.src');
const IP_DST = fieldId('ip.dst');
const IP_PROTO = fieldId('ip.proto');
const IPV6_SRC = fieldId('ipv6.src');
const IPV6_DST = fieldId('ipv6.dst');
const GRE_FLAGS_AND_VERSION = fieldId('gre.flags_and_version');
const GRE_PROTO = fieldId('gre.proto');
const NVGRE_VSID = fieldId('nvgre.vsid');
const NVGRE_FLOW_ID = fieldId('nvgre.flow_id');
const PPP_PROTOCOL = fieldId('ppp.protocol');
const TCP_SRCPORT = fieldId('tcp.srcport');
const TCP_DSTPORT = fieldId('tcp.dstport');
const TCP_FLAGS = fieldId('tcp.flags');
const TCP_SEQ_RAW = fieldId('tcp.seq_raw');
const TCP_ACK_RAW = fieldId('tcp.ack_raw');
const TCP_WINDOW_SIZE_VALUE = fieldId('tcp.window_size_value');
const UDP_SRCPORT = fieldId('udp.srcport');
const UDP_DSTPORT = fieldId('udp.dstport');
const UDP_LENGTH = fieldId('udp.length');
const VXLAN_VNI = fieldId('vxlan.vni');
const DATA_LEN = fieldId('data.len');


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

const n = (f: Fields, id: FieldId): number => f.num(id)!;

/** `IPv4 (0x0800)`, or `type (0x1234)` for a number the table does not name. */
export function ethertypeName(type: number): string {
  return `${ETHERTYPE_NAMES[type] ?? 'type'} (${hex(type, 4)})`;
}

/** What follows a tag: its ethertype, or the 802.3 length an Ethernet frame may have in its place. */
function typeOrLength(f: Fields, type: FieldId, length: FieldId): string {
  return f.has(length) ? `802.3 length ${n(f, length)}` : ethertypeName(n(f, type));
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
  const op = n(f, ARP_OPCODE);
  if (!f.has(ARP_SRC_PROTO_IPV4)) return ARP_OPCODE_NAMES[op] ?? `opcode ${op}`;
  const sender = ipv4(n(f, ARP_SRC_PROTO_IPV4));
  if (op === 1) return `who-has ${ipv4(n(f, ARP_DST_PROTO_IPV4))} tell ${sender}`;
  if (op === 2) return `${sender} is-at ${mac(n(f, ARP_SRC_HW_MAC))}`;
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
  const v6 = f.has(ICMPV6_TYPE);
  const type = n(f, v6 ? ICMPV6_TYPE : ICMP_TYPE);
  const name = (v6 ? ICMPV6_TYPE_NAMES : ICMP_TYPE_NAMES)[type];
  if (name !== undefined) out.str(name);
  else {
    out.bytes(style.type);
    out.num(type);
  }
  const id = f.num(v6 ? ICMPV6_ECHO_IDENTIFIER : ICMP_IDENT);
  if (id !== undefined) {
    out.bytes(style.id);
    out.num(id);
    out.bytes(style.seq);
    out.num(n(f, v6 ? ICMPV6_ECHO_SEQUENCE_NUMBER : ICMP_SEQ));
  } else if (!v6) {
    out.bytes(style.code);
    out.num(n(f, ICMP_CODE));
  }
  const target = v6 ? (f.get(ICMPV6_ND_NS_TARGET_ADDRESS) ?? f.get(ICMPV6_ND_NA_TARGET_ADDRESS)) : undefined;
  if (target !== undefined) {
    out.bytes(style.target);
    out.str(ipv6(target as Uint8Array));
  }
}

export function erspanText(f: Fields): string {
  if (!f.has(ERSPAN_VERSION)) return 'type I (no header)';
  return `type ${n(f, ERSPAN_VERSION) + 1}, session ${n(f, ERSPAN_SPANID)}`;
}

const a6 = (f: Fields, id: FieldId): string => ipv6(f.get(id) as Uint8Array);

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
    if (f.has(PKTMON_DROPPED)) out.str('dropped at ');
    if (!f.has(PKTMON_COMPONENT_ID)) {
      // A converted pcapng: the interface standing for the component, no appearance.
      out.str('interface ');
      out.num(n(f, PKTMON_INTERFACE_ID));
      out.str(`, PktGroupId ${f.get(PKTMON_PKT_GROUP_ID)}`);
      return;
    }
    out.str('component ');
    out.num(n(f, PKTMON_COMPONENT_ID));
    out.str(', appearance ');
    out.num(n(f, PKTMON_APPEARANCE));
    out.str(` of PktGroupId ${f.get(PKTMON_PKT_GROUP_ID)}`);
  },
  ndis: (f, out) => {
    const dir = f.get(NDIS_DIRECTION);
    out.str(dir === NDIS_SEND ? 'sent on interface ' : dir === NDIS_RECEIVE ? 'received on interface ' : 'interface ');
    out.num(n(f, NDIS_LOWER_IF_INDEX));
    if (!f.has(NDIS_PORT_ID)) return;
    out.str(', vSwitch port ');
    out.num(n(f, NDIS_PORT_ID));
  },
  sll: (f, out) => out.str((f.has(SLL_SRC_ETH) ? `from ${mac(n(f, SLL_SRC_ETH))}, ` : '') + ethertypeName(n(f, SLL_ETYPE))),
  null: (f, out) => out.str(`family ${n(f, NULL_FAMILY)}`),
  eth: (f, out) => {
    pair(out, macBytes(n(f, ETH_SRC)), macBytes(n(f, ETH_DST)));
    out.bytes(COMMA);
    if (f.has(ETH_TYPE)) out.bytes(ethertypeBytes(n(f, ETH_TYPE)));
    else out.str(typeOrLength(f, ETH_TYPE, ETH_LEN));
  },
  vlan: (f, out) => out.str(`ID ${n(f, VLAN_ID)}, PCP ${n(f, VLAN_PRIORITY)}, ${typeOrLength(f, VLAN_ETYPE, VLAN_LEN)}`),
  ieee8021ad: (f, out) =>
    out.str(`ID ${n(f, IEEE8021AD_ID)}, PCP ${n(f, IEEE8021AD_PRIORITY)}, ${ethertypeName(n(f, IEEE8021AD_ETYPE))}`),
  cmd: (f, out) => out.str(`SGT ${n(f, CMD_SGT)}, ${ethertypeName(n(f, CMD_TYPE))}`),
  ip: (f, out) => {
    pair(out, ipv4Bytes(n(f, IP_SRC)), ipv4Bytes(n(f, IP_DST)));
    out.bytes(protoBytes(n(f, IP_PROTO)));
  },
  ipv6: (f, out) => {
    out.str(`${a6(f, IPV6_SRC)} -> ${a6(f, IPV6_DST)}`);
    // After extension headers, the protocol that matters is the upper layer's.
    out.bytes(protoBytes(upperProtocol(f)));
  },
  gre: (f, out) => {
    out.str('flags ');
    out.hex(n(f, GRE_FLAGS_AND_VERSION), 4);
    if (f.has(GRE_KEY)) {
      out.str(', key ');
      out.hex(n(f, GRE_KEY), 8);
    }
    out.bytes(COMMA);
    out.bytes(ethertypeBytes(n(f, GRE_PROTO)));
  },
  nvgre: (f, out) => {
    out.str('VSID ');
    out.bytes(vsidBytes(n(f, NVGRE_VSID)));
    out.str(', FlowID ');
    out.num(n(f, NVGRE_FLOW_ID));
  },
  erspan: (f, out) => out.str(erspanText(f)),
  ppp: (f, out) => out.str(`${PPP_PROTOCOL_NAMES[n(f, PPP_PROTOCOL)] ?? 'protocol'} (${hex(n(f, PPP_PROTOCOL), 4)})`),
  arp: (f, out) => out.str(arpText(f)),
  icmp: (f, out) => writeIcmp(f, TREE_ICMP, out),
  icmpv6: (f, out) => writeIcmp(f, TREE_ICMP, out),
  tcp: (f, out) => {
    out.num(n(f, TCP_SRCPORT));
    out.bytes(ARROW);
    out.num(n(f, TCP_DSTPORT));
    out.str(' [');
    out.str(tcpFlagsText(n(f, TCP_FLAGS)));
    out.str('] seq ');
    out.num(n(f, TCP_SEQ_RAW));
    out.str(' ack ');
    out.num(n(f, TCP_ACK_RAW));
    out.str(' win ');
    out.num(n(f, TCP_WINDOW_SIZE_VALUE));
    if (f.has(TCP_LEN)) {
      out.str(' len ');
      out.num(n(f, TCP_LEN));
    }
  },
  udp: (f, out) => {
    out.num(n(f, UDP_SRCPORT));
    out.bytes(ARROW);
    out.num(n(f, UDP_DSTPORT));
    out.str(', length ');
    out.num(n(f, UDP_LENGTH));
  },
  vxlan: (f, out) => {
    out.str('VNI ');
    out.bytes(vsidBytes(n(f, VXLAN_VNI)));
  },
  data: (f, out) => {
    out.num(n(f, DATA_LEN));
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
  const src = v4 ? ipv4(n(f, IP_SRC)) : a6(f, IPV6_SRC);
  const dst = v4 ? ipv4(n(f, IP_DST)) : a6(f, IPV6_DST);
  out.str(`${src}${vmSuffix(vms[0])} -> ${dst}${vmSuffix(vms[1])}`);
  out.bytes(protoBytes(v4 ? n(f, IP_PROTO) : upperProtocol(f)));
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
