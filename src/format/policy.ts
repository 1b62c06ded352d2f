import type { AddressKey } from '../analyze/address.js';
import type { Conflict } from '../analyze/lookup.js';
import type { Comparison, Disagreement, PolicyRow, Seen } from '../analyze/policy.js';
import type { PolicyLookupRecord } from '../policy/model.js';
import { vsidText } from './describe.js';
import { conflictText } from './lookup.js';
import type { Palette } from './palette.js';
import { type Column, renderTable } from './table.js';
import { addressText, escapeControls, hexUpper, instantText, mac } from './text.js';

const plural = (n: number, one: string): string => `${n} ${one}${n === 1 ? '' : 's'}`;

/** `4 frames (#1 to #7, 2013-07-19T08:00:00.000000Z to 2013-07-19T08:00:03.000000Z)`. */
export function seenText(s: Seen): string {
  if (s.frames === 1) return `1 frame (#${s.firstFrame}, ${instantText(s.first)})`;
  return `${plural(s.frames, 'frame')} (#${s.firstFrame} to #${s.lastFrame}, ${instantText(s.first)} to ${instantText(s.last)})`;
}

/** Where the policy says it: `policy.txt:12`. Names from the policy are the user's files: escaped all the same. */
const where = (r: PolicyLookupRecord): string => escapeControls(`${r.source.file}:${r.source.line}`);

/** `10.2.0.2 (VM red-2)` when the policy names the VM. */
function caText(ca: AddressKey, records: readonly PolicyLookupRecord[]): string {
  const vm = records.find((r) => r.ca === ca && r.vmName !== null)?.vmName;
  return vm === undefined || vm === null ? addressText(ca) : `${addressText(ca)} (VM ${escapeControls(vm)})`;
}

/** One disagreement in one sentence: what the wire shows, with its frames and times, and what the policy says instead. */
export function disagreementText(d: Disagreement): string {
  const on = seenText(d.seen);
  const ca = d.ca === undefined ? '' : caText(d.ca, d.policy);
  const rec = d.policy[0];
  const inVsid = d.vsid === undefined ? '' : ` in VSID ${vsidText(d.vsid)}`;
  switch (d.kind) {
    case 'pa_differs': {
      const then = d.policySeen === null || d.policySeen === undefined ? 'never seen on the wire' : `seen on the wire in ${seenText(d.policySeen)}`;
      return (
        `CA ${ca}${inVsid} is behind PA ${addressText(d.pa!)} on the wire in ${on}; the policy says PA ${addressText(rec.pa)} ` +
        `(${where(rec)}), ${then}: a stale lookup record on the sending host, or a live migration`
      );
    }
    case 'vsid_differs':
      return (
        `${on} to CA ${ca} carry VSID ${vsidText(d.vsid!)}; the policy gives it ` +
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

const COLUMNS: Column[] = [
  { head: 'Policy' },
  { head: 'CustomerAddress' },
  { head: 'VirtualSubnetID', wrap: true },
  { head: 'MACAddress' },
  { head: 'ProviderAddress' },
  { head: 'VMName', wrap: true, drop: 2 },
  { head: 'Policy says', wrap: true },
  { head: 'Frames' },
  { head: 'First seen', drop: 1 },
  { head: 'Last seen', drop: 1 },
];

function cells(row: PolicyRow): string[] {
  const vm = row.policy?.vmName;
  const name = vm === undefined || vm === null ? '' : escapeControls(vm);
  const w = row.wire;
  if (w === null) {
    const p = row.policy!;
    return ['policy only', addressText(p.ca), vsidText(p.vsid), p.mac === null ? '' : mac(p.mac), addressText(p.pa), name, '', '0', '', ''];
  }
  return [row.status, addressText(w.ca), vsidText(w.vsid), mac(w.mac), addressText(w.pa), name, policySays(row), String(w.frames), instantText(w.first), instantText(w.last)];
}

/** How many rows of each status, then the answer: `the capture agrees with the policy`, or how many disagreements follow. */
function tally(c: Comparison): string {
  const count = (s: PolicyRow['status']): number => c.rows.filter((r) => r.status === s).length;
  const wire = c.rows.length - count('policy only');
  const only = count('policy only');
  return (
    `${plural(wire, 'lookup record')} from the capture: ${count('agree')} agree, ${count('differ')} differ, ${count('wire only')} wire only\n` +
    (only > 0 ? `${plural(only, 'policy record')} the capture never shows (policy only: informational)\n` : '') +
    (c.agrees ? 'the capture agrees with the policy\n' : `the capture disagrees with the policy: ${plural(c.disagreements.length, 'disagreement')}\n`)
  );
}

/** `--lookup --policy`: each record marked agree / differ / wire only / policy only, then one `!` line per disagreement. */
export function formatPolicyTable(c: Comparison, conflicts: Conflict[], palette: Palette, width?: number): string {
  let out = '';
  if (c.rows.length > 0) out += `${renderTable(COLUMNS, c.rows.map(cells), palette, width).text}\n`;
  out += tally(c);
  for (const d of c.disagreements) out += `${palette.severity('warn', `! ${disagreementText(d)}`)}\n`;
  for (const conflict of conflicts) out += `${palette.severity('warn', `! ${conflictText(conflict)}`)}\n`;
  return out;
}

const seenJson = (s: Seen): Record<string, unknown> => ({
  frames: s.frames,
  first_frame: s.firstFrame,
  last_frame: s.lastFrame,
  first_seen: instantText(s.first),
  last_seen: instantText(s.last),
});

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

function rowJson(row: PolicyRow): Record<string, unknown> {
  const w = row.wire;
  return {
    status: row.status,
    wire:
      w === null
        ? null
        : { customer_address: addressText(w.ca), vsid: w.vsid, vsid_hex: hexUpper(w.vsid, 6), mac: mac(w.mac), provider_address: addressText(w.pa), ...seenJson(w) },
    policy: row.policy === null ? null : policyJson(row.policy),
    differs: row.kinds,
  };
}

function disagreementJson(d: Disagreement): Record<string, unknown> {
  return {
    kind: d.kind,
    ...(d.vsid !== undefined && { vsid: d.vsid, vsid_hex: hexUpper(d.vsid, 6) }),
    ...(d.srcCa !== undefined && { source_customer_address: addressText(d.srcCa) }),
    ...(d.ca !== undefined && { customer_address: addressText(d.ca) }),
    ...(d.pa !== undefined && { provider_address: addressText(d.pa) }),
    ...(d.mac !== undefined && { mac: mac(d.mac) }),
    ...(d.rdids !== undefined && { source_rdid: d.rdids[0], destination_rdid: d.rdids[1] }),
    ...seenJson(d.seen),
    ...(d.policySeen !== undefined && { policy_seen: d.policySeen === null ? null : seenJson(d.policySeen) }),
    policy: d.policy.map(policyJson),
    message: disagreementText(d),
  };
}

/** `--lookup --policy --json`: the same as one JSON object; `agrees` is the exit status's answer. */
export function formatPolicyJson(c: Comparison, conflicts: Conflict[]): string {
  return `${JSON.stringify({
    records: c.rows.map(rowJson),
    disagreements: c.disagreements.map(disagreementJson),
    conflicts: conflicts.map((x) => ({ kind: x.kind, message: conflictText(x) })),
    agrees: c.agrees,
  })}\n`;
}
