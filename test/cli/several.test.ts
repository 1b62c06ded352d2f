// Issue 13, point 8: with several captures every summary line starts with its file's name (as
// `grep -H` does) and every JSON line carries it (as it does with one capture: issue 17); one
// capture alone prints its summary lines as before.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './spawn.js';

const SEED = 'fixtures/seed-ping.pcap';
const MIX = 'fixtures/tenant-mix.pcap';
const lines = (s: string): string[] => s.trimEnd().split('\n');
const fileBytes = (path: string): Uint8Array => readFileSync(`${ROOT}${path}`);

describe('several captures', () => {
  it('-s: each line is `name:` and the line one capture alone gives', async () => {
    const [seed, mix, both] = await Promise.all([runCli(['-s', SEED]), runCli(['-s', MIX]), runCli(['-s', SEED, MIX])]);
    expect(both.code).toBe(0);
    expect(lines(both.stdout)).toEqual([...lines(seed.stdout).map((l) => `${SEED}:${l}`), ...lines(mix.stdout).map((l) => `${MIX}:${l}`)]);
    expect(lines(both.stdout)[8]).toBe(
      `${MIX}:1 2013-07-19T08:01:00.000000Z 00:15:5d:00:01:02 -> ff:ff:ff:ff:ff:ff ARP who-has 172.16.0.3 tell 172.16.0.2 len=60`,
    );
  });

  it('-s -x: every line, the dump rows, marker lines and blank line too, is `name:` and the line one capture alone gives', async () => {
    const FRAGS = 'fixtures/fragments.pcap';
    const [seed, frags, both] = await Promise.all([runCli(['-s', '-x', SEED]), runCli(['-s', '-x', FRAGS]), runCli(['-s', '-x', SEED, FRAGS])]);
    expect(both.code).toBe(0);
    const prefixed = (text: string, name: string): string[] => text.slice(0, -1).split('\n').map((l) => `${name}:${l}`);
    expect(both.stdout.slice(0, -1).split('\n')).toEqual([...prefixed(seed.stdout, SEED), ...prefixed(frags.stdout, FRAGS)]);
    // So grep on a dump row still names the file: the VSID marker line, and a reassembled datagram's dump.
    const marker = both.stdout.split('\n').filter((l) => l.includes('VSID 0x3D59A4'));
    expect(marker.length).toBeGreaterThan(0);
    expect(marker.every((l) => l.startsWith(`${SEED}:  `) || l.startsWith(`${FRAGS}:  `))).toBe(true);
    expect(both.stdout).toContain(`\n${FRAGS}:Reassembled datagram, 1522 bytes:\n${FRAGS}:0000  `);
    expect(both.stdout).toContain(`\n${SEED}:0070  66 67 68 69 {39}fghi\n${SEED}:\n`.replace(' {39}', ' '.repeat(39)));
  });

  it('--json: each object is the one its capture alone gives, "file" naming it', async () => {
    const [seed, both] = await Promise.all([runCli(['--json', SEED]), runCli(['--json', SEED, '-'], { input: fileBytes(MIX) })]);
    const got = lines(both.stdout);
    expect(got).toHaveLength(8 + 9);
    expect(got.slice(0, 8)).toEqual(lines(seed.stdout));
    expect(lines(seed.stdout).every((l) => l.startsWith(`{"file":"${SEED}","number":`))).toBe(true);
    const fromStdin = JSON.parse(got[8]) as Record<string, unknown>;
    expect(fromStdin.file).toBe('-');
    expect(fromStdin.number).toBe(1);
  });

  it('fragments are gathered per file: the same capture twice reads the same twice', async () => {
    const FRAGS = 'fixtures/fragments.pcap';
    const [one, twice] = await Promise.all([runCli(['-s', FRAGS]), runCli(['-s', FRAGS, FRAGS])]);
    const once = lines(one.stdout).map((l) => `${FRAGS}:${l}`);
    expect(lines(twice.stdout)).toEqual([...once, ...once]);
  });

  it('tcp.stream and the relative tcp.seq start again in each file, as tshark reading each alone', async () => {
    const STREAMS = 'fixtures/streams.pcap';
    const args = ['-T', 'fields', '-e', 'tcp.stream', '-e', 'tcp.seq', '-Y', 'tcp'];
    const [mix, both] = await Promise.all([runCli([...args, MIX]), runCli([...args, STREAMS, MIX])]);
    // tenant-mix alone: one stream, 0, its SYN at relative 0 then 1; streams.pcap has five (0-4) before it.
    expect(lines(mix.stdout)).toEqual(['0\t0', '0\t0', '0\t1', '0\t1']);
    expect(lines(both.stdout).slice(-4)).toEqual(lines(mix.stdout));
  });

  it('standard input is named (stdin) in summary lines', async () => {
    const r = await runCli(['-s', '-c', '1', '-', SEED], { input: fileBytes(MIX) });
    expect(lines(r.stdout)[0]).toMatch(/^\(stdin\):1 2013-07-19T08:01:00.000000Z /);
  });

  it('filters and -c apply across them as before: frame numbers are each file\'s', async () => {
    const r = await runCli(['-s', '--vsid', '8793502', SEED, MIX]);
    expect(lines(r.stdout).map((l) => l.split(' ')[0])).toEqual([
      `${SEED}:2`, `${SEED}:4`, `${SEED}:6`, `${SEED}:8`, `${MIX}:3`, `${MIX}:5`, `${MIX}:9`,
    ]);
  });

  it('--stats stays one table over all of them', async () => {
    const r = await runCli(['--stats', '--json', SEED, MIX]);
    const stats = JSON.parse(r.stdout) as { totals: { frames_read: number } };
    expect(Object.keys(stats)).not.toContain('file');
    expect(stats.totals.frames_read).toBe(17);
  });
});
