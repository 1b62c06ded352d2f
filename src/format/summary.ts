import { type FieldId, type Fields, fieldId } from '../decode/field-store.js';
import type { Layer, Packet } from '../decode/packet.js';
import type { Warning } from '../decode/warnings.js';
import { arpText, erspanText, ethertypeName, type IcmpStyle, tcpFlagsText, vsidBytes, writeIcmp } from './describe.js';
import { type Clock, ISO_CLOCK } from './clock.js';
import { makePalette, type Palette } from './palette.js';
import { NDIS_SEND } from '../decode/protocols/etw.js';
import { encoded, type TextSink, textOf } from './sink.js';
import { escapeControls, hex, ipv4Bytes, ipv6, mac, rememberedBytes } from './text.js';

const PKTMON_DROPPED = fieldId('pktmon.dropped');
const NDIS_PORT_ID = fieldId('ndis.port_id');
const ETH_TYPE = fieldId('eth.type');
const GRE_KEY = fieldId('gre.key');
const PKTMON_COMPONENT_ID = fieldId('pktmon.component_id');
const PKTMON_DROP_REASON = fieldId('pktmon.drop_reason');
const NDIS_VLAN = fieldId('ndis.vlan');
const PKTMON_PKT_GROUP_ID = fieldId('pktmon.pkt_group_id');
const NDIS_DIRECTION = fieldId('ndis.direction');
const IP_FRAGMENT = fieldId('ip.fragment');
const IP_FRAGMENT_FIRST_FRAME = fieldId('ip.fragment.first_frame');
const IPV6_FRAGMENT = fieldId('ipv6.fragment');
const IPV6_FRAGMENT_FIRST_FRAME = fieldId('ipv6.fragment.first_frame');
const IPV6_SRC = fieldId('ipv6.src');
const IPV6_DST = fieldId('ipv6.dst');
const PKTMON_INTERFACE_ID = fieldId('pktmon.interface_id');
const PKTMON_APPEARANCE = fieldId('pktmon.appearance');
const NDIS_LOWER_IF_INDEX = fieldId('ndis.lower_if_index');
const ETH_SRC = fieldId('eth.src');
const ETH_DST = fieldId('eth.dst');
const VLAN_ID = fieldId('vlan.id');
const IEEE8021AD_ID = fieldId('ieee8021ad.id');
const IP_SRC = fieldId('ip.src');
const IP_DST = fieldId('ip.dst');
const SLL_ETYPE = fieldId('sll.etype');
const GRE_PROTO = fieldId('gre.proto');
const NVGRE_VSID = fieldId('nvgre.vsid');
const NVGRE_FLOW_ID = fieldId('nvgre.flow_id');
const CMD_SGT = fieldId('cmd.sgt');
const VXLAN_VNI = fieldId('vxlan.vni');
const TCP_SRCPORT = fieldId('tcp.srcport');
const TCP_DSTPORT = fieldId('tcp.dstport');
const TCP_FLAGS = fieldId('tcp.flags');
const TCP_SEQ_RAW = fieldId('tcp.seq_raw');
const TCP_ACK_RAW = fieldId('tcp.ack_raw');
const UDP_SRCPORT = fieldId('udp.srcport');
const UDP_DSTPORT = fieldId('udp.dstport');
const DATA_LEN = fieldId('data.len');

const POLICY_NAMES = ['nvgre.rdid', 'nvgre.vm_src', 'nvgre.vm_dst'];
const POLICY_IDS = POLICY_NAMES.map(fieldId);
const POLICY_LABELS = POLICY_NAMES.map((key) => encoded(` ${key.slice(6)}=`));

/** `id=1 seq=1`: key=value words, as the rest of the line has them. */
const SUMMARY_ICMP: IcmpStyle = {
  type: encoded('type='),
  id: encoded(' id='),
  seq: encoded(' seq='),
  code: encoded(' code='),
  target: encoded(' target='),
};

const hasNext = (layers: Layer[], i: number): boolean => layers[i + 1] !== undefined;

/** The layer after `i` at the same tunnel depth, if any. */
function nextAtDepth(layers: Layer[], i: number): Layer | undefined {
  const next = layers[i + 1];
  return next !== undefined && next.depth === layers[i].depth ? next : undefined;
}

const SPACE = 0x20;
/** The words every TCP or UDP line repeats, encoded once: copying bytes costs about half of encoding a string. */
const ARROW = encoded(' -> ');
const TCP_WORD = encoded(' TCP ');
const UDP_WORD = encoded(' UDP ');
const OPEN_FLAGS = encoded(' [');
const SEQ_WORD = encoded('] seq=');
const ACK_WORD = encoded(' ack=');
const VSID_WORD = encoded(' vsid=');
const FLOW_WORD = encoded(' flow=');
const DATA_WORD = encoded(' data=');
const LEN_WORD = encoded(' len=');
const tcpFlagsBytes = rememberedBytes(tcpFlagsText);

/** IPv4 or IPv6 straight in IP (protocol 4 or 41) has no tunnel header to name it: `4in6`, as GRE and VXLAN are named. */
const IP_IN_IP: Record<string, Uint8Array> = {
  'ip/ip': encoded(' 4in4'),
  'ip/ipv6': encoded(' 6in4'),
  'ipv6/ip': encoded(' 4in6'),
  'ipv6/ipv6': encoded(' 6in6'),
};

function writeIpInIp(layers: Layer[], i: number, out: TextSink): void {
  const next = layers[i + 1];
  if (next === undefined || next.depth === layers[i].depth || (next.proto !== 'ip' && next.proto !== 'ipv6')) return;
  out.bytes(IP_IN_IP[`${layers[i].proto}/${next.proto}`]);
}

/**
 * Which datagram a fragment belongs to: `fragment-of=#153` on a later piece, where its first
 * fragment is; `fragments=#153,#154,#155` on the piece that completed it.
 */
function writeDatagram(f: Fields, list: FieldId, firstFrame: FieldId, out: TextSink): void {
  const frames = f.get(list) as readonly number[] | undefined;
  if (frames !== undefined) out.str(` fragments=${frames.map((x) => `#${x}`).join(',')}`);
  else {
    const first = f.num(firstFrame);
    if (first === undefined) return;
    out.str(' fragment-of=#');
    out.num(first);
  }
}

/*
 * The common layers' words, each in a function of its own: inside writeWords' switch the
 * compiler ran out of its inlining budget and called the field reads and byte copies instead.
 */
function writeIpv4(f: Fields, out: TextSink): void {
  out.byte(SPACE);
  out.bytes(ipv4Bytes(f.num(IP_SRC)!));
  out.bytes(ARROW);
  out.bytes(ipv4Bytes(f.num(IP_DST)!));
  writeDatagram(f, IP_FRAGMENT, IP_FRAGMENT_FIRST_FRAME, out);
}

function writeNvgre(f: Fields, out: TextSink): void {
  out.bytes(VSID_WORD);
  out.bytes(vsidBytes(f.num(NVGRE_VSID)!));
  out.bytes(FLOW_WORD);
  out.num(f.num(NVGRE_FLOW_ID)!);
  // A --policy's names, under their JSON names: `grep -w vm_dst=red-2`.
  for (let k = 0; k < POLICY_IDS.length; k++) {
    const name = f.get(POLICY_IDS[k]);
    if (name === undefined) continue;
    out.bytes(POLICY_LABELS[k]);
    out.str(escapeControls(name as string));
  }
}

function writeTcp(f: Fields, out: TextSink): void {
  out.bytes(TCP_WORD);
  out.num(f.num(TCP_SRCPORT)!);
  out.bytes(ARROW);
  out.num(f.num(TCP_DSTPORT)!);
  out.bytes(OPEN_FLAGS);
  out.bytes(tcpFlagsBytes(f.num(TCP_FLAGS)!));
  out.bytes(SEQ_WORD);
  out.num(f.num(TCP_SEQ_RAW)!);
  out.bytes(ACK_WORD);
  out.num(f.num(TCP_ACK_RAW)!);
}

function writeUdp(f: Fields, out: TextSink): void {
  out.bytes(UDP_WORD);
  out.num(f.num(UDP_SRCPORT)!);
  out.bytes(ARROW);
  out.num(f.num(UDP_DSTPORT)!);
}

/** Writes ` ` and the words one layer adds to the line; nothing when it adds nothing a reader of one line needs. */
function writeWords(layers: Layer[], i: number, out: TextSink): void {
  const { proto, fields: f, cut } = layers[i];
  if (cut) return out.str(` ${proto}(incomplete)`);
  // The common protocols first: a string switch compares the cases in order, on every layer.
  switch (proto) {
    case 'eth': {
      // Addresses are said by the IP layer when there is one; MACs only for what has none (ARP, ...).
      const next = nextAtDepth(layers, i);
      if (next?.proto === 'ip' || next?.proto === 'ipv6' || next?.proto === 'vlan' || next?.proto === 'ieee8021ad') return;
      const type = f.has(ETH_TYPE) && next === undefined ? ` ${ethertypeName(f.num(ETH_TYPE)!)}` : '';
      return out.str(` ${mac(f.num(ETH_SRC)!)} -> ${mac(f.num(ETH_DST)!)}${type}`);
    }
    case 'ip':
      writeIpv4(f, out);
      return writeIpInIp(layers, i, out);
    case 'gre': {
      // NVGRE says it all in the next layer; other GRE names its key and payload type.
      if (layers[i + 1]?.proto === 'nvgre') return;
      const key = f.has(GRE_KEY) ? ` key=${hex(f.num(GRE_KEY)!, 8)}` : '';
      return out.str(` GRE${key} proto=${hex(f.num(GRE_PROTO)!, 4)}`);
    }
    case 'nvgre':
      return writeNvgre(f, out);
    case 'tcp':
      return writeTcp(f, out);
    case 'udp':
      return writeUdp(f, out);
    case 'data':
      out.bytes(DATA_WORD);
      return out.num(f.num(DATA_LEN)!);
    case 'vlan':
      out.str(' vlan=');
      return out.num(f.num(VLAN_ID)!);
    case 'icmp':
      out.str(' ICMP ');
      return writeIcmp(f, SUMMARY_ICMP, out);
    case 'arp':
      return out.str(` ARP ${arpText(f)}`);
    case 'pktmon':
      // `pkt=562949953421313/2 comp=31 drop=26`: the packet, its appearance, where, and a drop's
      // reason; from a converted pcapng `pkt=562949953421313 if=2 dropped`, all it keeps.
      out.str(' pkt=');
      // A number while exact, its digits beyond (etw.ts's groupField).
      const group = f.get(PKTMON_PKT_GROUP_ID);
      if (typeof group === 'number') out.num(group);
      else out.str(group as string);
      if (!f.has(PKTMON_COMPONENT_ID)) {
        out.str(' if=');
        out.num(f.num(PKTMON_INTERFACE_ID)!);
        if (f.has(PKTMON_DROPPED)) out.str(' dropped');
        return;
      }
      out.str('/');
      out.num(f.num(PKTMON_APPEARANCE)!);
      out.str(' comp=');
      out.num(f.num(PKTMON_COMPONENT_ID)!);
      if (!f.has(PKTMON_DROP_REASON)) return;
      out.str(' drop=');
      return out.num(f.num(PKTMON_DROP_REASON)!);
    case 'ndis': {
      // `if=12 send port=3 vlan=7`: the interface, the direction, a vSwitch port and its VLAN.
      out.str(' if=');
      out.num(f.num(NDIS_LOWER_IF_INDEX)!);
      const dir = f.get(NDIS_DIRECTION);
      if (dir !== undefined) out.str(dir === NDIS_SEND ? ' send' : ' receive');
      if (f.has(NDIS_PORT_ID)) {
        out.str(' port=');
        out.num(f.num(NDIS_PORT_ID)!);
      }
      if (!f.has(NDIS_VLAN)) return;
      out.str(' vlan=');
      return out.num(f.num(NDIS_VLAN)!);
    }
    case 'ieee8021ad':
      out.str(' svlan=');
      return out.num(f.num(IEEE8021AD_ID)!);
    case 'ipv6':
      out.str(` ${ipv6(f.get(IPV6_SRC) as Uint8Array)} -> ${ipv6(f.get(IPV6_DST) as Uint8Array)}`);
      writeDatagram(f, IPV6_FRAGMENT, IPV6_FRAGMENT_FIRST_FRAME, out);
      return writeIpInIp(layers, i, out);
    case 'sll':
      // Cooked captures have no destination MAC: the source says which host a frame came from.
      if (!hasNext(layers, i)) out.str(` sll ${ethertypeName(f.num(SLL_ETYPE)!)}`);
      return;
    case 'cmd':
      out.str(' sgt=');
      return out.num(f.num(CMD_SGT)!);
    case 'vxlan':
      out.str(' vni=');
      return out.bytes(vsidBytes(f.num(VXLAN_VNI)!));
    case 'erspan':
      return out.str(` ERSPAN ${erspanText(f)}`);
    case 'icmpv6':
      out.str(' ICMPv6 ');
      return writeIcmp(f, SUMMARY_ICMP, out);
  }
}

/**
 * Which layer of its protocol a warning's layer is, counted from the outside as Wireshark's layer
 * operator counts (`ip.src#2`); 0 when the packet has only one layer of that protocol.
 */
function layerNumber(layers: Layer[], i: number): number {
  const proto = layers[i].proto;
  let before = 0;
  let total = 0;
  for (let j = 0; j < layers.length; j++) {
    if (layers[j].proto !== proto) continue;
    total++;
    if (j < i) before++;
  }
  return total > 1 ? before + 1 : 0;
}

/** ` !ip.checksum_bad#2`: the code, its layer when the protocol repeats, coloured by severity when colour is on. */
function writeWarning(w: Warning, layer: number, c: Palette, out: TextSink): void {
  out.byte(SPACE);
  if (!c.plain) return out.str(c.severity(w.severity, layer > 0 ? `!${w.code}#${layer}` : `!${w.code}`));
  out.byte(0x21);
  out.str(w.code);
  if (layer === 0) return;
  out.byte(0x23);
  out.num(layer);
}

/** Every warning, the frame's first, then outermost layer first (as JSON lists them). */
function writeWarnings(pkt: Packet, c: Palette, out: TextSink): void {
  if (pkt.frameWarnings !== null) for (const w of pkt.frameWarnings) writeWarning(w, 0, c, out);
  const layers = pkt.layers;
  for (let i = 0; i < layers.length; i++) {
    const ws = layers[i].warnings;
    if (ws === null) continue;
    const number = layerNumber(layers, i);
    for (const w of ws) writeWarning(w, number, c, out);
  }
}

/**
 * One self-contained line per frame, for grep: number, time, outer (PA) addresses, the VSID and
 * FlowID, inner (CA) addresses, the inner protocol's key facts, the length, then `!code` for
 * every warning (`!code#n` when the packet has several layers of the protocol that raised it).
 * The time is in `clock`'s format (-t).
 */
export function writeSummary(pkt: Packet, c: Palette, out: TextSink, clock: Clock = ISO_CLOCK): void {
  const f = pkt.frame;
  out.num(f.number);
  out.byte(SPACE);
  clock.write(out, f);
  const layers = pkt.layers;
  for (let i = 0; i < layers.length; i++) {
    writeWords(layers, i, out);
    // What an ICMP error quotes is detail for the tree and JSON, not a second packet on this line.
    if ((layers[i].proto === 'icmp' || layers[i].proto === 'icmpv6') && layers[i + 1]?.depth !== layers[i].depth) break;
  }
  out.bytes(LEN_WORD);
  out.num(f.origLen);
  writeWarnings(pkt, c, out);
  out.byte(0x0a);
}

const PLAIN = makePalette(0);

/** The summary line of one packet as text. */
export const formatSummary = (pkt: Packet, c: Palette = PLAIN): string => textOf((out) => writeSummary(pkt, c, out));
