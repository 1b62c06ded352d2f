// Issue 13, point 9 (first item) and point 10 (a FIFO path with -c, names with control characters):
// every capture path is checked before the first frame is printed, a tcpdump-style BPF expression
// after the captures is recognised, and a name is never printed raw.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, runCli } from './spawn.js';

const SEED = 'fixtures/seed-ping.pcap';
const tmp = mkdtempSync(join(tmpdir(), 'nvgre-paths-'));
const BPF_HINT =
  "looks like a BPF capture filter, which is not taken here: select frames with a display filter (-Y 'ip.addr == 10.1.0.2 && tcp.port == 80'), --ca <ip> or --pa <ip>";

describe('capture paths are checked before any frame is printed', () => {
  it('a tcpdump habit, `-s x.pcap host 10.1.0.2`: one line naming BPF, exit 2, nothing printed', async () => {
    const r = await runCli(['-s', SEED, 'host', '10.1.0.2']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: `nvgre-dissect: host, 10.1.0.2: no such file; 'host 10.1.0.2' ${BPF_HINT}\n` });
  });

  it('a longer expression, after a capture and before another', async () => {
    const r = await runCli([SEED, 'dst', 'net', '10.0.0.0/8', 'and', 'not', 'icmp', SEED]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`nvgre-dissect: dst, net, 10.0.0.0/8, and, not, icmp: no such file; 'dst net 10.0.0.0/8 and not icmp' ${BPF_HINT}\n`);
  });

  it('a missing capture after a good one: nothing of the good one is printed', async () => {
    const r = await runCli(['-s', SEED, 'no/such.pcap']);
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'nvgre-dissect: no/such.pcap: no such file\n' });
  });

  it('each unreadable path is one line, in order; no BPF hint for names that hold no BPF word', async () => {
    const r = await runCli(['-s', 'a.pcap', 'fixtures', SEED, 'b.pcap']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      'nvgre-dissect: a.pcap: no such file\nnvgre-dissect: fixtures: is a directory, not a capture file\nnvgre-dissect: b.pcap: no such file\n',
    );
  });

  it('standard input given twice: refused before reading it, not an "empty file" for the second', async () => {
    const r = await runCli(['-s', '-', SEED, '-'], { input: readFileSync(`${ROOT}${SEED}`) });
    expect(r).toEqual({ code: 2, stdout: '', stderr: 'nvgre-dissect: (stdin): - given 2 times, but standard input can be read once\n' });
  });

  it('a file that happens to be called "host" is a capture like any other', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nvgre-host-'));
    copyFileSync(`${ROOT}${SEED}`, join(dir, 'host'));
    const r = spawnSync(process.execPath, [BIN, '-s', '-c', '1', 'host'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^host:1 |^1 /);
  });
});

describe('file names with control characters are printed escaped', () => {
  const name = join(tmp, 'evil\n\x1b[2J\x07.pcap');
  const shown = `${tmp}/evil\\x0a\\x1b[2J\\x07.pcap`;

  it('in the error line of a missing or a broken capture', async () => {
    expect((await runCli([name])).stderr).toBe(`nvgre-dissect: ${shown}: no such file\n`);
    writeFileSync(name, 'not a capture');
    expect((await runCli([name])).stderr).toBe(`nvgre-dissect: ${shown}: at byte 0: not a capture file: unknown magic 6e 6f 74 20 (looks like text)\n`);
  });

  it('in the ==> name <== header and the summary prefix', async () => {
    copyFileSync(`${ROOT}${SEED}`, name);
    const tree = await runCli(['-c', '1', name, SEED]);
    expect(tree.stdout.split('\n')[0]).toBe(`==> ${shown} <==`);
    const summary = await runCli(['-s', '-c', '1', name, SEED]);
    expect(summary.stdout).toMatch(new RegExp(`^${shown.replace(/[\\[\]]/g, '\\$&')}:1 2013-07-19T08:00:00.000000Z `));
    expect(tree.stdout + summary.stdout).not.toMatch(/[\x00-\x09\x0b-\x1f]/);
  });
});

describe('a FIFO given by its path', () => {
  it('-c 1 ends right after frame 1, while the writer still holds the FIFO open (as tcpdump does)', async () => {
    const fifo = join(tmp, 'live.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // The writer sends the whole capture, then keeps the FIFO open for 20 s.
    const writer = spawn('bash', ['-c', `exec 3>"${fifo}"; cat "${SEED}" >&3; exec sleep 20`], { cwd: ROOT });
    try {
      const child = spawn(process.execPath, [BIN, '-s', '-c', '1', fifo], { cwd: ROOT });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
      const code = await Promise.race([
        new Promise<number | null>((r) => child.on('close', r)),
        new Promise<string>((r) => setTimeout(() => r('still running'), 3000)),
      ]);
      child.kill();
      expect(code).toBe(0);
      expect(stdout).toMatch(/^1 2013-07-19T08:00:00.000000Z .* seq=1 len=116\n$/);
    } finally {
      writer.kill();
    }
  });
});
