import { type Frame, LINKTYPE_NOT_A_PACKET } from '../capture/frame.js';
import { BINDINGS } from './bindings.js';
import { type Decoder, Dissection, type Packet, type TableId } from './packet.js';
import { addData } from './protocols/data.js';
import { addEtwLayer } from './protocols/etw.js';
import type { FragmentState } from './reassembly.js';

/**
 * The bindings as arrays indexed by key (all keys are below 2^16): a lookup per hop is an index,
 * where a Map lookup cost about 15 ns, eight times a frame.
 */
const DENSE = Object.fromEntries(
  Object.entries(BINDINGS).map(([table, bound]) => {
    const byKey = new Array<Decoder | undefined>(Math.max(0, ...bound.keys()) + 1).fill(undefined);
    for (const [key, decoder] of bound) byKey[key] = decoder;
    return [table, byKey];
  }),
) as Record<TableId, (Decoder | undefined)[]>;

/** A pending first fragment's NVGRE header (the first one inside it), lent to its later fragments. */
function learnTenant(p: Dissection, reassembly: FragmentState): void {
  for (let i = p.learnAfter; i < p.layers.length; i++) {
    const l = p.layers[i];
    if (l.proto === 'nvgre') return reassembly.learn(p.learnKey!, l.fields);
  }
}

/** Tunnels inside tunnels beyond this are shown as data: real overlays nest two or three deep. */
export const MAX_TUNNEL_DEPTH = 8;

/**
 * Decodes one frame: starts at its link type and follows the bindings until a decoder names no
 * next protocol. `p` is reused across frames, and so is the Packet returned (p.packet), which
 * holds views into the frame: valid until the next call with the same `p`.
 * When `p.rejects` stops it early, the packet is incomplete and `p.rejected` is set.
 */
export function dissect(frame: Frame, p: Dissection = new Dissection()): Packet {
  p.reset();
  p.frameNumber = frame.number;
  p.time = frame.tsSec + frame.tsNsec / 1e9;
  let d = frame.data;
  if (frame.caplen < frame.origLen) {
    p.incomplete = true;
    p.warn(null, 'frame.truncated', `${frame.caplen} of ${frame.origLen} bytes captured (snaplen)`);
  }
  // An ETW trace's frames only: for every other format this is the one check it costs.
  if (frame.etw !== undefined) addEtwLayer(frame.etw, p);
  p.next('linktype', frame.linktype, 0, frame.caplen);
  while (p.nextTable !== null) {
    const table = p.nextTable;
    const off = p.nextOffset;
    const end = p.nextEnd;
    p.nextTable = null;
    if (p.nextData !== null) {
      d = p.reassembled = p.nextData;
      p.nextData = null;
    }
    if (p.nextTunnel) {
      if (p.depth >= MAX_TUNNEL_DEPTH) {
        p.warn(null, 'dissect.depth_exceeded', `more than ${MAX_TUNNEL_DEPTH} nested tunnels`);
        addData(d, off, end, p);
        break;
      }
      p.depth++;
    }
    const bound = DENSE[table];
    const decoder = bound[p.nextKey] ?? (p.nextAltKey >= 0 ? bound[p.nextAltKey] : undefined);
    if (decoder === undefined) {
      if (table === 'linktype' && p.nextKey !== LINKTYPE_NOT_A_PACKET) p.warn(null, 'link.unknown', `link type ${p.nextKey} is not decoded`);
      addData(d, off, end, p);
      break;
    }
    decoder(d, off, end, p);
    if (p.rejects?.(p.layers) === true) {
      p.rejected = true;
      break;
    }
  }
  if (p.reassembly !== null) {
    if (p.learnKey !== null) learnTenant(p, p.reassembly);
    for (const why of p.reassembly.takeDropped()) p.warn(null, 'ip.reassembly_dropped', why);
  }
  const pkt = p.packet;
  pkt.frame = frame;
  pkt.frameWarnings = p.frameWarnings;
  pkt.reassembled = p.reassembled;
  return pkt;
}
