import { describe, expect, it } from 'vitest';
import { runCli } from './spawn.js';

interface Record {
  customer_address: string;
  vsid: number;
  vsid_hex: string;
  mac: string;
  provider_address: string;
  frames: number;
  source: string;
}

async function lookup(args: string[]): Promise<{ records: Record[]; conflicts: { kind: string; message: string }[] }> {
  const r = await runCli(['--lookup', '--json', ...args]);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}

const row = (r: Record): string => `${r.customer_address} ${r.vsid} ${r.vsid_hex} ${r.mac} ${r.provider_address} ${r.frames} ${r.source}`;

describe('--lookup: HNV lookup records from the wire', () => {
  it('the seed: 10.2.0.2 in VSID 4020644 behind 172.16.0.3, 10.1.0.2 in VSID 8793502 behind 172.16.0.2', async () => {
    const { records, conflicts } = await lookup(['fixtures/seed-ping.pcap']);
    // The sender puts the destination's VSID in the key: requests teach 10.2.0.2, replies 10.1.0.2.
    expect(records.map(row)).toEqual([
      '10.2.0.2 4020644 0x3D59A4 00:1d:d8:b7:1c:03 172.16.0.3 4 dst-side',
      '10.1.0.2 8793502 0x862D9E 00:1d:d8:b7:1c:02 172.16.0.2 4 dst-side',
    ]);
    expect(conflicts).toEqual([]);
  });

  it('a CA reached via 172.16.0.3 and then via 172.16.0.9 is flagged with both PAs', async () => {
    const { records, conflicts } = await lookup(['fixtures/ca-moved.pcap']);
    expect(records.filter((r) => r.customer_address === '10.2.0.2').map((r) => r.provider_address)).toEqual(['172.16.0.3', '172.16.0.9']);
    expect(conflicts.map((c) => c.kind)).toEqual(['ca_two_pas']);
    expect(conflicts[0].message).toBe(
      'CA 10.2.0.2 in VSID 4020644 (0x3D59A4) is behind 2 PAs: 172.16.0.3 (last seen 2013-07-19T10:00:01.000000Z), ' +
        '172.16.0.9 (last seen 2013-07-19T10:00:11.000000Z): a live migration, or a stale lookup record',
    );
    const table = await runCli(['--lookup', 'fixtures/ca-moved.pcap']);
    expect(table.stdout).toContain('! CA 10.2.0.2 in VSID 4020644 (0x3D59A4) is behind 2 PAs');
    expect(table.stdout).not.toContain('\x1b');
  });

  it('the other two conflicts: a CA with two MACs, a MAC in two VSIDs', async () => {
    const { conflicts } = await lookup(['fixtures/lookup-conflicts.pcap']);
    expect(conflicts.map((c) => c.kind)).toEqual(['ca_two_macs', 'mac_two_vsids']);
  });

  it('an inner ARP confirms a record it can place (tenant-mix)', async () => {
    const { records } = await lookup(['fixtures/tenant-mix.pcap']);
    expect(records.map((r) => `${r.customer_address} ${r.source}`)).toEqual(['10.2.0.2 arp+dst-side', '10.1.0.2 arp+dst-side']);
  });

  it('works with the filters: only what they keep is learnt', async () => {
    const { records } = await lookup(['--vsid', '0x862D9E', 'fixtures/ca-moved.pcap']);
    expect(records.map((r) => r.customer_address)).toEqual(['10.1.0.2']);
    const early = await lookup(['-Y', 'ip.dst == 172.16.0.3', 'fixtures/ca-moved.pcap']);
    expect(early.conflicts).toEqual([]);
  });
});
