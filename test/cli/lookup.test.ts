import { describe, expect, it } from 'vitest';
import { CAPTURES, HAVE_CAPTURES, ROOT, runCli } from './spawn.js';

const ZEEK_2015 = `${CAPTURES}/nvgre-shaped_zeek_erspan-trace_real-2015_teb-key_outer-frags.pcap`;

interface Record {
  customer_address: string;
  vsid: number;
  vsid_hex: string;
  mac: string;
  provider_address: string;
  frames: number;
  source: string;
}

async function lookup(
  args: string[],
): Promise<{ records: Record[]; conflicts: { kind: string; message: string }[]; broadcast_multicast_frames: number }> {
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

  it.skipIf(!HAVE_CAPTURES)('no records for broadcast and multicast destinations (the 2015 Zeek trace), a line says how many frames', async () => {
    const { records, broadcast_multicast_frames } = await lookup([ZEEK_2015]);
    // Before: also 192.168.69.255 ff:ff:ff:ff:ff:ff (30 frames), 224.0.0.252 (2), ff02::1:2 (4), ff02::1:3 (2).
    expect(records.map((r) => `${r.customer_address} ${r.mac} ${r.provider_address} ${r.source}`)).toEqual([
      '192.168.69.2 00:50:56:82:08:d1 10.200.0.3 arp',
      '192.168.69.2 00:50:56:82:08:d1 10.200.0.224 dst-side',
      '192.168.69.10 00:50:56:82:2b:52 10.200.0.3 arp',
      '192.168.69.10 00:50:56:82:2b:52 10.200.0.224 dst-side',
    ]);
    expect(broadcast_multicast_frames).toBe(30 + 2 + 4 + 2);
    const table = await runCli(['--lookup', ZEEK_2015]);
    expect(table.stdout).toContain('\n4 lookup records from the capture\n38 NVGRE frames to a broadcast or multicast address: HNV keeps no lookup record for those\n');
    expect(table.stdout).not.toMatch(/ff:ff:ff:ff:ff:ff|224\.0\.0\.252|ff02::/);
  });

  it('the Source column is explained under the table; one record is "1 lookup record"', async () => {
    const r = await runCli(['--lookup', '--vsid', '0x862D9E', 'fixtures/seed-ping.pcap']);
    expect(r.stdout.split('\n').slice(-4)).toEqual([
      'Source: dst-side = inner destination of NVGRE frames sent to that PA;',
      '        arp = sender of an inner ARP from that PA; arp+dst-side = both',
      '1 lookup record from the capture',
      '',
    ]);
  });

  it.skipIf(!HAVE_CAPTURES)('a capture without NVGRE says why there are no records, and prints no empty table', async () => {
    const vxlan = await runCli(['--lookup', `${CAPTURES}/neighbour_vxlan_tcpdump_vxlan.pcap`]);
    expect(vxlan).toEqual({
      code: 0,
      stdout: '0 lookup records from the capture\nno NVGRE frames (10 VXLAN frames): lookup records are rebuilt from NVGRE only\n',
      stderr: '',
    });
    const teb = await runCli(['--lookup', `${CAPTURES}/neighbour_gre-teb-nokey_suricata-verify_bug-2576-01_temp6.pcap`]);
    expect(teb.stdout).toBe(
      '0 lookup records from the capture\nno NVGRE frames (15 Ethernet-over-GRE frames without a key): lookup records are rebuilt from NVGRE only\n',
    );
  });
});
