import type { AddressKey } from '../analyze/address.js';
import type { Conflict } from '../analyze/lookup.js';
import { type Comparison, type Disagreement, earliest, latest, type PolicyRow, type Seen } from '../analyze/policy.js';
import type { PolicyLookupRecord } from '../policy/model.js';
import { vsidText } from './describe.js';
import { conflictText } from './lookup.js';
import type { Palette } from './palette.js';
import { type Column, renderTable } from './table.js';
import { addressText, escapeControls, hexUpper, instantText, mac } from './text.js';

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * `4 frames (#1 to #7, 2013-07-19T08:00:00.000000Z to 2013-07-19T08:00:03.000000Z)`; with several
 * captures (`files`, LookupTable.files) the frame numbers are their file's, so it comes first:
 * `2 frames (host-b.pcap #1 to #3, ...)`.
 */
export function seenText(s: Seen, files: readonly string[] = []): string {
  const at = files.length > 0 ? `${files[s.file]} ` : '';
  if (s.frames === 1) return `1 frame (${at}#${s.firstFrame}, ${instantText(s.first)})`;
  return `${plural(s.frames, 'frame')} (${at}#${s.firstFrame} to #${s.lastFrame}, ${instantText(s.first)} to ${instantText(s.last)})`;
}

/** One sighting per capture: `2 frames (a.pcap ...), 2 frames (b.pcap ...) and 1 frame (c.pcap ...)`. */
function seenListText(list: readonly Seen[], files: readonly string[]): string {
  const each = list.map((s) => seenText(s, files));
  return each.length < 2 ? each.join('') : `${each.slice(0, -1).join(', ')} and ${each[each.length - 1]}`;
}

/** Where the policy says it: `policy.txt:12`. Names from the policy are the user's files: escaped all the same. */
const where = (r: PolicyLookupRecord): string => escapeControls(`${r.source.file}:${r.source.line}`);

/** `10.2.0.2 (VM red-2)` when the policy names the VM. */
function caText(ca: AddressKey, records: readonly PolicyLookupRecord[]): string {
  const vm = records.find((r) => r.ca === ca && r.vmName !== null)?.vmName;
  return vm === undefined || vm === null ? addressText(ca) : `${addressText(ca)} (VM ${escapeControls(vm)})`;
}

/** pa_differs: what the order of the two PAs on the wire says happened. */
function paWhy(d: Disagreement): string {
  const wire = addressText(d.pa!);
  const policyPa = addressText(d.policy[0].pa);
  const pol = d.policySeen!;
  switch (d.order) {
    case 'moved_to_policy':
      return `a live migration from PA ${wire} to the policy's ${policyPa} between ${instantText(latest(d.seen))} and ${instantText(earliest(pol))}`;
    case 'moved_from_policy':
      return (
        `a live migration from the policy's PA ${policyPa} to ${wire} between ${instantText(latest(pol))} and ${instantText(earliest(d.seen))}, ` +
        'which the policy does not have (stale, or not delivered)'
      );
    case 'both_at_once':
      return 'both in use at the same time: a stale lookup record on a sending host';
    default:
      return 'a stale lookup record on the sending host, or a live migration';
  }
}

/**
 * One disagreement in one sentence: what the wire shows, with its frames and times (each capture's
 * apart when several were read: `files`), and what the policy says instead.
 */
export function disagreementText(d: Disagreement, files: readonly string[] = []): string {
  const on = seenListText(d.seen, files);
  const ca = d.ca === undefined ? '' : caText(d.ca, d.policy);
  const rec = d.policy[0];
  const inVsid = d.vsid === undefined ? '' : ` in VSID ${vsidText(d.vsid)}`;
  switch (d.kind) {
    case 'pa_differs': {
      const then = d.policySeen!.length === 0 ? 'never seen on the wire' : `seen on the wire in ${seenListText(d.policySeen!, files)}`;
      const unknown = d.unknownToPolicy === true ? ' (in no lookup record or provider address of the policy)' : '';
      return (
        `CA ${ca}${inVsid} is behind PA ${addressText(d.pa!)}${unknown} on the wire in ${on}; the policy says PA ${addressText(rec.pa)} ` +
        `(${where(rec)}), ${then}: ${paWhy(d)}`
      );
    }
    case 'vsid_differs':
      return (
        `${on} to CA ${ca} carry VSID ${vsidText(d.vsid!)}${d.unknownToPolicy === true ? ' (in no lookup record or customer route of the policy)' : ''}; the policy gives it ` +
        `${d.policy.map((r) => `VSID ${vsidText(r.vsid)} (${where(r)})`).join(', ')}: the sender's lookup record is wrong`
      );
    case 'mac_differs':
      return `CA ${ca}${inVsid} has MAC ${mac(d.mac!)} on the wire in ${on}; the policy says ${mac(rec.mac!)} (${where(rec)})`;
    case 'ca_unknown':
      return `CA ${addressText(d.ca!)} is on the wire in ${on}, in no lookup record of the policy`;
    case 'vsid_unknown':
      return `VSID ${vsidText(d.vsid!)} is on the wire in ${on}, in no lookup record or customer route of the policy`;
    case 'pa_unknown':
      return `PA ${addressText(d.pa!)} is on the wire in ${on}, in no lookup record or provider address of the policy`;
    case 'pa_not_provider':
      return `PA ${addressText(d.pa!)} is on the wire in ${on}, and is not a provider address of the policy`;
    case 'rdid_crossed':
      return (
        `tenant isolation: CA ${caText(d.srcCa!, d.policy)} of routing domain ${escapeControls(d.rdids![0])} sends to CA ${addressText(d.ca!)}${inVsid} ` +
        `of routing domain ${escapeControls(d.rdids![1])} in ${on}: HNV must never carry it`
      );
    case 'vsid_no_rdid':
      return `VSID ${vsidText(d.vsid!)} is on the wire in ${on}, in no routing domain of the policy's customer routes`;
    case 'unusable':
      return `the policy's record for CA ${ca}${inVsid} is Unusable (${where(rec)}), yet NVGRE frames use it in ${on}`;
    case 'unsynchronized':
      return `the policy's record for CA ${ca}${inVsid} is Unsynchronized (${where(rec)}), yet NVGRE frames use it in ${on}`;
    case 'rule_not_encap':
      return `the policy's record for CA ${ca}${inVsid} has Rule ${escapeControls(rec.rule!)} (${where(rec)}), yet NVGRE carries it in ${on}`;
  }
}

/** The policy's side of a row, where it differs from the wire: `PA 172.16.0.3`, `VSID 8793502 (0x862D9E)`. */
function policySays(row: PolicyRow): string {
  const p = row.policy;
  if (p === null || row.wire === null) return '';
  return row.kinds
    .map((k) => {
      if (k === 'pa_differs') return `PA ${addressText(p.pa)}`;
      if (k === 'vsid_differs') return `VSID ${vsidText(p.vsid)}`;
      if (k === 'mac_differs') return `MAC ${mac(p.mac!)}`;
      if (k === 'unusable') return 'Unusable';
      if (k === 'unsynchronized') return 'Unsynchronized';
      return escapeControls(p.rule ?? '');
    })
    .join(', ');
}

/** With several captures a Capture column names the one each wire record was seen in (which host saw it). */
const columns = (several: boolean): Column[] => [
  { head: 'Policy' },
  { head: 'CustomerAddress' },
  { head: 'VirtualSubnetID', wrap: true },
  { head: 'MACAddress' },
  { head: 'ProviderAddress' },
  ...(several ? [{ head: 'Capture', wrap: true }] : []),
  { head: 'VMName', wrap: true, drop: 2 },
  { head: 'Policy says', wrap: true },
  { head: 'Frames' },
  { head: 'First seen', drop: 1 },
  { head: 'Last seen', drop: 1 },
];

function cells(row: PolicyRow, files: readonly string[]): string[] {
  const vm = row.policy?.vmName;
  const name = vm === undefined || vm === null ? '' : escapeControls(vm);
  const w = row.wire;
  if (w === null) {
    const p = row.policy!;
    return ['policy only', addressText(p.ca), vsidText(p.vsid), p.mac === null ? '' : mac(p.mac), addressText(p.pa), ...(files.length > 0 ? [''] : []), name, '', '0', '', ''];
  }
  return [
    row.status,
    addressText(w.ca),
    vsidText(w.vsid),
    mac(w.mac),
    addressText(w.pa),
    ...(files.length > 0 ? [files[w.file]] : []),
    name,
    policySays(row),
    String(w.frames),
    instantText(w.first),
    instantText(w.last),
  ];
}

/** How many rows of each status, then the answer: `the capture agrees with the policy`, or how many disagreements follow. */
function tally(c: Comparison): string {
  const count = (s: PolicyRow['status']): number => c.rows.filter((r) => r.status === s).length;
  const wire = c.rows.length - count('policy only');
  const only = count('policy only');
  const n = c.files.length;
  const from = n > 0 ? `the ${n} captures` : 'the capture';
  const subject = n > 0 ? 'the captures' : 'the capture';
  return (
    `${plural(wire, 'lookup record')} from ${from}: ${count('agree')} agree, ${count('differ')} differ, ${count('wire only')} wire only\n` +
    (only > 0 ? `${plural(only, 'policy record')} ${subject} never show${n > 0 ? '' : 's'} (policy only: informational)\n` : '') +
    (c.agrees ? `${subject} agree${n > 0 ? '' : 's'} with the policy\n` : `${subject} disagree${n > 0 ? '' : 's'} with the policy: ${plural(c.disagreements.length, 'disagreement')}\n`)
  );
}

/** `--lookup --policy`: each record marked agree / differ / wire only / policy only, then one `!` line per disagreement. */
export function formatPolicyTable(c: Comparison, conflicts: Conflict[], palette: Palette, width?: number): string {
  let out = '';
  const files = c.files;
  if (c.rows.length > 0) out += `${renderTable(columns(files.length > 0), c.rows.map((r) => cells(r, files)), palette, width).text}\n`;
  out += tally(c);
  for (const d of c.disagreements) out += `${palette.severity('warn', `! ${disagreementText(d, files)}`)}\n`;
  for (const conflict of conflicts) out += `${palette.severity('warn', `! ${conflictText(conflict, files)}`)}\n`;
  return out;
}

const seenJson = (s: Seen): Record<string, unknown> => ({
  frames: s.frames,
  first_frame: s.firstFrame,
  last_frame: s.lastFrame,
  first_seen: instantText(s.first),
  last_seen: instantText(s.last),
});

/**
 * Sightings as JSON: one capture's flat (`frames`, `first_frame` ...); several captures' as their
 * totals with `captures`, one object per capture naming its `file`, since frame numbers are per file.
 */
function seenListJson(list: readonly Seen[], files: readonly string[]): Record<string, unknown> {
  if (files.length === 0) return seenJson(list[0]);
  return {
    frames: list.reduce((n, s) => n + s.frames, 0),
    first_seen: instantText(earliest(list)),
    last_seen: instantText(latest(list)),
    captures: list.map((s) => ({ file: files[s.file], ...seenJson(s) })),
  };
}

function policyJson(p: PolicyLookupRecord): Record<string, unknown> {
  return {
    customer_address: addressText(p.ca),
    vsid: p.vsid,
    vsid_hex: hexUpper(p.vsid, 6),
    mac: p.mac === null ? null : mac(p.mac),
    provider_address: addressText(p.pa),
    vm_name: p.vmName,
    rule: p.rule,
    unusable: p.unusable,
    unsynchronized: p.unsynchronized,
    file: p.source.file,
    line: p.source.line,
  };
}

function rowJson(row: PolicyRow, files: readonly string[]): Record<string, unknown> {
  const w = row.wire;
  return {
    status: row.status,
    wire:
      w === null
        ? null
        : {
            // Several captures: the one it was seen in, first, as on --lookup's records.
            ...(files.length > 0 && { file: files[w.file] }),
            customer_address: addressText(w.ca),
            vsid: w.vsid,
            vsid_hex: hexUpper(w.vsid, 6),
            mac: mac(w.mac),
            provider_address: addressText(w.pa),
            ...seenJson(w),
          },
    policy: row.policy === null ? null : policyJson(row.policy),
    differs: row.kinds,
  };
}

function disagreementJson(d: Disagreement, files: readonly string[]): Record<string, unknown> {
  return {
    kind: d.kind,
    ...(d.vsid !== undefined && { vsid: d.vsid, vsid_hex: hexUpper(d.vsid, 6) }),
    ...(d.srcCa !== undefined && { source_customer_address: addressText(d.srcCa) }),
    ...(d.ca !== undefined && { customer_address: addressText(d.ca) }),
    ...(d.pa !== undefined && { provider_address: addressText(d.pa) }),
    ...(d.mac !== undefined && { mac: mac(d.mac) }),
    ...(d.rdids !== undefined && { source_rdid: d.rdids[0], destination_rdid: d.rdids[1] }),
    ...seenListJson(d.seen, files),
    ...(d.policySeen !== undefined && { policy_seen: d.policySeen.length === 0 ? null : seenListJson(d.policySeen, files) }),
    ...(d.order !== undefined && { order: d.order }),
    ...((d.kind === 'pa_differs' || d.kind === 'vsid_differs') && { unknown_to_policy: d.unknownToPolicy === true }),
    policy: d.policy.map(policyJson),
    message: disagreementText(d, files),
  };
}

/** `--lookup --policy --json`: the same as one JSON object; `agrees` is the exit status's answer. */
export function formatPolicyJson(c: Comparison, conflicts: Conflict[]): string {
  return `${JSON.stringify({
    records: c.rows.map((r) => rowJson(r, c.files)),
    disagreements: c.disagreements.map((d) => disagreementJson(d, c.files)),
    conflicts: conflicts.map((x) => ({ kind: x.kind, message: conflictText(x, c.files) })),
    agrees: c.agrees,
  })}\n`;
}
