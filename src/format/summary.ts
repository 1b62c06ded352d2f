import type { FieldValue } from '../decode/fields.js';
import type { Layer, Packet } from '../decode/packet.js';
import { arpText, erspanText, ethertypeName, type IcmpStyle, icmpText, tcpFlagsText, vsidText } from './describe.js';
import { packetWarnings } from './json.js';
import { hex, ipv4, ipv6, mac, utcTime } from './text.js';

const n = (f: Record<string, FieldValue>, key: string): number => f[key] as number;

/** `id=1 seq=1`: key=value words, as the rest of the line has them. */
const SUMMARY_ICMP: IcmpStyle = {
  type: (t) => `type=${t}`,
  echo: (id, seq) => ` id=${id} seq=${seq}`,
  code: (c) => ` code=${c}`,
  target: (a) => ` target=${a}`,
};

const hasNext = (layers: Layer[], i: number): boolean => layers[i + 1] !== undefined;

/** The layer after `i` at the same tunnel depth, if any. */
function nextAtDepth(layers: Layer[], i: number): Layer | undefined {
  const next = layers[i + 1];
  return next !== undefined && next.depth === layers[i].depth ? next : undefined;
}

/** The words one layer adds to the line; '' when it adds nothing a reader of one line needs. */
function words(layers: Layer[], i: number): string {
  const { proto, fields: f, cut } = layers[i];
  if (cut) return `${proto}(incomplete)`;
  switch (proto) {
    case 'eth': {
      // Addresses are said by the IP layer when there is one; MACs only for what has none (ARP, ...).
      const next = nextAtDepth(layers, i);
      if (next?.proto === 'ip' || next?.proto === 'ipv6' || next?.proto === 'vlan' || next?.proto === 'ieee8021ad') return '';
      const type = f['eth.type'] !== undefined ? ` ${ethertypeName(n(f, 'eth.type'))}` : '';
      return `${mac(n(f, 'eth.src'))} -> ${mac(n(f, 'eth.dst'))}${next === undefined ? type : ''}`;
    }
    case 'vlan':
      return `vlan=${n(f, 'vlan.id')}`;
    case 'ieee8021ad':
      return `svlan=${n(f, 'ieee8021ad.id')}`;
    case 'ip':
      return `${ipv4(n(f, 'ip.src'))} -> ${ipv4(n(f, 'ip.dst'))}`;
    case 'ipv6':
      return `${ipv6(f['ipv6.src'] as Uint8Array)} -> ${ipv6(f['ipv6.dst'] as Uint8Array)}`;
    case 'sll':
      // Cooked captures have no destination MAC: the source says which host a frame came from.
      return hasNext(layers, i) ? '' : `sll ${ethertypeName(n(f, 'sll.etype'))}`;
    case 'gre': {
      // NVGRE says it all in the next layer; other GRE names its key and payload type.
      if (layers[i + 1]?.proto === 'nvgre') return '';
      const key = f['gre.key'] !== undefined ? ` key=${hex(n(f, 'gre.key'), 8)}` : '';
      return `GRE${key} proto=${hex(n(f, 'gre.proto'), 4)}`;
    }
    case 'nvgre':
      return `vsid=${vsidText(n(f, 'nvgre.vsid'))} flow=${n(f, 'nvgre.flow_id')}`;
    case 'cmd':
      return `sgt=${n(f, 'cmd.sgt')}`;
    case 'vxlan':
      return `vni=${vsidText(n(f, 'vxlan.vni'))}`;
    case 'erspan':
      return `ERSPAN ${erspanText(f)}`;
    case 'arp':
      return `ARP ${arpText(f)}`;
    case 'icmpv6':
      return `ICMPv6 ${icmpText(f, SUMMARY_ICMP)}`;
    case 'icmp':
      return `ICMP ${icmpText(f, SUMMARY_ICMP)}`;
    case 'tcp':
      return (
        `TCP ${n(f, 'tcp.srcport')} -> ${n(f, 'tcp.dstport')} [${tcpFlagsText(n(f, 'tcp.flags'))}]` +
        ` seq=${n(f, 'tcp.seq_raw')} ack=${n(f, 'tcp.ack_raw')}`
      );
    case 'udp':
      return `UDP ${n(f, 'udp.srcport')} -> ${n(f, 'udp.dstport')}`;
    case 'data':
      return `data=${n(f, 'data.len')}`;
    default:
      return '';
  }
}

/**
 * One self-contained line per frame, for grep: number, time, outer (PA) addresses, the VSID and
 * FlowID, inner (CA) addresses, the inner protocol's key facts, the length, then `!code` for
 * every warning.
 */
export function formatSummary(pkt: Packet): string {
  const f = pkt.frame;
  let line = `${f.number} ${utcTime(f.tsSec, f.tsNsec, f.tsDigits)}`;
  const layers = pkt.layers;
  for (let i = 0; i < layers.length; i++) {
    const w = words(layers, i);
    if (w !== '') line += ` ${w}`;
    // What an ICMP error quotes is detail for the tree and JSON, not a second packet on this line.
    if ((layers[i].proto === 'icmp' || layers[i].proto === 'icmpv6') && layers[i + 1]?.depth !== layers[i].depth) break;
  }
  line += ` len=${f.origLen}`;
  for (const { warning } of packetWarnings(pkt)) line += ` !${warning.code}`;
  return `${line}\n`;
}
