import type { Packet } from '../decode/packet.js';
import { type AddressKey, endpoint, firstAfter, isIp, lastBefore } from './address.js';
import { type Instant, instantOf } from './instant.js';

export interface VsidStats {
  vsid: number;
  frames: number;
  bytes: number;
  flowIds: Set<number>;
  /** Outer (provider) address pairs: source -> destinations. */
  paPairs: Map<AddressKey, Set<AddressKey>>;
  /** Inner addresses (source and destination), IPv4 or IPv6. */
  caAddresses: Set<AddressKey>;
  first: Instant;
  last: Instant;
  warnings: number;
}

export interface Totals {
  framesRead: number;
  framesShown: number;
  nvgreFrames: number;
  otherFrames: number;
  warnings: number;
}

function warningCount(pkt: Packet): number {
  let n = pkt.frameWarnings?.length ?? 0;
  for (const l of pkt.layers) n += l.warnings?.length ?? 0;
  return n;
}

/** Per-VSID traffic counts over the frames shown; fed Packets, never bytes. */
export class Stats {
  readonly byVsid = new Map<number, VsidStats>();
  readonly totals: Totals = { framesRead: 0, framesShown: 0, nvgreFrames: 0, otherFrames: 0, warnings: 0 };

  add(pkt: Packet): void {
    const t = this.totals;
    const warnings = warningCount(pkt);
    t.framesShown++;
    t.warnings += warnings;
    const layers = pkt.layers;
    let nv = 0;
    while (nv < layers.length && layers[nv].proto !== 'nvgre') nv++;
    if (nv === layers.length) {
      t.otherFrames++;
      return;
    }
    t.nvgreFrames++;
    const f = pkt.frame;
    const fields = layers[nv].fields;
    const vsid = fields['nvgre.vsid'] as number;
    let s = this.byVsid.get(vsid);
    if (s === undefined) {
      const now = instantOf(f);
      s = { vsid, frames: 0, bytes: 0, flowIds: new Set(), paPairs: new Map(), caAddresses: new Set(), first: now, last: { ...now }, warnings: 0 };
      this.byVsid.set(vsid, s);
    }
    s.frames++;
    s.bytes += f.origLen;
    s.flowIds.add(fields['nvgre.flow_id'] as number);
    // Updated in place: this runs for every frame, and nothing else holds `last`.
    s.last.sec = f.tsSec;
    s.last.nsec = f.tsNsec;
    s.warnings += warnings;
    const outer = lastBefore(layers, nv, isIp);
    if (outer >= 0 && !layers[outer].cut) {
      const pa = layers[outer];
      const src = endpoint(pa, 'src');
      let dsts = s.paPairs.get(src);
      if (dsts === undefined) s.paPairs.set(src, (dsts = new Set()));
      dsts.add(endpoint(pa, 'dst'));
    }
    const inner = firstAfter(layers, nv, isIp);
    if (inner >= 0 && !layers[inner].cut) {
      s.caAddresses.add(endpoint(layers[inner], 'src'));
      s.caAddresses.add(endpoint(layers[inner], 'dst'));
    }
  }

  /** VSIDs in ascending order. */
  rows(): VsidStats[] {
    return [...this.byVsid.values()].sort((a, b) => a.vsid - b.vsid);
  }
}
