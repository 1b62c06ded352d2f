// frame.time_delta_displayed in -Y: the time since the previous frame the filter showed, 0 until
// one is, as tshark's one pass has it (so a filter that needs a gap shows nothing). The expected
// frames are tshark 4.0.17's own answers, `tshark -r fixtures/X -Y 'F' -T fields -e frame.number`;
// test/tshark/filters.ts cannot hold them, as its taps display every frame.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Packet } from '../../src/decode/packet.js';
import { runCli } from '../cli/spawn.js';
import { filterFrames, loadPackets } from './helpers.js';

const TSHARK: readonly [capture: string, filter: string, frames: number[]][] = [
  ['seed-ping.pcap', 'frame.time_delta_displayed == 0', [1]],
  ['seed-ping.pcap', 'frame.time_delta_displayed < 0.5', [1, 2]],
  ['seed-ping.pcap', 'frame.time_delta_displayed > 0.05', []],
  ['seed-ping.pcap', 'frame.time_delta_displayed <= 0.0006 && ip', [1, 2]],
  ['seed-ping.pcap', 'icmp || frame.time_delta_displayed < 0.15', [1, 2, 3, 4, 5, 6, 7, 8]],
  ['tenant-mix.pcap', 'frame.time_delta_displayed == 0', [1]],
  ['tenant-mix.pcap', 'frame.time_delta_displayed < 0.5', [1, 2, 3, 4, 5, 6, 7, 8, 9]],
  ['tenant-mix.pcap', 'frame.time_delta_displayed > 0.05', []],
  // Frame 1 (provider ARP) is not shown, so frame 2 counts from nothing: 0.
  ['tenant-mix.pcap', 'frame.time_delta_displayed <= 0.0006 && ip', [2]],
];

const packets = new Map<string, Packet[]>();
beforeAll(async () => {
  for (const name of new Set(TSHARK.map(([c]) => c))) packets.set(name, await loadPackets(name));
});

describe('frame.time_delta_displayed selects what tshark -Y selects', () => {
  for (const [capture, filter, frames] of TSHARK) {
    it(`${capture}: ${filter}`, () => {
      expect(filterFrames(packets.get(capture)!, filter)).toEqual(frames);
    });
  }
  it('counts again in the next capture', () => {
    const ping = packets.get('seed-ping.pcap')!;
    expect(filterFrames(ping, 'frame.time_delta_displayed < 0.5')).toEqual([1, 2]);
    expect(filterFrames(ping, 'frame.time_delta_displayed < 0.5')).toEqual([1, 2]);
  });
  it('through the CLI, with the column showing the same delta', async () => {
    const r = await runCli(['-Y', 'frame.time_delta_displayed < 0.5', '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_delta_displayed', 'fixtures/seed-ping.pcap']);
    expect(r).toEqual({ code: 0, stdout: '1\t0.000000000\n2\t0.000512000\n', stderr: '' });
  });
});
