/** Every golden file: which fixture, which options. Shared by the test and `npm run golden`. */
export interface GoldenCase {
  file: string;
  fixture: string;
  args: string[];
}

export const GOLDEN_FIXTURES = ['seed-ping', 'seed-ping-vlan', 'tenant-mix'];

const MODES: [string, string[]][] = [
  ['tree.txt', []],
  ['summary.txt', ['--summary']],
  ['ndjson', ['--json']],
  ['stats.txt', ['--stats']],
  ['stats.json', ['--stats', '--json']],
];

export const GOLDEN_CASES: GoldenCase[] = GOLDEN_FIXTURES.flatMap((name) =>
  MODES.map(([suffix, args]) => ({ file: `${name}.${suffix}`, fixture: `${name}.pcap`, args })),
);
