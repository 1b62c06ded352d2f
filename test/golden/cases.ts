/** Every golden file: which fixture, which options. Shared by the test and `npm run golden`. */
export interface GoldenCase {
  file: string;
  fixture: string;
  args: string[];
  /** The exit status, when not 0: a policy comparison that finds a difference exits 1. */
  code?: number;
}

export const GOLDEN_FIXTURES = ['seed-ping', 'seed-ping-vlan', 'tenant-mix'];
/** One rule broken per frame (fixtures/anomalies.ts). */
export const ANOMALY_FIXTURES = ['rfc7637-violations', 'bad-checksums', 'lengths', 'gre-nesting', 'hostile-payload', 'snaplen-64', 'unknown-linktype'];
/** Other capture kinds (fixtures/kinds.ts): link types, IPv6 provider networks, fragments, other overlays. */
export const KIND_FIXTURES = [
  'seed-ping-sll',
  'seed-ping-sll2',
  'seed-ping-raw',
  'seed-ping-raw4',
  'seed-ping-null',
  'nvgre-ipv6',
  'fragments',
  'mtu',
  'overlays',
  'truncated-headers',
  'sll-truncated',
  'null-truncated',
];

const MODES: [string, string[]][] = [
  ['tree.txt', []],
  ['summary.txt', ['--summary']],
  ['ndjson', ['--json']],
  ['stats.txt', ['--stats']],
  ['stats.json', ['--stats', '--json']],
];

/** Network Monitor captures (fixtures/netmon.ts), named with their extension: `seed-ping.cap.tree.txt`. */
export const NETMON_FIXTURES = ['seed-ping.cap', 'seed-ping-nm20.cap', 'seed-ping-nm1.cap', 'netmon-special.cap'];

/**
 * ETW traces (fixtures/etl.ts) in the modes that show their metadata (the pktmon and ndis layers),
 * and the pktmon one as etl2pcapng converts it; --stats counts their appearances, which is
 * another question (packets once, issue 14 point 5).
 */
export const ETL_FIXTURES = ['pktmon-seed.etl', 'ndis-seed.etl', 'pktmon-seed.etl2pcapng.pcapng'];
const ETL_MODES = MODES.filter(([suffix]) => !suffix.startsWith('stats'));

/** A name without an extension is a .pcap fixture. */
const cases = (names: string[], modes: [string, string[]][]): GoldenCase[] =>
  names.flatMap((name) =>
    modes.map(([suffix, args]) => ({ file: `${name}.${suffix}`, fixture: name.includes('.') ? name : `${name}.pcap`, args })),
  );

/** Fragments shown as they are: the first piece decoded as far as it goes, the others as data. */
const NO_REASSEMBLE: [string, string[]][] = [
  ['no-reassemble.tree.txt', ['--no-reassemble']],
  ['no-reassemble.summary.txt', ['--summary', '--no-reassemble']],
];

/** HNV troubleshooting views: lookup records (fixtures/lookup.ts has a live migration and the other conflicts). */
const LOOKUP: [string, string[]][] = [
  ['lookup.txt', ['--lookup']],
  ['lookup.json', ['--lookup', '--json']],
];
const HEX: [string, string[]][] = [
  ['hex.txt', ['--hex', '-c', '2']],
  ['summary-hex.txt', ['--summary', '--hex']],
];

/** The policy's side (fixtures/policy/, issue 15): names in every output, and --lookup holding the wire against it. */
const POLICY = 'fixtures/policy/';
const AGREE = ['--policy', `${POLICY}seed-agree.txt`];
const POLICY_CASES: GoldenCase[] = [
  { file: 'seed-ping.policy.tree.txt', fixture: 'seed-ping.pcap', args: [...AGREE, '-c', '2'] },
  { file: 'seed-ping.policy.summary.txt', fixture: 'seed-ping.pcap', args: [...AGREE, '--policy', `${POLICY}seed-routes.csv`, '--summary'] },
  { file: 'seed-ping.policy.ndjson', fixture: 'seed-ping.pcap', args: [...AGREE, '--policy', `${POLICY}seed-routes.csv`, '--json', '-c', '2'] },
  { file: 'seed-ping.policy.stats.txt', fixture: 'seed-ping.pcap', args: [...AGREE, '--policy', `${POLICY}seed-routes.csv`, '--stats'] },
  { file: 'seed-ping.policy.stats.json', fixture: 'seed-ping.pcap', args: [...AGREE, '--policy', `${POLICY}seed-routes.csv`, '--stats', '--json'] },
  { file: 'seed-ping.policy-agree.lookup.txt', fixture: 'seed-ping.pcap', args: ['--lookup', ...AGREE] },
  { file: 'seed-ping.policy-agree.lookup.json', fixture: 'seed-ping.pcap', args: ['--lookup', '--json', ...AGREE] },
  { file: 'seed-ping.policy-stale.lookup.txt', fixture: 'seed-ping.pcap', args: ['--lookup', '--policy', `${POLICY}seed-stale.txt`], code: 1 },
  { file: 'seed-ping.policy-stale.lookup.json', fixture: 'seed-ping.pcap', args: ['--lookup', '--json', '--policy', `${POLICY}seed-stale.txt`], code: 1 },
  { file: 'seed-ping.policy-wrong-vsid.lookup.txt', fixture: 'seed-ping.pcap', args: ['--lookup', '--policy', `${POLICY}seed-wrong-vsid.txt`], code: 1 },
  { file: 'ca-moved.policy.lookup.txt', fixture: 'ca-moved.pcap', args: ['--lookup', ...AGREE], code: 1 },
  {
    file: 'lookup-conflicts.policy.lookup.txt',
    fixture: 'lookup-conflicts.pcap',
    args: ['--lookup', ...AGREE, '--policy', `${POLICY}conflicts-routes.txt`],
    code: 1,
  },
  // The live migration as hosts A, B and C captured it, against host A's records after the move:
  // a Capture column, each capture's frames named, the move told with when each PA was seen.
  ...['txt', 'json'].map((ext) => ({
    file: `hosts.policy-migrated.lookup.${ext}`,
    fixture: 'host-c.pcap',
    args: ['--lookup', ...(ext === 'json' ? ['--json'] : []), '--policy', `${POLICY}hosts-migrated.txt`, 'fixtures/host-a.pcap', 'fixtures/host-b.pcap'],
    code: 1,
  })),
];

export const GOLDEN_CASES: GoldenCase[] = [
  ...cases(GOLDEN_FIXTURES, MODES),
  ...cases(ANOMALY_FIXTURES, MODES),
  ...cases(KIND_FIXTURES, MODES),
  ...cases(NETMON_FIXTURES, MODES),
  ...cases(ETL_FIXTURES, ETL_MODES),
  ...cases(['fragments'], NO_REASSEMBLE),
  ...cases(['seed-ping', 'tenant-mix', 'ca-moved', 'lookup-conflicts'], LOOKUP),
  ...cases(['seed-ping', 'seed-ping-vlan'], HEX),
  ...cases(['fragments'], [['summary-hex.txt', ['--summary', '--hex']]]),
  ...POLICY_CASES,
];
