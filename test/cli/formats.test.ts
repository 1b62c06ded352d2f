// Every capture format through the CLI: the seed exchange as pcapng (µs, ns, big-endian) and gzip
// (from a file and from stdin) prints what seed-ping.pcap prints; comments are shown escaped; a
// real pcapng decodes; broken pcapng and gzip files fail cleanly after their good frames.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { constants, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { commentOption, PcapngWriter } from '../../fixtures/lib/pcapng.js';
import { itFailsCleanly, MODES } from './broken-files.js';
import { BIN, ROOT, runCli } from './spawn.js';

const CAPTURES = resolve(ROOT, process.env.NVGRE_CAPTURES ?? '../shared/captures');
const PCAPPLUSPLUS = resolve(CAPTURES, 'nvgre_pcapplusplus_GrePackets_mixed-gre.pcap');

/** ns files print 9 fraction digits where µs files print 6: compare at µs. */
const toMicros = (s: string): string => s.replace(/(\.\d{6})\d{3}Z/g, '$1Z');
/** Anything a terminal could take as a control sequence: every C0 but \n, DEL, C1. */
const CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f]/;

describe('the seed exchange in every format prints what seed-ping.pcap prints', () => {
  const VARIANTS: [string, boolean][] = [
    ['seed-ping.pcapng', false],
    ['seed-ping-ns.pcapng', true],
    ['seed-ping-be.pcapng', false],
    ['seed-ping.pcap.gz', false],
    ['seed-ping.pcapng.gz', false],
  ];

  for (const [mode, args] of MODES) {
    it(`${mode}: same VSIDs, addresses and decode; times to the file's precision`, async () => {
      const reference = await runCli([...args, 'fixtures/seed-ping.pcap']);
      expect(reference.code).toBe(0);
      if (mode === 'summary') {
        expect(reference.stdout).toContain('vsid=4020644 (0x3D59A4) flow=0 10.1.0.2 -> 10.2.0.2');
        expect(reference.stdout).toContain('vsid=8793502 (0x862D9E) flow=0 10.2.0.2 -> 10.1.0.2');
      }
      for (const [file, ns] of VARIANTS) {
        const r = await runCli([...args, `fixtures/${file}`]);
        expect([r.code, r.stderr], file).toEqual([0, '']);
        expect(/\.\d{9}Z/.test(r.stdout), `${file}: 9 fraction digits`).toBe(ns);
        // A JSON line names its file: the rest is the same.
        expect(toMicros(r.stdout).replaceAll(`"file":"fixtures/${file}"`, '"file":"fixtures/seed-ping.pcap"'), file).toBe(reference.stdout);
      }
    });
  }

  for (const file of ['seed-ping.pcap.gz', 'seed-ping.pcapng.gz', 'seed-ping.pcapng']) {
    it(`${file} from standard input (-)`, async () => {
      const reference = await runCli(['-s', 'fixtures/seed-ping.pcap']);
      const r = await runCli(['-s', '-'], { input: readFileSync(`${ROOT}fixtures/${file}`) });
      expect([r.code, r.stderr]).toEqual([0, '']);
      expect(r.stdout).toBe(reference.stdout);
    });
  }

  it('a live gzip stream on stdin: frame 1 shows while stdin is open, and -c 1 exits without waiting for more', async () => {
    const seed = readFileSync(`${ROOT}fixtures/seed-ping.pcap`);
    // Flushed, not finished: what `tcpdump -U -w - | gzip` sends before the capture ends.
    const frame1 = gzipSync(seed.subarray(0, 24 + 132), { finishFlush: constants.Z_SYNC_FLUSH });
    const child = spawn(process.execPath, [BIN, '-s', '-c', '1', '-'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    const closed = new Promise<number | null>((r) => child.on('close', r));
    child.stdin.on('error', () => {}); // the reader may be gone when stdin is closed below
    child.stdin.write(frame1);
    const code = await Promise.race([closed, new Promise<string>((r) => setTimeout(() => r('still running'), 5000))]);
    child.stdin.end();
    expect(code).toBe(0);
    expect(stdout).toMatch(/^1 2013-07-19T08:00:00\.000000Z 172\.16\.0\.2 -> 172\.16\.0\.3 vsid=4020644 /);
    await closed;
  });

  it('the format is found from the content, not the name', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'nvgre-formats-'));
    const misnamed = join(tmp, 'capture.pcap');
    writeFileSync(misnamed, readFileSync(`${ROOT}fixtures/seed-ping.pcapng.gz`));
    const [r, reference] = await Promise.all([runCli(['-s', misnamed]), runCli(['-s', 'fixtures/seed-ping.pcap'])]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(reference.stdout);
  });
});

describe('multi-section.pcapng: comments are shown, escaped', () => {
  it('tree: a Comment line under the frame line, control characters as \\xHH', async () => {
    const r = await runCli(['fixtures/multi-section.pcapng']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'Frame 5: 2013-07-19T08:00:02.000000000Z, 116 bytes on wire, 116 captured\n  Comment: ping 3 \\x1b]0;pwned\\x07 from VM 10.1.0.2\n  Ethernet II:',
    );
    expect(r.stdout).toContain('Frame 8: 2013-07-19T08:00:03.000000000Z, 116 bytes on wire, 116 captured\n  Comment: obsolete packet block\n');
    expect(r.stdout.match(/Comment:/g)).toHaveLength(2);
    expect(r.stdout).toContain('Frame 7: 1970-01-01T00:00:00.000000000Z, 116 bytes on wire, 116 captured\n  Ethernet II:');
    expect(r.stdout).not.toMatch(CONTROL);
  });

  it('json: "comment" after linktype, only when there is one; summary: 9 frames', async () => {
    const r = await runCli(['--json', 'fixtures/multi-section.pcapng']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toMatch(CONTROL);
    const frames = r.stdout.trim().split('\n').map((l) => JSON.parse(l).frame);
    expect(frames.map((f) => f.comment)).toEqual([undefined, undefined, undefined, undefined, 'ping 3 \x1b]0;pwned\x07 from VM 10.1.0.2', undefined, undefined, 'obsolete packet block', undefined]);
    expect(r.stdout).toContain('"linktype":1,"comment":"ping 3 \\u001b]0;pwned\\u0007 from VM 10.1.0.2"}');
    expect(frames[5]).toEqual({ number: 6, time: '2013-07-19T08:00:04.500000Z', len: 22, caplen: 22, linktype: 147 });
    const s = await runCli(['-s', 'fixtures/multi-section.pcapng']);
    expect(s.stdout.trim().split('\n').map((l) => l.split(' ')[0])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
  });

  it('DEL, C1 and backslash too: \\x7f \\x85 \\\\ in the tree, \\u007f \\u0085 in JSON', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'nvgre-formats-'));
    const path = join(tmp, 'comments.pcapng');
    const comment = 'a\x7fb\u0085c\\d\ne\u009b1m é';
    writeFileSync(
      path,
      new PcapngWriter()
        .section('le')
        .interface({ linktype: 147, snaplen: 0 })
        .enhancedPacket({ iface: 0, ts: 0n, data: new Uint8Array(4), options: [commentOption(comment)] })
        .finish(),
    );
    const tree = await runCli([path]);
    expect(tree.stdout).toContain('\n  Comment: a\\x7fb\\x85c\\\\d\\x0ae\\x9b1m é\n');
    expect(tree.stdout).not.toMatch(CONTROL);
    const json = await runCli(['--json', path]);
    expect(json.stdout).toContain('"comment":"a\\u007fb\\u0085c\\\\d\\ne\\u009b1m é"');
    expect(json.stdout).not.toMatch(CONTROL);
    expect(JSON.parse(json.stdout).frame.comment).toBe(comment);
  });
});

describe('a real pcapng: PcapPlusPlus GrePackets (several interfaces, different snaplens)', () => {
  if (!existsSync(PCAPPLUSPLUS)) {
    it.skip(`skipped: public captures folder not found at ${CAPTURES} (set NVGRE_CAPTURES to run these tests)`, () => {});
    return;
  }

  it('7 frames; frame 7 is NVGRE with VSID 253 (0x0000FD), FlowID 232', async () => {
    const s = await runCli(['-s', PCAPPLUSPLUS]);
    expect([s.code, s.stderr]).toEqual([0, '']);
    const lines = s.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(lines[6]).toMatch(/^7 2020-11-11T19:56:59\.087414Z 1\.2\.3\.4 -> 4\.3\.2\.1 vsid=253 \(0x0000FD\) flow=232 /);
    expect(lines.slice(0, 6).join('\n')).not.toContain('vsid=');

    const tree = await runCli(['--vsid', '253', PCAPPLUSPLUS]);
    expect(tree.code).toBe(0);
    expect(tree.stdout).toMatch(/^Frame 7: 2020-11-11T19:56:59\.087414Z, 96 bytes on wire, 96 captured\n/);
    expect(tree.stdout).toContain('Key: 0x0000fde8');
    expect(tree.stdout).toContain('VSID: 253 (0x0000FD)');
    expect(tree.stdout).toContain('FlowID: 232');
  });
});

describe('broken pcapng and gzip files: good frames first, then one line on stderr, exit 2', () => {
  // Seed pcapng layout: section header 60 bytes, interface 20, packets of 148: packet 4 at 524.
  const BROKEN: [string, number, string][] = [
    ['pcapng-bad-block-length.pcapng', 3, 'at byte 524: enhanced packet block has total length 146, not a multiple of 4'],
    ['pcapng-truncated-block.pcapng', 3, 'at byte 524: packet 4 (enhanced packet block) cut off after 60 of 148 bytes'],
    [
      'pcapng-unknown-interface.pcapng',
      3,
      'at byte 524: packet 4 (enhanced packet block) names interface 1, but only 1 interface is described in this section',
    ],
    ['corrupt.pcap.gz', 0, 'at byte 0 of the decompressed data: corrupt gzip data (invalid block type)'],
  ];

  itFailsCleanly(BROKEN);

  it('truncated.pcap.gz, from a file and from stdin: the whole frames in what inflated, then the offset in the decompressed data', async () => {
    const line = /^nvgre-dissect: (.*): at byte (\d+) of the decompressed data: gzip data cut off \(unexpected end of file\)\n$/;
    for (const [args, input, name] of [
      [['-s', 'fixtures/broken/truncated.pcap.gz'], undefined, 'fixtures/broken/truncated.pcap.gz'],
      [['-s', '-'], readFileSync(`${ROOT}fixtures/broken/truncated.pcap.gz`), '(stdin)'],
    ] as const) {
      const r = await runCli([...args], { input });
      expect(r.code).toBe(2);
      const m = line.exec(r.stderr);
      expect(m, r.stderr).not.toBeNull();
      expect(m![1]).toBe(name);
      const inflated = Number(m![2]);
      expect(inflated).toBeGreaterThan(24 + 132); // the fixture is cut after at least one whole record
      expect(inflated).toBeLessThan(24 + 8 * 132);
      const reference = await runCli(['-s', 'fixtures/seed-ping.pcap']);
      const whole = Math.floor((inflated - 24) / 132);
      expect(r.stdout).toBe(reference.stdout.split('\n').slice(0, whole).map((l) => `${l}\n`).join(''));
    }
  });
});
