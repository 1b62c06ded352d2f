import type { FieldValue } from '../decode/fields.js';
import type { Layer, Packet } from '../decode/packet.js';
import type { Warning } from '../decode/warnings.js';
import { arpText, erspanText, ethertypeName, type IcmpStyle, tcpFlagsText, vsidBytes, writeIcmp } from './describe.js';
import { type Clock, ISO_CLOCK } from './clock.js';
import { makePalette, type Palette } from './palette.js';
import { NDIS_SEND } from '../decode/protocols/etw.js';
import { encoded, type TextSink, textOf } from './sink.js';
import { escapeControls, hex, ipv4Bytes, ipv6, mac } from './text.js';

const n = (f: Record<string, FieldValue>, key: string): number => f[key] as number;

const POLICY_NAMES = ['nvgre.rdid', 'nvgre.vm_src', 'nvgre.vm_dst'];

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
function writeDatagram(f: Record<string, FieldValue>, listKey: string, firstKey: string, out: TextSink): void {
  const frames = f[listKey] as readonly number[] | undefined;
  if (frames !== undefined) out.str(` fragments=${frames.map((x) => `#${x}`).join(',')}`);
  else {
    const first = f[firstKey];
    if (first === undefined) return;
    out.str(' fragment-of=#');
    out.num(first as number);
  }
}

/** Writes ` ` and the words one layer adds to the line; nothing when it adds nothing a reader of one line needs. */
function writeWords(layers: Layer[], i: number, out: TextSink): void {
  const { proto, fields: f, cut } = layers[i];
  if (cut) return out.str(` ${proto}(incomplete)`);
  switch (proto) {
    case 'pktmon':
      // `pkt=562949953421313/2 comp=31 drop=26`: the packet, its appearance, where, and a drop's
      // reason; from a converted pcapng `pkt=562949953421313 if=2 dropped`, all it keeps.
      out.str(' pkt=');
      // A number while exact, its digits beyond (etw.ts's groupField).
      if (typeof f['pktmon.pkt_group_id'] === 'number') out.num(f['pktmon.pkt_group_id']);
      else out.str(f['pktmon.pkt_group_id'] as string);
      if (f['pktmon.component_id'] === undefined) {
        out.str(' if=');
        out.num(n(f, 'pktmon.interface_id'));
        if (f['pktmon.dropped'] !== undefined) out.str(' dropped');
        return;
      }
      out.str('/');
      out.num(n(f, 'pktmon.appearance'));
      out.str(' comp=');
      out.num(n(f, 'pktmon.component_id'));
      if (f['pktmon.drop_reason'] === undefined) return;
      out.str(' drop=');
      return out.num(n(f, 'pktmon.drop_reason'));
    case 'ndis': {
      // `if=12 send port=3 vlan=7`: the interface, the direction, a vSwitch port and its VLAN.
      out.str(' if=');
      out.num(n(f, 'ndis.lower_if_index'));
      const dir = f['ndis.direction'];
      if (dir !== undefined) out.str(dir === NDIS_SEND ? ' send' : ' receive');
      if (f['ndis.port_id'] !== undefined) {
        out.str(' port=');
        out.num(n(f, 'ndis.port_id'));
      }
      if (f['ndis.vlan'] === undefined) return;
      out.str(' vlan=');
      return out.num(n(f, 'ndis.vlan'));
    }
    case 'eth': {
      // Addresses are said by the IP layer when there is one; MACs only for what has none (ARP, ...).
      const next = nextAtDepth(layers, i);
      if (next?.proto === 'ip' || next?.proto === 'ipv6' || next?.proto === 'vlan' || next?.proto === 'ieee8021ad') return;
      const type = f['eth.type'] !== undefined && next === undefined ? ` ${ethertypeName(n(f, 'eth.type'))}` : '';
      return out.str(` ${mac(n(f, 'eth.src'))} -> ${mac(n(f, 'eth.dst'))}${type}`);
    }
    case 'vlan':
      out.str(' vlan=');
      return out.num(n(f, 'vlan.id'));
    case 'ieee8021ad':
      out.str(' svlan=');
      return out.num(n(f, 'ieee8021ad.id'));
    case 'ip':
      out.byte(SPACE);
      out.bytes(ipv4Bytes(n(f, 'ip.src')));
      out.str(' -> ');
      out.bytes(ipv4Bytes(n(f, 'ip.dst')));
      writeDatagram(f, 'ip.fragment', 'ip.fragment.first_frame', out);
      return writeIpInIp(layers, i, out);
    case 'ipv6':
      out.str(` ${ipv6(f['ipv6.src'] as Uint8Array)} -> ${ipv6(f['ipv6.dst'] as Uint8Array)}`);
      writeDatagram(f, 'ipv6.fragment', 'ipv6.fragment.first_frame', out);
      return writeIpInIp(layers, i, out);
    case 'sll':
      // Cooked captures have no destination MAC: the source says which host a frame came from.
      if (!hasNext(layers, i)) out.str(` sll ${ethertypeName(n(f, 'sll.etype'))}`);
      return;
    case 'gre': {
      // NVGRE says it all in the next layer; other GRE names its key and payload type.
      if (layers[i + 1]?.proto === 'nvgre') return;
      const key = f['gre.key'] !== undefined ? ` key=${hex(n(f, 'gre.key'), 8)}` : '';
      return out.str(` GRE${key} proto=${hex(n(f, 'gre.proto'), 4)}`);
    }
    case 'nvgre':
      out.str(' vsid=');
      out.bytes(vsidBytes(n(f, 'nvgre.vsid')));
      out.str(' flow=');
      out.num(n(f, 'nvgre.flow_id'));
      // A --policy's names, under their JSON names: `grep -w vm_dst=red-2`.
      for (const key of POLICY_NAMES) if (f[key] !== undefined) out.str(` ${key.slice(6)}=${escapeControls(f[key] as string)}`);
      return;
    case 'cmd':
      out.str(' sgt=');
      return out.num(n(f, 'cmd.sgt'));
    case 'vxlan':
      out.str(' vni=');
      return out.bytes(vsidBytes(n(f, 'vxlan.vni')));
    case 'erspan':
      return out.str(` ERSPAN ${erspanText(f)}`);
    case 'arp':
      return out.str(` ARP ${arpText(f)}`);
    case 'icmpv6':
      out.str(' ICMPv6 ');
      return writeIcmp(f, SUMMARY_ICMP, out);
    case 'icmp':
      out.str(' ICMP ');
      return writeIcmp(f, SUMMARY_ICMP, out);
    case 'tcp':
      out.str(' TCP ');
      out.num(n(f, 'tcp.srcport'));
      out.str(' -> ');
      out.num(n(f, 'tcp.dstport'));
      out.str(' [');
      out.str(tcpFlagsText(n(f, 'tcp.flags')));
      out.str('] seq=');
      out.num(n(f, 'tcp.seq_raw'));
      out.str(' ack=');
      return out.num(n(f, 'tcp.ack_raw'));
    case 'udp':
      out.str(' UDP ');
      out.num(n(f, 'udp.srcport'));
      out.str(' -> ');
      return out.num(n(f, 'udp.dstport'));
    case 'data':
      out.str(' data=');
      return out.num(n(f, 'data.len'));
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
  out.str(' len=');
  out.num(f.origLen);
  writeWarnings(pkt, c, out);
  out.byte(0x0a);
}

const PLAIN = makePalette(0);

/** The summary line of one packet as text. */
export const formatSummary = (pkt: Packet, c: Palette = PLAIN): string => textOf((out) => writeSummary(pkt, c, out));
