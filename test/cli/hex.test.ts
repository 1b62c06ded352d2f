import { describe, expect, it } from 'vitest';
import { runCli } from './spawn.js';

/** Byte offsets of each marker kind, read back from a plain dump: the row's offset plus the marker's column. */
function markedBytes(dump: string): Record<string, number[]> {
  const found: Record<string, number[]> = { '^^': [], '~~': [], '>>': [] };
  let row = -1;
  for (const line of dump.split('\n')) {
    const m = /^([0-9a-f]{4,})  /.exec(line);
    if (m !== null) {
      row = Number.parseInt(m[1], 16);
      continue;
    }
    for (const [i, ch] of [...line.slice(0, 56)].entries()) {
      const pair = line.slice(i, i + 2);
      if (pair in found && ch !== ' ' && (i === 0 || line[i - 1] === ' ')) {
        // Columns: 6 + 3 per byte, one more after the 8th (see the row layout).
        const col = i - 6;
        const byte = col >= 25 ? (col - 1) / 3 : col / 3;
        found[pair].push(row + byte);
      }
    }
  }
  return found;
}

describe('--hex marks the VSID, the FlowID and the inner frame, in a pipe', () => {
  // Key offsets by hand: Ethernet 14 (+4 for an 802.1Q tag) + IPv4 20 or IPv6 40, + 4 bytes of GRE flags/protocol.
  const cases: [string, number][] = [
    ['fixtures/seed-ping.pcap', 14 + 20 + 4],
    ['fixtures/seed-ping-vlan.pcap', 14 + 4 + 20 + 4],
    ['fixtures/nvgre-ipv6.pcap', 14 + 40 + 4],
  ];
  for (const [file, key] of cases) {
    it(`${file}: VSID at ${key}-${key + 2}, FlowID at ${key + 3}, inner frame at ${key + 4}`, async () => {
      const r = await runCli(['-x', '-c', '1', '-s', file]);
      expect(r.code).toBe(0);
      expect(markedBytes(r.stdout)).toEqual({ '^^': [key, key + 1, key + 2], '~~': [key + 3], '>>': [key + 4] });
      expect(r.stdout).toMatch(/VSID 0x3D59A4 \(4020644\); FlowID 0; inner frame from 0x00[0-9a-f]{2}\n/);
    });
  }

  it('the seed frame: 3d 59 a4 sit exactly above the ^^ marks', async () => {
    const r = await runCli(['-x', '-c', '1', 'fixtures/seed-ping.pcap']);
    const lines = r.stdout.split('\n');
    const row = lines.findIndex((l) => l.startsWith('0020  '));
    expect(lines[row]).toBe('0020  00 03 20 00 65 58 3d 59  a4 00 00 1d d8 b7 1c 03  .. .eX=Y........');
    expect(lines[row + 1]).toBe('                        ^^ ^^  ^^ ~~ >>                 VSID 0x3D59A4 (4020644); FlowID 0; inner frame from 0x002a');
  });

  it('on a terminal (--color) the VSID bytes themselves are highlighted', async () => {
    const r = await runCli(['-x', '-c', '1', '--color', 'fixtures/seed-ping.pcap']);
    const row = r.stdout.split('\n').find((l) => l.startsWith('0020  '))!;
    // Each VSID byte is wrapped in SGR sequences; the bytes before them are not.
    const sgr = '(?:\\x1b\\[[0-9;]+m)+';
    expect(row).toMatch(new RegExp(`65 58 ${sgr}3d${sgr} ${sgr}59${sgr}  ${sgr}a4${sgr}`));
  });

  it('a frame without NVGRE is dumped with no marks', async () => {
    const r = await runCli(['-x', '-c', '1', '-s', 'fixtures/tenant-mix.pcap']);
    expect(r.stdout.split('\n').slice(1, -2).every((l) => /^[0-9a-f]{4}  /.test(l))).toBe(true);
  });

  it('cannot be combined with --json', async () => {
    expect((await runCli(['-x', '--json', 'fixtures/seed-ping.pcap'])).code).toBe(2);
  });
});
