import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from './spawn.js';

const seed = readFileSync(`${ROOT}fixtures/seed-ping.pcap`);
const RECORD = 16 + 116; // record header + one seed frame
const tmp = mkdtempSync(join(tmpdir(), 'nvgre-cli-'));

function tempFile(name: string, bytes: Uint8Array): string {
  const path = join(tmp, name);
  writeFileSync(path, bytes);
  return path;
}

const frameCount = (s: string): number => s.split('\n').filter((l) => l.startsWith('Frame ')).length;

describe('usage', () => {
  it('--help shows usage and examples, exit 0', async () => {
    const r = await runCli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: nvgre-dissect [options] [capture...]');
    expect(r.stdout).toContain('Examples:');
    expect(r.stdout).toContain('--no-color');
  });

  it('--version prints the package version, exit 0', async () => {
    const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { version: string };
    const r = await runCli(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('no capture argument reads standard input when it is not a terminal (test/cli/tshark-options.test.ts): empty, exit 2', async () => {
    const r = await runCli([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('nvgre-dissect: (stdin): at byte 0: empty file: no capture header\n');
  });

  it('an unknown option is a usage error: exit 2', async () => {
    const r = await runCli(['--frobnicate', 'fixtures/seed-ping.pcap']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--frobnicate'");
  });
});

describe('unreadable and broken captures: exit 2, one line naming file and byte offset, no stack', () => {
  it('a missing file', async () => {
    const r = await runCli(['no/such.pcap']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('nvgre-dissect: no/such.pcap: no such file\n');
  });

  it('a directory', async () => {
    const r = await runCli(['fixtures']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('nvgre-dissect: fixtures: is a directory, not a capture file\n');
  });

  it('an empty file', async () => {
    const r = await runCli([tempFile('empty.pcap', new Uint8Array(0))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/empty\.pcap: at byte 0: empty file/);
  });

  it('a text file', async () => {
    const r = await runCli([tempFile('notes.pcap', Buffer.from('hello, this is not a capture\n'))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `nvgre-dissect: ${tmp}/notes.pcap: at byte 0: not a capture file: unknown magic 68 65 6c 6c (looks like text)\n`,
    );
  });

  it('a record body cut off: the frames before it are printed first', async () => {
    // 24-byte file header, 3 whole records, then 50 bytes into record 4's frame.
    const cut = 24 + 3 * RECORD + 16 + 50;
    const r = await runCli([tempFile('cut.pcap', seed.subarray(0, cut))]);
    expect(r.code).toBe(2);
    expect(frameCount(r.stdout)).toBe(3);
    expect(r.stdout).toContain('Frame 3: 2013-07-19T08:00:01.000000Z');
    expect(r.stderr).toBe(
      `nvgre-dissect: ${tmp}/cut.pcap: at byte ${24 + 3 * RECORD + 16}: record 4 body cut off after 50 of 116 bytes\n`,
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a record header cut off', async () => {
    const r = await runCli([tempFile('cut-header.pcap', seed.subarray(0, 24 + 2 * RECORD + 7))]);
    expect(r.code).toBe(2);
    expect(frameCount(r.stdout)).toBe(2);
    expect(r.stderr).toContain(`at byte ${24 + 2 * RECORD}: record 3 header cut off after 7 of 16 bytes`);
  });

  it('the same damage on standard input names (stdin)', async () => {
    const r = await runCli(['-'], { input: seed.subarray(0, 24 + RECORD + 3) });
    expect(r.code).toBe(2);
    expect(frameCount(r.stdout)).toBe(1);
    expect(r.stderr).toMatch(/^nvgre-dissect: \(stdin\): at byte 156: record 2 header cut off/);
  });

  it('several captures: each is headed, a broken one does not stop the next, exit 2', async () => {
    const broken = tempFile('broken.pcap', Buffer.from('nope'));
    const r = await runCli([broken, 'fixtures/seed-ping.pcap']);
    expect(r.code).toBe(2);
    expect(r.stdout.startsWith(`==> ${broken} <==\n==> fixtures/seed-ping.pcap <==\nFrame 1: `)).toBe(true);
    expect(frameCount(r.stdout)).toBe(8);
  });
});

describe('streaming', () => {
  it('prints frame 1 while standard input is still open (live capture)', async () => {
    const child = spawn(process.execPath, [BIN, '-'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    const sawFrame1 = new Promise<void>((resolve) => {
      child.stdout.setEncoding('utf8').on('data', (s: string) => {
        stdout += s;
        if (stdout.includes('VSID: 4020644 (0x3D59A4)')) resolve();
      });
    });
    child.stdin.write(seed.subarray(0, 24 + RECORD)); // file header + frame 1 only
    await sawFrame1;
    expect(child.exitCode).toBe(null); // still waiting for more input
    expect(stdout).toMatch(/^Frame 1: /);
    expect(stdout).not.toContain('Frame 2:');
    child.stdin.end(seed.subarray(24 + RECORD));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(frameCount(stdout)).toBe(8);
  });

  it('standard input as a redirected file, a pipe and a socket gives what the file gives, across many reads', async () => {
    // 20,000 seed frames (2.6 MB): many 512 KiB file reads and 64 KiB pipe reads, records cut at each.
    const records = seed.subarray(24);
    const big = tempFile('big.pcap', Buffer.concat([seed.subarray(0, 24), ...Array.from({ length: 2500 }, () => records)]));
    const sh = (cmd: string): string => {
      const r = spawnSync('bash', ['-c', `set -o pipefail; ${cmd}`], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 30 });
      expect(r.status, `${cmd}: ${r.stderr}`).toBe(0);
      return r.stdout;
    };
    const node = `"${process.execPath}" "${BIN}" -s`;
    const fromFile = sh(`${node} "${big}"`);
    expect(fromFile.split('\n').length - 1).toBe(20000);
    expect(fromFile.split('\n')[19999]).toMatch(/^20000 2013-07-19T08:00:03.000512Z .* vsid=8793502 /);
    expect(sh(`${node} - < "${big}"`)).toBe(fromFile); // a regular file on fd 0
    expect(sh(`cat "${big}" | ${node} -`)).toBe(fromFile); // a pipe
    // Output held back by a slow reader: input must wait too, with nothing read over unread bytes.
    expect(sh(`cat "${big}" | "${process.execPath}" "${BIN}" - | (sleep 0.3; grep -c '^Frame ')`)).toBe('20000\n');
    const socket = await runCli(['-s', '-'], { input: readFileSync(big) }); // spawn's stdin is a socket
    expect(socket.code).toBe(0);
    expect(socket.stdout).toBe(fromFile);
  });

  it('a reader that closes the pipe early (| head -1) ends it quietly with exit 0', () => {
    // Enough frames that the output cannot fit in the pipe before head exits.
    const frames = seed.subarray(24);
    const big = Buffer.concat([seed.subarray(0, 24), ...Array.from({ length: 4000 }, () => frames)]);
    const path = tempFile('big.pcap', big);
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${BIN}" "${path}" | head -1`], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(r.stdout).toBe('Frame 1: 2013-07-19T08:00:00.000000Z, 116 bytes on wire, 116 captured\n');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('colour', () => {
  const ESC = '\x1b[';
  it('is off in a pipe by default', async () => {
    expect((await runCli(['fixtures/seed-ping.pcap'])).stdout).not.toContain(ESC);
  });
  it('--color forces it, even with NO_COLOR set', async () => {
    const r = await runCli(['--color', 'fixtures/seed-ping.pcap'], { env: { NO_COLOR: '1' } });
    expect(r.stdout).toContain(`${ESC}`);
    // Colour changes only the look: stripped, it is the plain output.
    const plain = (await runCli(['fixtures/seed-ping.pcap'])).stdout;
    expect(r.stdout.replace(/\x1b\[[0-9;]*m/g, '')).toBe(plain);
  });
  it('NO_COLOR beats FORCE_COLOR; --no-color beats FORCE_COLOR', async () => {
    expect((await runCli(['fixtures/seed-ping.pcap'], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } })).stdout).not.toContain(ESC);
    expect((await runCli(['--no-color', 'fixtures/seed-ping.pcap'], { env: { FORCE_COLOR: '1' } })).stdout).not.toContain(ESC);
    expect((await runCli(['fixtures/seed-ping.pcap'], { env: { FORCE_COLOR: '1' } })).stdout).toContain(ESC);
  });
});
