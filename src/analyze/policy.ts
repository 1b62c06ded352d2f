import { fieldId } from '../decode/field-store.js';
import type { Packet } from '../decode/packet.js';
import type { Policy, PolicyLookupRecord } from '../policy/model.js';
import { type AddressKey, endpoints, firstAfter, isIp, isUnicast, lastBefore } from './address.js';
import { type Instant, instantOf, later } from './instant.js';
import type { LookupRecord } from './lookup.js';
import { PolicyNames } from './names.js';

const NVGRE_VSID = fieldId('nvgre.vsid');

/** When something was on the wire: how many frames, the first and last of them, and their times. */
export interface Seen {
  frames: number;
  firstFrame: number;
  lastFrame: number;
  first: Instant;
  last: Instant;
  /** The capture the frames are in (their numbers are that file's), an index into LookupTable.files; 0 with one capture. */
  file: number;
}

const seenOf = (r: LookupRecord): Seen => ({ frames: r.frames, firstFrame: r.firstFrame, lastFrame: r.lastFrame, first: r.first, last: r.last, file: r.file });

/** Two sightings in one capture, as one. */
function merge(a: Seen, b: Seen): Seen {
  return {
    file: a.file,
    frames: a.frames + b.frames,
    firstFrame: Math.min(a.firstFrame, b.firstFrame),
    lastFrame: Math.max(a.lastFrame, b.lastFrame),
    first: later(a.first, b.first) ? b.first : a.first,
    last: later(b.last, a.last) ? b.last : a.last,
  };
}

/** One conversation inside a VSID: what the frames say beyond the lookup records (who sends, from where). */
export interface Flow {
  vsid: number;
  srcPa: AddressKey;
  dstPa: AddressKey;
  /** Null when the tenant frame has no IP header (ARP): its PAs and VSID still count. */
  srcCa: AddressKey | null;
  dstCa: AddressKey | null;
  seen: Seen;
}

/**
 * Sightings in several captures, one per capture in file order: frame numbers only mean something
 * within their file, so a sighting in another capture is kept beside the first, never merged into it.
 */
export function addSeen(list: Seen[], s: Seen): Seen[] {
  const i = list.findIndex((x) => x.file === s.file);
  if (i >= 0) list[i] = merge(list[i], s);
  else {
    const after = list.findIndex((x) => x.file > s.file);
    list.splice(after < 0 ? list.length : after, 0, s);
  }
  return list;
}

/**
 * The NVGRE frames' conversations, for the checks lookup records cannot make: the sending CA's
 * routing domain, the source PA, a VSID only broadcast to. Memory: one entry per conversation.
 */
export class FlowLog {
  private readonly flows = new Map<string, Flow>();
  private file = 0;

  /** The next capture starts: its conversations are its own (its frame numbers start again). */
  nextFile(index: number): void {
    this.file = index;
  }

  add(pkt: Packet): void {
    const layers = pkt.layers;
    const nv = layers.findIndex((l) => l.proto === 'nvgre');
    if (nv < 0) return;
    const outer = lastBefore(layers, nv, isIp);
    const pa = outer < 0 ? null : endpoints(layers[outer]);
    if (pa === null) return;
    const vsid = layers[nv].fields.num(NVGRE_VSID)!;
    const at = firstAfter(layers, nv, isIp, layers[nv].depth + 1);
    const ca = at < 0 ? null : endpoints(layers[at]);
    const key = `${vsid}/${pa[0]}/${pa[1]}/${ca?.[0]}/${ca?.[1]}/${this.file}`;
    const t = instantOf(pkt.frame);
    const n = pkt.frame.number;
    const one: Seen = { frames: 1, firstFrame: n, lastFrame: n, first: t, last: t, file: this.file };
    const f = this.flows.get(key);
    if (f === undefined) this.flows.set(key, { vsid, srcPa: pa[0], dstPa: pa[1], srcCa: ca?.[0] ?? null, dstCa: ca?.[1] ?? null, seen: one });
    else f.seen = merge(f.seen, one);
  }

  result(): Flow[] {
    return [...this.flows.values()];
  }
}

export type RowStatus = 'agree' | 'differ' | 'wire only' | 'policy only';

export type DisagreementKind =
  /** The wire has a CA behind another PA than the policy: stale record, or a live migration. */
  | 'pa_differs'
  /** Frames carry a VSID the policy does not give their destination CA. */
  | 'vsid_differs'
  | 'mac_differs'
  | 'ca_unknown'
  | 'vsid_unknown'
  | 'pa_unknown'
  /** A PA of the policy's lookup records that is none of its provider addresses. */
  | 'pa_not_provider'
  /** Source and destination CAs in VSIDs of different routing domains: HNV must never carry it. */
  | 'rdid_crossed'
  | 'vsid_no_rdid'
  | 'unusable'
  | 'unsynchronized'
  | 'rule_not_encap';

/** pa_differs: how the sightings of the wire's PA and of the policy's follow each other in time. */
export type PaOrder =
  /** The policy's PA is never seen for the CA. */
  | 'policy_pa_unseen'
  /** The wire's PA only before the policy's: the CA moved to the policy's PA, a live migration the policy has. */
  | 'moved_to_policy'
  /** The wire's PA only after the policy's: the CA moved away from it, a live migration the policy does not have. */
  | 'moved_from_policy'
  /** Both in use at the same time: a sending host with a stale lookup record. */
  | 'both_at_once';

export interface Disagreement {
  kind: DisagreementKind;
  vsid?: number;
  ca?: AddressKey;
  /** The wire's PA (pa_differs, pa_unknown, pa_not_provider). */
  pa?: AddressKey;
  mac?: number;
  /** rdid_crossed: the sending CA (`ca` is the destination). */
  srcCa?: AddressKey;
  /** rdid_crossed: the source's and the destination's routing domains. */
  rdids?: [string, string];
  /** The policy's records that say otherwise (pa_differs, vsid_differs, mac_differs, flags). */
  policy: PolicyLookupRecord[];
  /** The frames showing it: one sighting per capture that shows it, in file order. */
  seen: Seen[];
  /** pa_differs: when the wire showed the CA behind the policy's PA too, per capture; empty if never. */
  policySeen?: Seen[];
  /** pa_differs: which came first on the wire, the wire's PA or the policy's. */
  order?: PaOrder;
  /**
   * pa_differs / vsid_differs: the wire's PA (VSID) is in no record of the policy at all. The
   * pa_unknown (vsid_unknown) this one fault also makes is folded in here, not listed again.
   */
  unknownToPolicy?: boolean;
}

export interface PolicyRow {
  status: RowStatus;
  wire: LookupRecord | null;
  /** The policy's record matched (same CA and VSID; same CA for vsid_differs), or the unmatched one. */
  policy: PolicyLookupRecord | null;
  /** What differs in this row, in the order of `DisagreementKind`. */
  kinds: DisagreementKind[];
}

export interface Comparison {
  /** The wire's records in their order, then the policy's records the capture never shows. */
  rows: PolicyRow[];
  disagreements: Disagreement[];
  /** Whether nothing differs (policy-only records are informational). */
  agrees: boolean;
  /** The captures read, when there are several (LookupTable.files): what each Seen.file names. */
  files: readonly string[];
}

const caVsid = (ca: AddressKey, vsid: number): string => `${ca}/${vsid}`;

/** Disagreements of one kind about one thing, merged: a PA unknown to the policy is one line however many conversations use it. */
class Findings {
  private readonly byKey = new Map<string, Disagreement>();

  add(key: string, d: Disagreement): void {
    const k = `${d.kind}/${key}`;
    const had = this.byKey.get(k);
    if (had === undefined) this.byKey.set(k, d);
    else for (const s of d.seen) addSeen(had.seen, s);
  }

  /** Removes and returns one finding: the folding of one fault's second line into its first. */
  take(kind: DisagreementKind, key: string): Disagreement | undefined {
    const d = this.byKey.get(`${kind}/${key}`);
    this.byKey.delete(`${kind}/${key}`);
    return d;
  }

  get list(): Disagreement[] {
    return [...this.byKey.values()];
  }
}

/**
 * Holds the wire against the policy: each lookup record rebuilt from the wire is matched with the
 * policy's record for the same CA and VSID, and every conversation's VSID, PAs and routing
 * domains are checked against what the policy knows.
 */
export function comparePolicy(policy: Policy, wire: LookupRecord[], flows: Flow[], files: readonly string[] = []): Comparison {
  const names = new PolicyNames(policy);
  const byCaVsid = new Map<string, PolicyLookupRecord[]>();
  for (const r of policy.lookup) {
    const k = caVsid(r.ca, r.vsid);
    byCaVsid.set(k, [...(byCaVsid.get(k) ?? []), r]);
  }
  const vsids = new Set([...policy.lookup.map((r) => r.vsid), ...policy.routes.map((r) => r.vsid)]);
  const lookupPas = new Set(policy.lookup.map((r) => r.pa));
  const providers = new Set(policy.providers.map((p) => p.pa));
  const matched = new Set<PolicyLookupRecord>();
  const found = new Findings();
  const rows: PolicyRow[] = [];

  for (const w of wire) {
    const kinds: DisagreementKind[] = [];
    const note = (key: string, d: Omit<Disagreement, 'seen'>): void => {
      if (!kinds.includes(d.kind)) kinds.push(d.kind);
      found.add(key, { ...d, seen: [seenOf(w)] });
    };
    const same = byCaVsid.get(caVsid(w.ca, w.vsid));
    let p: PolicyLookupRecord | null = null;
    if (same !== undefined) {
      // Two policy records for one CA and VSID (one per host's export): the one naming this PA answers.
      p = same.find((r) => r.pa === w.pa) ?? same[0];
      for (const r of same) matched.add(r);
      if (p.pa !== w.pa) {
        // Every capture's sightings of the CA behind the policy's PA: when it moved, and which way.
        const there = wire.filter((o) => o.ca === w.ca && o.vsid === w.vsid && o.pa === p!.pa).reduce((l: Seen[], o) => addSeen(l, seenOf(o)), []);
        note(`${w.ca}/${w.vsid}/${w.pa}`, { kind: 'pa_differs', ca: w.ca, vsid: w.vsid, pa: w.pa, policy: [p], policySeen: there });
      }
      if (p.mac !== null && p.mac !== w.mac) note(`${w.ca}/${w.vsid}/${w.mac}`, { kind: 'mac_differs', ca: w.ca, vsid: w.vsid, mac: w.mac, policy: [p] });
      if (p.unusable) note(`${w.ca}/${w.vsid}`, { kind: 'unusable', ca: w.ca, vsid: w.vsid, policy: [p] });
      if (p.unsynchronized) note(`${w.ca}/${w.vsid}`, { kind: 'unsynchronized', ca: w.ca, vsid: w.vsid, policy: [p] });
      if (p.rule !== null && p.rule !== 'TranslationMethodEncap') note(`${w.ca}/${w.vsid}`, { kind: 'rule_not_encap', ca: w.ca, vsid: w.vsid, policy: [p] });
    } else {
      const other = names.records(w.ca);
      if (other !== undefined) {
        for (const r of other) matched.add(r);
        p = other[0];
        note(`${w.ca}/${w.vsid}`, { kind: 'vsid_differs', ca: w.ca, vsid: w.vsid, policy: [...other] });
      } else note(String(w.ca), { kind: 'ca_unknown', ca: w.ca, policy: [] });
    }
    const status: RowStatus = p === null ? 'wire only' : kinds.length > 0 ? 'differ' : 'agree';
    rows.push({ status, wire: w, policy: p, kinds });
  }

  for (const f of flows) {
    if (!vsids.has(f.vsid)) found.add(String(f.vsid), { kind: 'vsid_unknown', vsid: f.vsid, policy: [], seen: [f.seen] });
    for (const pa of [f.srcPa, f.dstPa]) {
      if (!lookupPas.has(pa) && !providers.has(pa)) found.add(String(pa), { kind: 'pa_unknown', pa, policy: [], seen: [f.seen] });
      else if (providers.size > 0 && !providers.has(pa)) found.add(String(pa), { kind: 'pa_not_provider', pa, policy: [], seen: [f.seen] });
    }
    // A CA that only ever sends makes no lookup record: the conversations name it.
    if (f.srcCa !== null && isUnicast(f.srcCa) && names.records(f.srcCa) === undefined) {
      found.add(String(f.srcCa), { kind: 'ca_unknown', ca: f.srcCa, policy: [], seen: [f.seen] });
    }
    if (names.hasRoutes) isolation(f, names, found);
  }

  // Across every capture: a policy record is seen when any capture shows it.
  for (const r of policy.lookup) if (!matched.has(r)) rows.push({ status: 'policy only', wire: null, policy: r, kinds: [] });
  for (const d of found.list) {
    if (d.kind === 'pa_differs') d.order = paOrder(d.seen, d.policySeen!);
    // A stale or wrong record leaves the wire's PA or VSID in no record of the policy (and such a
    // VSID in no routing domain): the same fault, said once, where the record that causes it is named.
    if (d.kind === 'pa_differs' && found.take('pa_unknown', String(d.pa)) !== undefined) d.unknownToPolicy = true;
    if (d.kind === 'vsid_differs' && found.take('vsid_unknown', String(d.vsid)) !== undefined) {
      d.unknownToPolicy = true;
      found.take('vsid_no_rdid', String(d.vsid));
    }
  }
  const disagreements = found.list;
  return { rows, disagreements, agrees: disagreements.length === 0, files };
}

/** The first time of any sighting. */
export const earliest = (l: readonly Seen[]): Instant => l.map((s) => s.first).reduce((a, b) => (later(a, b) ? b : a));
/** The last time of any sighting. */
export const latest = (l: readonly Seen[]): Instant => l.map((s) => s.last).reduce((a, b) => (later(b, a) ? b : a));

/** Over every capture: did the wire's PA end before the policy's began, begin after it ended, or overlap it? */
function paOrder(wire: Seen[], policy: Seen[]): PaOrder {
  if (policy.length === 0) return 'policy_pa_unseen';
  if (later(earliest(policy), latest(wire))) return 'moved_to_policy';
  if (later(earliest(wire), latest(policy))) return 'moved_from_policy';
  return 'both_at_once';
}

/**
 * Tenant isolation: the frame's VSID is its destination's, and must be in a routing domain; the
 * sending CA's own VSIDs (the policy's) must include one of that same domain.
 */
function isolation(f: Flow, names: PolicyNames, found: Findings): void {
  const dstRd = names.rdid(f.vsid);
  if (dstRd === undefined) {
    found.add(String(f.vsid), { kind: 'vsid_no_rdid', vsid: f.vsid, policy: [], seen: [f.seen] });
    return;
  }
  if (f.srcCa === null || f.dstCa === null) return;
  const src = names.records(f.srcCa);
  const srcRds = new Set((src ?? []).map((r) => names.rdid(r.vsid)).filter((rd) => rd !== undefined));
  if (srcRds.size === 0 || srcRds.has(dstRd)) return;
  found.add(`${f.srcCa}/${f.dstCa}/${f.vsid}`, {
    kind: 'rdid_crossed',
    srcCa: f.srcCa,
    ca: f.dstCa,
    vsid: f.vsid,
    rdids: [[...srcRds][0]!, dstRd],
    policy: (src ?? []).filter((r) => names.rdid(r.vsid) !== undefined),
    seen: [f.seen],
  });
}
