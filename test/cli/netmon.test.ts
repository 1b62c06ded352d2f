// Network Monitor captures through the CLI: seed-ping.cap prints what seed-ping.pcap prints in every
// mode; the 2.0 and 1.x files, the special network types and comments; broken .cap files fail
// cleanly after their good frames; a .cap on stdin or through a pipe, and an .etl, get one line
// saying what to do. Where tshark is installed, it reads the files the same way.
import { execFileSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { itFailsCleanly } from './broken-files.js';
import { hasTshark, ROOT, runCli } from './spawn.js';


describe('seed-ping.cap prints what seed-ping.pcap prints', () => {
  const OUTPUTS: [string, string[]][] = [
    ['tree', []],
    ['summary', ['--summary']],
    ['json', ['--json']],
    ['stats', ['--stats']],
    ['stats json', ['--stats', '--json']],
    ['lookup', ['--lookup']],
    ['hex', ['--hex', '-c', '2']],
  ];
  for (const [mode, args] of OUTPUTS) {
    it(mode, async () => {
      const [cap, pcap] = await Promise.all([runCli([...args, 'fixtures/seed-ping.cap']), runCli([...args, 'fixtures/seed-ping.pcap'])]);
      expect([cap.code, cap.stderr]).toEqual([0, '']);
      // A JSON line names its file: the rest is the same.
      expect(cap.stdout.replaceAll('"file":"fixtures/seed-ping.cap"', '"file":"fixtures/seed-ping.pcap"')).toBe(pcap.stdout);
    });
  }

  it('the summary has the seed VSIDs and UTC times', async () => {
    const r = await runCli(['-s', 'fixtures/seed-ping.cap']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(8);
    expect(lines[0]).toMatch(/^1 2013-07-19T08:00:00\.000000Z 172\.16\.0\.2 -> 172\.16\.0\.3 vsid=4020644 \(0x3D59A4\) flow=0 10\.1\.0\.2 -> 10\.2\.0\.2 /);
    expect(lines[7]).toMatch(/^8 2013-07-19T08:00:03\.000512Z 172\.16\.0\.3 -> 172\.16\.0\.2 vsid=8793502 \(0x862D9E\) /);
  });

  it('filters and -c work as on pcap; -c 1 stops reading', async () => {
    const r = await runCli(['-s', '-c', '1', '--vsid', '0x862D9E', 'fixtures/seed-ping.cap']);
    expect(r.stdout).toMatch(/^2 2013-07-19T08:00:00\.000512Z .* vsid=8793502 /);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
  });
});

describe('older versions and what real captures mix in', () => {
  it('2.0: the same summary; the tree says the times are the capturing machine\'s local time', async () => {
    const pcap = await runCli(['-s', 'fixtures/seed-ping.pcap']);
    expect((await runCli(['-s', 'fixtures/seed-ping-nm20.cap'])).stdout).toBe(pcap.stdout);
    const tree = (await runCli(['fixtures/seed-ping-nm20.cap'])).stdout;
    const notes = tree.match(/^ {2}Comment: time: local time of the capturing machine \(Network Monitor 2\.0 records no time zone\)$/gm);
    expect(notes).toHaveLength(8);
  });

  it('1.x: times to the millisecond, so each reply shows at its request\'s millisecond', async () => {
    const pcap = (await runCli(['-s', 'fixtures/seed-ping.pcap'])).stdout;
    const nm1 = (await runCli(['-s', 'fixtures/seed-ping-nm1.cap'])).stdout;
    expect(nm1).toBe(pcap.replaceAll('.000512Z', '.000000Z'));
  });

  it('netmon-special.cap: the seed frames decoded in table order, the others shown as data with what they are', async () => {
    const r = await runCli(['-s', 'fixtures/netmon-special.cap']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.map((l) => /vsid=(\d+)/.exec(l)?.[1] ?? '-')).toEqual(['-', '-', '4020644', '8793502', '4020644', '8793502', '-', '-', '-', '-', '-']);
    // Network Monitor's own records are not packets: shown as data, without a link-type warning.
    expect(lines[0]).toBe('1 2013-07-19T07:59:58.000000Z data=52 len=52');
    const tree = (await runCli(['fixtures/netmon-special.cap'])).stdout;
    expect(tree).toContain('  Comment: Network Monitor filter (the capture filter text), network type 0xFFFF: not a packet, shown as data\n');
    expect(tree).toContain('  Comment: blue VM 10.1.0.2 → 10.2.0.2: the request’s key: VSID 4020644 (0x3D59A4)\n');
    expect(tree).toContain('  Comment: names seen; Network Monitor DNS cache (names it resolved), network type 0xFFFE: not a packet, shown as data\n');
    const json = (await runCli(['--json', '-c', '1', 'fixtures/netmon-special.cap'])).stdout;
    expect(JSON.parse(json).frame).toMatchObject({ number: 1, linktype: -2, comment: expect.stringMatching(/^Network Monitor filter/) });
  });
});

describe('broken .cap files: good frames first, then one line on stderr, exit 2, in every mode', () => {
  itFailsCleanly([
    ['netmon-table-past-end.cap', 0, 'at byte 24: frame table (8 entries at byte 1320) runs past the end of the file (1336 bytes)'],
    ['netmon-record-too-long.cap', 2, `at byte ${128 + 2 * 147 + 12}: record 3 claims 300000 captured bytes (limit 262144)`],
    ['netmon-record-past-end.cap', 3, `at byte ${160 + 3 * 147 + 16}: record 4 body cut off after 50 of 116 bytes`],
  ]);
});

describe('what cannot be read, and what to do instead', () => {
  const ASK = "at byte 0: a Network Monitor capture keeps its frame table at the end of the file, so it cannot be read";

  it('a .cap on standard input', async () => {
    const r = await runCli(['-s', '-'], { input: readFileSync(`${ROOT}fixtures/seed-ping.cap`) });
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(`nvgre-dissect: (stdin): ${ASK} from standard input: give the .cap file's path\n`);
  });

  it('a .cap through a named pipe', async () => {
    const fifo = join(mkdtempSync(join(tmpdir(), 'nvgre-cap-')), 'seed.cap');
    execFileSync('mkfifo', [fifo]);
    const writer = createWriteStream(fifo).on('error', () => {}); // the reader may close first
    writer.end(readFileSync(`${ROOT}fixtures/seed-ping.cap`));
    const r = await runCli(['-s', fifo]);
    writer.destroy();
    expect([r.code, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe(`nvgre-dissect: ${fifo}: ${ASK} from a pipe: give the .cap file's path\n`);
  });

  it('the first 128 bytes of an .etl: read as an ETW trace, its first buffer cut off', async () => {
    for (const args of [['fixtures/pktmon-stub.etl'], ['-']]) {
      const r = await runCli(args, { input: readFileSync(`${ROOT}fixtures/pktmon-stub.etl`) });
      expect([r.code, r.stdout]).toEqual([2, '']);
      expect(r.stderr).toMatch(/: at byte 0: buffer 1 cut off after 128 of its 65536 bytes\n$/);
    }
  });

  it('the next capture is still read', async () => {
    const r = await runCli(['-s', 'fixtures/pktmon-stub.etl', 'fixtures/seed-ping.cap']);
    expect(r.code).toBe(2);
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(8);
  });
});

describe.skipIf(!hasTshark)('tshark reads the .cap fixtures the same way', () => {
  /** tshark's frame time and GRE key per frame; TZ=UTC, as tshark reads a start SYSTEMTIME in its own zone. */
  function tshark(file: string): string[] {
    const out = execFileSync('tshark', ['-r', `fixtures/${file}`, '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'gre.key'], {
      cwd: ROOT,
      env: { ...process.env, TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    return out.toString().replace(/\n$/, '').split('\n'); // not trimEnd: a last empty key ends in a tab
  }
  async function ours(file: string): Promise<string[]> {
    const r = await runCli(['--json', `fixtures/${file}`]);
    return r.stdout
      .trimEnd()
      .split('\n')
      .map((line) => {
        const { frame, layers } = JSON.parse(line) as { frame: { time: string }; layers: { proto: string; fields: Record<string, number> }[] };
        const [, date, frac] = /^(.*)\.(\d{6})Z$/.exec(frame.time)!;
        const key = layers.find((l) => l.proto === 'gre')?.fields['gre.key'];
        return `${Date.parse(`${date}Z`) / 1000}.${frac}000\t${key === undefined ? '' : `0x${key.toString(16).padStart(8, '0')}`}`;
      });
  }

  for (const file of ['seed-ping.cap', 'seed-ping-nm20.cap', 'seed-ping-nm1.cap']) {
    it(`${file}: every frame's time and key`, async () => {
      expect(await ours(file)).toEqual(tshark(file));
    });
  }

  it('netmon-special.cap: the same, but for the network info, DNS cache and payload header records, which tshark skips', async () => {
    const skipped = new Set([2, 8, 9]); // 0xFFFD, 0xFFFE, 0xFFFC
    expect((await ours('netmon-special.cap')).filter((_, i) => !skipped.has(i + 1))).toEqual(tshark('netmon-special.cap'));
  });
});
