import type { Packet } from '../decode/packet.js';
import { type AddressKey, endpoints, isIp } from './address.js';

export interface Instant {
  sec: number;
  nsec: number;
  digits: number;
}

export interface VsidStats {
  vsid: number;
  frames: number;
  bytes: number;
  flowIds: Set<number>;
  /** "src dst" outer address pairs, as address keys joined by a space. */
  paPairs: Set<string>;
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
    const nv = layers.findIndex((l) => l.proto === 'nvgre');
    if (nv < 0) {
      t.otherFrames++;
      return;
    }
    t.nvgreFrames++;
    const f = pkt.frame;
    const now: Instant = { sec: f.tsSec, nsec: f.tsNsec, digits: f.tsDigits };
    const vsid = layers[nv].fields['nvgre.vsid'] as number;
    let s = this.byVsid.get(vsid);
    if (s === undefined) {
      s = { vsid, frames: 0, bytes: 0, flowIds: new Set(), paPairs: new Set(), caAddresses: new Set(), first: now, last: now, warnings: 0 };
      this.byVsid.set(vsid, s);
    }
    s.frames++;
    s.bytes += f.origLen;
    s.flowIds.add(layers[nv].fields['nvgre.flow_id'] as number);
    s.last = now;
    s.warnings += warnings;
    const outer = layers.slice(0, nv).findLast(isIp);
    const pa = outer === undefined ? null : endpoints(outer);
    if (pa !== null) s.paPairs.add(`${pa[0]} ${pa[1]}`);
    const inner = layers.slice(nv + 1).find(isIp);
    const ca = inner === undefined ? null : endpoints(inner);
    if (ca !== null) {
      s.caAddresses.add(ca[0]);
      s.caAddresses.add(ca[1]);
    }
  }

  /** VSIDs in ascending order. */
  rows(): VsidStats[] {
    return [...this.byVsid.values()].sort((a, b) => a.vsid - b.vsid);
  }
}
